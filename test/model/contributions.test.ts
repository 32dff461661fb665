import { describe, expect, it } from 'vitest';
import {
  contributions,
  type FeatureMatrix,
  type FlatTree,
  fitForest,
  forestEngine,
  ModelError,
  makeExplainer,
  nodeCovers,
  nodeCoversFromJSON,
  nodeCoversToJSON,
  nodeExpectations,
  predictForest,
  topDrivers,
  topDriversParallel,
  walkSteps,
} from '../../src/index.js';
import { generate } from './forest-data.js';

/**
 * root: f0 ≤ 0.5 → leaf 0.2, else node 2: f1 ≤ 1 (NaN goes right) → leaf 0.6, else leaf 1.0.
 * Node order: 0 root, 1 leaf 0.2, 2 split, 3 leaf 0.6, 4 leaf 1.0.
 */
const tree: FlatTree = {
  feature: Int32Array.from([0, -1, 1, -1, -1]),
  threshold: Float64Array.from([0.5, 0, 1, 0, 0]),
  left: Int32Array.from([1, -1, 3, -1, -1]),
  right: Int32Array.from([2, -1, 4, -1, -1]),
  missingLeft: Uint8Array.from([1, 0, 0, 0, 0]),
  value: Float64Array.from([0, 0.2, 0, 0.6, 1]),
};

const matrix = (rows: number[][]): FeatureMatrix => ({
  nRows: rows.length,
  names: ['f0', 'f1'],
  columns: [0, 1].map((f) => Float64Array.from(rows, (r) => r[f]!)),
});

describe('path attribution on a hand-made tree', () => {
  // Three rows go left, one to 0.6 and one to 1.0: covers 5, 3, 2, 1, 1.
  const reference = matrix([
    [0.1, 0],
    [0.2, 5],
    [Number.NaN, 5],
    [0.9, 0.5],
    [0.9, 2],
  ]);
  const covers = nodeCovers([tree], reference);

  it('counts the rows reaching each node, NaN following the learned direction', () => {
    expect(Array.from(covers[0]!)).toEqual([5, 3, 2, 1, 1]);
  });

  it('weights each node by its covers: E = (3·0.2 + 2·0.8) / 5 at the root', () => {
    const e = nodeExpectations(tree, covers[0]!);
    [0.44, 0.2, 0.8, 0.6, 1].forEach((v, i) => {
      expect(e[i]).toBeCloseTo(v, 15);
    });
  });

  it('credits each split with the change in expected output along the row’s path', () => {
    const ex = makeExplainer({ trees: [tree], scale: 1, base: 0 }, covers, 2);
    expect(ex.expected).toBeCloseTo(0.44, 15);
    const phi = contributions(ex, matrix([[0.9, 2]]));
    // f0: 0.44 → 0.8; f1: 0.8 → 1.0; the last column is the expected value.
    expect(phi[0]).toBeCloseTo(0.36, 15);
    expect(phi[1]).toBeCloseTo(0.2, 15);
    expect(phi[2]).toBeCloseTo(0.44, 15);
  });

  it('sizes the walk: each tree’s mean leaf depth summed, plus one step per feature', () => {
    const leaf: FlatTree = {
      feature: Int32Array.from([-1]),
      threshold: Float64Array.from([0]),
      left: Int32Array.from([-1]),
      right: Int32Array.from([-1]),
      missingLeft: Uint8Array.from([0]),
      value: Float64Array.from([0.3]),
    };
    const explainer = (trees: FlatTree[]) =>
      makeExplainer({ trees, scale: 1, base: 0 }, nodeCovers(trees, reference), 2);
    // Leaves at depths 1, 2 and 2: 5/3 steps a row; a lone leaf takes none.
    expect(walkSteps(explainer([tree]))).toBeCloseTo(2 + 5 / 3, 12);
    expect(walkSteps(explainer([tree, leaf, tree]))).toBeCloseTo(2 + 10 / 3, 12);
  });
});

