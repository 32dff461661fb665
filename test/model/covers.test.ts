import { describe, expect, it } from 'vitest';
import { type FeatureMatrix, type FlatTree, fitBoost, fitForest } from '../../src/index.js';
import { coversFromLeafHits } from '../../src/model/covers.js';
import { predictCountingOnThreads } from '../../src/model/threads.js';
import { packForest, predictPacked } from '../../src/model/tree.js';
import { generate } from './forest-data.js';

/** The rows reaching each node, one row at a time down each flat tree: what the covers must equal. */
function coversRowByRow(trees: readonly FlatTree[], X: FeatureMatrix): number[][] {
  return trees.map((t) => {
    const cover = new Array<number>(t.feature.length).fill(0);
    for (let r = 0; r < X.nRows; r++) {
      let node = 0;
      cover[0]!++;
      while (t.feature[node]! >= 0) {
        const v = X.columns[t.feature[node]!]![r]!;
        const left = Number.isNaN(v) ? t.missingLeft[node] === 1 : v <= t.threshold[node]!;
        node = left ? t.left[node]! : t.right[node]!;
        cover[node]!++;
      }
    }
    return cover;
  });
}

const sameBits = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('covers counted in the scoring walk', async () => {
  // 5% of the first noise feature is NaN, so the missing directions are walked too.
  const data = generate(6000, { noise: 4, seed: 11 });
  const { model: forest } = await fitForest(data.X, data.y, { trees: 12, minLeaf: 5, seed: 3, threads: 1 });
  const { model: boost } = await fitBoost(data.X, data.y, { trees: 15, seed: 3, threads: 1 });
  const cases = [
    ['forest (mean)', forest.trees, packForest(forest.trees)],
    ['boost (sum from a base)', boost.trees, packForest(boost.trees, { kind: 'sum', bias: boost.baseScore })],
  ] as const;

  it.each(cases)(
    '%s: every node counts the rows reaching it, and the scores are the prediction bit for bit',
    (_, trees, packed) => {
      const hits = new Uint32Array(packed.leaves.length);
      const scores = new Float64Array(data.X.nRows);
      // In two pieces: counts add up across chunks, as the workers' do.
      predictPacked(packed, data.X.columns, 0, 2500, scores, hits);
      predictPacked(packed, data.X.columns, 2500, data.X.nRows, scores, hits);
      const expected = new Float64Array(data.X.nRows);
      predictPacked(packed, data.X.columns, 0, data.X.nRows, expected);
      expect(sameBits(scores, expected)).toBe(true);
      const covers = coversFromLeafHits(trees, hits);
      expect(covers.map((c) => Array.from(c))).toEqual(coversRowByRow(trees, data.X));
      expect(covers.every((c) => c[0] === data.X.nRows)).toBe(true);
    },
  );

  it('two worker threads give the in-process scores and leaf counts', async () => {
    const packed = packForest(forest.trees);
    const one = await predictCountingOnThreads(packed, data.X.columns, data.X.nRows, 1);
    const two = await predictCountingOnThreads(packed, data.X.columns, data.X.nRows, 2);
    expect(sameBits(two.scores, one.scores)).toBe(true);
    expect(Array.from(two.leafHits)).toEqual(Array.from(one.leafHits));
    expect(one.leafHits.reduce((s, v) => s + v, 0)).toBe(data.X.nRows * forest.trees.length);
  });
});
