import { kmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { createRandom, kmeansPlusPlus, lloyd } from '../../src/index.js';
import { overlappingRows as rows } from './blobs.js';

function startOf(x: { n: number; d: number; data: Float64Array }, k: number, seed: number): Float64Array {
  const start = new Float64Array(k * x.d);
  kmeansPlusPlus(x, k, createRandom(seed, 1)).forEach((row, c) => {
    start.set(x.data.subarray(row * x.d, (row + 1) * x.d), c * x.d);
  });
  return start;
}

describe('lloyd (Hamerly bounds)', () => {
  // biome-ignore format: column-aligned case table
  it.each([
    [3_000, 4, 3,  1, false, 1e-4],
    [3_000, 8, 7,  2, false, 1e-4],
    [2_000, 10, 10, 3, false, 1e-6],
    [2_000, 3, 6,  4, true,  1e-4],
    [500,   2, 9,  5, true,  0],
  ])('gives ml-kmeans Lloyd result to the last bit: %i rows, d %i, k %i (seed %i, rounded %s, tolerance %f)', (n, d, k, seed, round, tolerance) => {
    const x = rows(n, d, seed, round);
    const start = startOf(x, k, seed);
    const points = Array.from({ length: n }, (_, i) => Array.from(x.data.subarray(i * d, (i + 1) * d)));
    const initialization = Array.from({ length: k }, (_, c) => Array.from(start.subarray(c * d, (c + 1) * d)));
    const reference = kmeans(points, k, { initialization, maxIterations: 100, tolerance });
    const ours = lloyd(x, start, k, { maxIterations: 100, tolerance });
    expect(ours.iterations).toBe(reference.iterations);
    expect(Array.from(ours.centroids)).toEqual(reference.centroids.flat());
    expect(ours.iterations).toBeGreaterThan(1);
  });

  it('stops at maxIterations and keeps the centre of a segment no row is nearest to', () => {
    const x = { n: 4, d: 1, data: Float64Array.from([0, 1, 10, 11]) };
    const stuck = lloyd(x, Float64Array.from([0.5, 10.5, 100]), 3, { maxIterations: 5, tolerance: 0 });
    expect(Array.from(stuck.centroids)).toEqual([0.5, 10.5, 100]);
    expect(stuck.iterations).toBe(1);
    expect(stuck.converged).toBe(true);
    const capped = lloyd(rows(2_000, 3, 8, false), startOf(rows(2_000, 3, 8, false), 6, 8), 6, {
      maxIterations: 2,
      tolerance: 0,
    });
    expect(capped.iterations).toBe(2);
    expect(capped.converged).toBe(false);
  });
});