describe('contributions of a forest', () => {
  const data = generate(3000, { seed: 5, noise: 4, missing: 0.1 });

  it('sum to the prediction minus the expected value on every row', async () => {
    const { model } = await fitForest(data.X, data.y, { trees: 25, minLeaf: 3, seed: 2, threads: 1 });
    const ensemble = forestEngine.ensemble!(model);
    const ex = makeExplainer(ensemble, nodeCovers(ensemble.trees, data.X), data.X.columns.length);
    const test = generate(500, { seed: 6, noise: 4, missing: 0.1 }).X;
    const phi = contributions(ex, test);
    const p = predictForest(model, test);
    const F = test.columns.length;
    for (let i = 0; i < test.nRows; i++) {
      let sum = 0;
      for (let f = 0; f <= F; f++) sum += phi[i * (F + 1) + f]!;
      expect(sum).toBeCloseTo(p[i]!, 12);
    }
    // The expected value is the mean prediction over the rows the covers came from.
    const train = predictForest(model, data.X);
    expect(ex.expected).toBeCloseTo(train.reduce((s, v) => s + v, 0) / train.length, 12);
    // The signal features carry more credit than the noise ones.
    const size = new Float64Array(F);
    for (let i = 0; i < test.nRows; i++)
      for (let f = 0; f < F; f++) size[f]! += Math.abs(phi[i * (F + 1) + f]!);
    expect(Math.min(...size.subarray(0, 3))).toBeGreaterThan(Math.max(...size.subarray(3)));
  });
});

describe('node covers in the model file', () => {
  it('round-trip through left-child covers', async () => {
    const data = generate(800, { seed: 8 });
    const { model } = await fitForest(data.X, data.y, { trees: 4, seed: 1, threads: 1 });
    const covers = nodeCovers(model.trees, data.X);
    const json = JSON.parse(JSON.stringify(nodeCoversToJSON(model.trees, covers)));
    expect(json.rows).toBe(800);
    expect(nodeCoversFromJSON(json, model.trees)).toEqual(covers);
  });

  it('refuses covers that do not fit the trees', () => {
    const good = nodeCoversToJSON([tree], [Uint32Array.from([5, 3, 2, 1, 1])]);
    expect(() => nodeCoversFromJSON({ ...good, trees: [] }, [tree])).toThrow(ModelError);
    expect(() => nodeCoversFromJSON({ ...good, version: 2 }, [tree])).toThrow(/version 2/);
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32LE(5, 0);
    bytes.writeUInt32LE(6, 4);
    expect(() => nodeCoversFromJSON({ ...good, trees: [bytes.toString('base64')] }, [tree])).toThrow(
      /covers more rows than its parent/,
    );
    expect(() => nodeCoversFromJSON({ ...good, trees: ['AAAA'] }, [tree])).toThrow(/expected 12/);
  });
});

describe('top drivers on worker threads', () => {
  it('are the in-process drivers, bit for bit, whatever the thread count', async () => {
    // Three chunks and a part (a thread takes 4,096 rows at a time): every thread gets rows.
    const data = generate(14_000, { seed: 13, noise: 3, missing: 0.1 });
    const { model } = await fitForest(data.X, data.y, { trees: 8, minLeaf: 5, seed: 4, threads: 1 });
    const ensemble = forestEngine.ensemble!(model);
    const ex = makeExplainer(ensemble, nodeCovers(ensemble.trees, data.X), data.X.columns.length);
    const F = data.X.columns.length;
    const groups = { of: Int32Array.from({ length: F }, (_, f) => f >> 1), count: (F + 1) >> 1 };
    const alone = topDrivers(ex, data.X, 2, groups);
    for (const threads of [2, 3]) {
      const split = await topDriversParallel(ex, data.X, 2, groups, threads, 0);
      expect(split).toEqual(alone);
    }
  }, 60_000);
});
