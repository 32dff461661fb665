import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/index.js';
import { rowMajorCodes } from '../../src/model/bins.js';
import { type GrownTree, growTree, OOB_SCALE } from '../../src/model/grow.js';
import { createScratch, type GrowData } from '../../src/model/grow-data.js';
import { NodeWalk } from '../../src/model/node-walk.js';
import { addOutOfBag } from '../../src/model/out-of-bag.js';

/** n rows of 3 features, bins 0..15 and the missing bin 16, labels leaning on the first two. */
function table(n: number): GrowData {
  const random = createRandom(8, 1);
  const codes = [0, 1, 2].map(() => Uint8Array.from({ length: n }, () => random.int(17)));
  const y = Uint8Array.from({ length: n }, (_, i) =>
    random.next() < 0.1 + 0.03 * (codes[0]![i]! % 16) + (codes[1]![i] === 16 ? 0.3 : 0) ? 1 : 0,
  );
  return {
    nRows: n,
    codes,
    rowCodes: rowMajorCodes(codes, n),
    valueBins: Int32Array.from([16, 16, 16]),
    edges: [0, 1, 2].map(() => Float64Array.from({ length: 15 }, (_, b) => b + 0.5)),
    y,
  };
}

/** Each out-of-bag row walked down the tree alone: what the sums and counts must be. */
function rowByRow(data: GrowData, grown: GrownTree, counts: Int32Array): { sum: number[]; count: number[] } {
  const { feature, left, right, missingLeft, value } = grown.tree;
  const sum = new Array<number>(data.nRows).fill(0);
  const count = new Array<number>(data.nRows).fill(0);
  for (let r = 0; r < data.nRows; r++) {
    if (counts[r] !== 0) continue;
    let node = 0;
    while (feature[node]! >= 0) {
      const f = feature[node]!;
      const b = data.codes[f]![r]!;
      const goLeft = b === data.valueBins[f] ? missingLeft[node] === 1 : b <= grown.splitBin[node]!;
      node = goLeft ? left[node]! : right[node]!;
    }
    sum[r]! += Math.round(value[node]! * OOB_SCALE);
    count[r]!++;
  }
  return { sum, count };
}

describe('out-of-bag predictions while growing', () => {
  // Min leaf 1 leaves a few rows at many nodes (walked one by one) and many at the top (parted).
  it.each([1, 20])('equal each out-of-bag row walked alone (min leaf %i), over three trees', (minLeaf) => {
    const data = table(6000);
    const settings = {
      minLeaf,
      maxDepth: 0,
      minImpurityDecrease: 0,
      mtry: 2,
      drawRows: 6000,
      weight0: 1,
      weight1: 1,
      seed: 5,
    };
    const s = createScratch(6000, 3);
    const oob = new NodeWalk(6000);
    const sum = new Float64Array(6000);
    const count = new Int32Array(6000);
    const want = { sum: new Array<number>(6000).fill(0), count: new Array<number>(6000).fill(0) };
    for (let t = 0; t < 3; t++) {
      const grown = growTree(data, settings, t, s);
      addOutOfBag(data, grown, s.counts, sum, count, oob);
      const one = rowByRow(data, grown, s.counts);
      one.sum.forEach((v, r) => {
        want.sum[r]! += v;
        want.count[r]! += one.count[r]!;
      });
    }
    expect(Array.from(sum)).toEqual(want.sum);
    expect(Array.from(count)).toEqual(want.count);
    // About e^-1 of the rows are left out of each bootstrap.
    const left = want.count.reduce((a, c) => a + c, 0) / 3;
    expect(left).toBeGreaterThan(0.3 * 6000);
    expect(left).toBeLessThan(0.45 * 6000);
  });
});
