import { describe, expect, it } from 'vitest';
import {
  contributions,
  fitForest,
  forestEngine,
  makeExplainer,
  nodeCovers,
  topDrivers,
} from '../../src/index.js';
import { generate } from './forest-data.js';

describe('top drivers of a forest', () => {
  const data = generate(3000, { seed: 5, noise: 4, missing: 0.1 });

  it('ranks each row’s largest positive drivers, summing features of a group', async () => {
    const { model } = await fitForest(data.X, data.y, { trees: 10, minLeaf: 5, seed: 3, threads: 1 });
    const ensemble = forestEngine.ensemble!(model);
    const ex = makeExplainer(ensemble, nodeCovers(ensemble.trees, data.X), data.X.columns.length);
    const rows = Int32Array.from({ length: 50 }, (_, i) => i * 7);
    const phi = contributions(ex, data.X, rows);
    const F = data.X.columns.length;
    const d = topDrivers(ex, data.X, 3, undefined, rows);
    rows.forEach((_, r) => {
      const positive = Array.from({ length: F }, (_, f) => [f, phi[r * (F + 1) + f]!] as const)
        .filter(([, v]) => v > 0)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, 3);
      expect(Array.from(d.group.subarray(r * 3, r * 3 + positive.length))).toEqual(positive.map(([f]) => f));
      expect(Array.from(d.group.subarray(r * 3 + positive.length, r * 3 + 3)).every((g) => g === -1)).toBe(
        true,
      );
      positive.forEach(([, v], j) => {
        expect(d.amount[r * 3 + j]).toBeCloseTo(v, 12);
      });
    });
    // Features 0 and 1 as one group (0), every other its own: the pair's sum ranks, the larger speaks.
    const of = Int32Array.from({ length: F }, (_, f) => Math.max(0, f - 1));
    const grouped = topDrivers(ex, data.X, 1, { of, count: F - 1 }, rows);
    rows.forEach((_, r) => {
      const pair = phi[r * (F + 1)]! + phi[r * (F + 1) + 1]!;
      if (grouped.group[r] !== 0) return;
      expect(grouped.amount[r]).toBeCloseTo(pair, 12);
      const speaker = phi[r * (F + 1)]! >= phi[r * (F + 1) + 1]! ? 0 : 1;
      expect(grouped.speaker[r]).toBe(speaker);
    });
  });
});
