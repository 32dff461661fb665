import { describe, expect, it } from 'vitest';
import {
  boostEngine,
  contributions,
  fitBoost,
  fitForest,
  forestEngine,
  makeExplainer,
  nodeCovers,
  nodeExpectations,
  predictBoost,
  predictBoostRaw,
  predictForest,
  topDrivers,
} from '../../src/index.js';
import { generate } from './forest-data.js';

describe('the walk that explains also scores', () => {
  const data = generate(3000, { seed: 21, noise: 3, missing: 0.15 });
  const test = generate(9000, { seed: 22, noise: 3, missing: 0.15 }).X;

  // Bit for bit (toEqual on Float64Array compares every value exactly), over more than one block of rows.
  it('gives a forest’s prediction: the mean of its trees', async () => {
    const { model } = await fitForest(data.X, data.y, { trees: 12, minLeaf: 3, seed: 7, threads: 1 });
    const ensemble = forestEngine.ensemble!(model);
    const ex = makeExplainer(ensemble, nodeCovers(ensemble.trees, data.X), data.X.columns.length);
    const d = topDrivers(ex, test, 3);
    expect(d.output).toEqual(predictForest(model, test));
    expect(ensemble.toScores).toBeUndefined();
  });

  it('gives a boosted model’s raw score, and its probability through the engine’s toScores', async () => {
    const { model } = await fitBoost(data.X, data.y, { trees: 15, seed: 7, threads: 1 });
    const ensemble = boostEngine.ensemble!(model);
    const ex = makeExplainer(ensemble, nodeCovers(ensemble.trees, data.X), data.X.columns.length);
    const d = topDrivers(ex, test, 3);
    expect(d.output).toEqual(predictBoostRaw(model, test));
    expect(ensemble.toScores!(Float64Array.from(d.output))).toEqual(predictBoost(model, test));
  });
});

describe('contributions as a walk of each row defines them', () => {
  // Bit for bit: each split on a row's path, tree after tree and root first, credits its feature with
  // scale · (E[child] − E[node]). The explainer takes a block's rows node by node; it must add the
  // same numbers in the same order. 9,000 rows are more than two blocks, and 15% of values missing.
  it('adds the same credits in the same order as walking each row', async () => {
    const data = generate(3000, { seed: 31, noise: 3, missing: 0.15 });
    const test = generate(9000, { seed: 32, noise: 3, missing: 0.15 }).X;
    const { model } = await fitBoost(data.X, data.y, { trees: 20, maxLeaves: 15, seed: 3, threads: 1 });
    const ensemble = boostEngine.ensemble!(model);
    const covers = nodeCovers(ensemble.trees, data.X);
    const F = test.columns.length;
    const ex = makeExplainer(ensemble, covers, F);
    const rows = Int32Array.from({ length: 4500 }, (_, i) => 8999 - 2 * i);
    const phi = contributions(ex, test, rows);
    const expected = ensemble.trees.map((t, k) => nodeExpectations(t, covers[k]!));
    const want = new Float64Array(rows.length * (F + 1));
    rows.forEach((row, r) => {
      const o = r * (F + 1);
      ensemble.trees.forEach((t, k) => {
        const e = expected[k]!;
        let node = 0;
        while (t.feature[node]! >= 0) {
          const f = t.feature[node]!;
          const v = test.columns[f]![row]!;
          const left = Number.isNaN(v) ? t.missingLeft[node] === 1 : v <= t.threshold[node]!;
          const child = left ? t.left[node]! : t.right[node]!;
          want[o + f]! += ensemble.scale * (e[child]! - e[node]!);
          node = child;
        }
      });
      want[o + F] = ex.expected;
    });
    expect(phi).toEqual(want);
  });
});
