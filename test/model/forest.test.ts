import { describe, expect, it } from 'vitest';
import {
  auc,
  type FeatureMatrix,
  fitForest,
  forestFromJSON,
  forestToJSON,
  ModelError,
  predictForest,
  UsageError,
} from '../../src/index.js';

const f64 = (v: number[]): Float64Array => Float64Array.from(v);

import { generate, slice } from './forest-data.js';

const data = generate(6000, { noise: 5 });
const train = slice(data, 0, 4000);
const test = slice(data, 4000, 6000);

/** Depth of every leaf and its training-row count are checked by walking the flat arrays. */
function depths(tree: { feature: Int32Array; left: Int32Array; right: Int32Array }): number[] {
  const out: number[] = [];
  const walk = (node: number, d: number): void => {
    if (tree.feature[node]! < 0) out.push(d);
    else {
      walk(tree.left[node]!, d + 1);
      walk(tree.right[node]!, d + 1);
    }
  };
  walk(0, 0);
  return out;
}

describe('fitForest / predictForest', () => {
  it('reaches an AUC close to the Bayes-optimal score on a logistic signal', async () => {
    const { model, stats } = await fitForest(train.X, train.y, { trees: 60, threads: 1, seed: 3 });
    const scores = predictForest(model, test.X);
    const bayes = auc(test.p, test.y);
    const ours = auc(scores, test.y);
    expect(ours).toBeGreaterThan(bayes - 0.03);
    // Out-of-bag AUC estimates the held-out one.
    expect(Math.abs(auc(stats.oobScores, train.y) - ours)).toBeLessThan(0.03);
    // The signal features rank first, by weight (1.5, -1, 0.8).
    const ranked = Object.entries(stats.importances).sort((a, b) => b[1] - a[1]);
    expect(ranked.slice(0, 3).map(([name]) => name)).toEqual(['signal0', 'signal1', 'signal2']);
    expect(Object.values(stats.importances).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    for (const p of scores) expect(p >= 0 && p <= 1).toBe(true);
  });

  it('round-trips through JSON with identical predictions', async () => {
    const { model } = await fitForest(train.X, train.y, { trees: 10, threads: 1 });
    const text = JSON.stringify(forestToJSON(model));
    const back = forestFromJSON(JSON.parse(text));
    expect(predictForest(back, test.X)).toEqual(predictForest(model, test.X));
    expect(JSON.stringify(forestToJSON(back))).toBe(text);
    // Compact: about 10 bytes a node before base64.
    const nodes = model.trees.reduce((n, t) => n + t.feature.length, 0);
    expect(text.length / nodes).toBeLessThan(16);
  });

  it('rejects a tree whose children point outside it', async () => {
    const { model } = await fitForest(train.X, train.y, { trees: 1, threads: 1, maxDepth: 1 });
    const json = forestToJSON(model);
    json.trees[0]!.left = Buffer.from(Int32Array.of(7).buffer).toString('base64');
    expect(() => forestFromJSON(json)).toThrow(/tree 0 node 0 has children 7, 8 outside 1..2/);
  });

  it('changes with the seed', async () => {
    const a = await fitForest(train.X, train.y, { trees: 5, threads: 1, seed: 1 });
    const b = await fitForest(train.X, train.y, { trees: 5, threads: 1, seed: 2 });
    expect(predictForest(a.model, test.X)).not.toEqual(predictForest(b.model, test.X));
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    [{ trees: 0 },            /trees: 0 is not an integer >= 1/],
    [{ minLeaf: 0.5 },        /minLeaf: 0.5/],
    [{ maxFeatures: 'half' }, /maxFeatures: "half"/],
    [{ maxFeatures: 99 },     /maxFeatures: 99 is not at most the 8 features/],
    [{ sampleShare: 1.5 },    /sampleShare: 1.5/],
    [{ classWeight: 'auto' }, /classWeight: "auto"/],
    [{ maxBins: 300 },        /maxBins: 300/],
    [{ threads: -1 },         /threads: -1/],
  ])('rejects %o', async (params, message) => {
    await expect(fitForest(train.X, train.y, params as never)).rejects.toThrow(message);
    await expect(fitForest(train.X, train.y, params as never)).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses features in another order or with other names', async () => {
    const { model } = await fitForest(train.X, train.y, { trees: 2, threads: 1 });
    const swapped: FeatureMatrix = {
      nRows: test.X.nRows,
      names: [test.X.names[1]!, test.X.names[0]!, ...test.X.names.slice(2)],
      columns: [test.X.columns[1]!, test.X.columns[0]!, ...test.X.columns.slice(2)],
    };
    expect(() => predictForest(model, swapped)).toThrow(/column 0 is "signal1", the model expects "signal0"/);
    const renamed: FeatureMatrix = { ...test.X, names: ['x', ...test.X.names.slice(1)] };
    expect(() => predictForest(model, renamed)).toThrow(/missing signal0; unexpected x/);
  });

  it('respects maxDepth and minLeaf', async () => {
    const { model } = await fitForest(train.X, train.y, { trees: 3, threads: 1, maxDepth: 4, minLeaf: 1 });
    for (const tree of model.trees) expect(Math.max(...depths(tree))).toBeLessThanOrEqual(4);
    const deep = await fitForest(train.X, train.y, { trees: 3, threads: 1, minLeaf: 1 });
    expect(Math.max(...depths(deep.model.trees[0]!))).toBeGreaterThan(4);
  });
});

describe('missing values and class weights', () => {
  it('learns where NaN goes: a feature missing exactly when y = 1 separates the classes', async () => {
    const n = 3000;
    const flag = new Float64Array(n);
    const noise = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3 === 0 ? 1 : 0;
      flag[i] = y[i] === 1 ? Number.NaN : (i * 7919) % 101;
      noise[i] = (i * 104729) % 997;
    }
    const X: FeatureMatrix = { nRows: n, names: ['flag', 'noise'], columns: [flag, noise] };
    const { model } = await fitForest(X, y, { trees: 5, threads: 1, maxFeatures: 'all' });
    const p = predictForest(model, X);
    for (let i = 0; i < n; i++) expect(p[i]).toBe(y[i]);
    // Unseen rows: NaN follows the learned direction, a value goes the other way.
    const probe: FeatureMatrix = {
      nRows: 2,
      names: ['flag', 'noise'],
      columns: [f64([Number.NaN, 50]), f64([3, 3])],
    };
    expect(Array.from(predictForest(model, probe))).toEqual([1, 0]);
  });

  it('raises the minority class probabilities with balanced class weights', async () => {
    const rare = generate(4000, { noise: 3, intercept: -4, seed: 11 });
    const none = await fitForest(rare.X, rare.y, { trees: 20, threads: 1, classWeight: 'none' });
    const balanced = await fitForest(rare.X, rare.y, { trees: 20, threads: 1, classWeight: 'balanced' });
    const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    const positives = (a: Float64Array): Float64Array => a.filter((_, i) => rare.y[i] === 1);
    const before = mean(positives(predictForest(none.model, rare.X)));
    const after = mean(positives(predictForest(balanced.model, rare.X)));
    expect(after).toBeGreaterThan(before + 0.1);
  });
});

describe('forestFromJSON', () => {
  it.each([
    [null, /not a JSON object/],
    [{ format: 'other' }, /format "other", expected "retain-forest"/],
    [{ format: 'retain-forest', version: 2 }, /version 2 is not supported/],
  ])('rejects %o', (json, message) => {
    expect(() => forestFromJSON(json)).toThrow(message);
    expect(() => forestFromJSON(json)).toThrow(ModelError);
  });
});
