import { describe, expect, it } from 'vitest';
import { createRandom, kmeansPlusPlus } from '../../src/index.js';

/** `per` rows around each of the given 2-D centres, spread 0.1: far apart next to their size. */
function clusters(centres: readonly (readonly [number, number])[], per: number, seed: number) {
  const r = createRandom(seed);
  const data = new Float64Array(centres.length * per * 2);
  centres.forEach(([cx, cy], c) => {
    for (let i = 0; i < per; i++) {
      data[(c * per + i) * 2] = cx + 0.1 * r.normal();
      data[(c * per + i) * 2 + 1] = cy + 0.1 * r.normal();
    }
  });
  return { n: centres.length * per, d: 2, data };
}

const CENTRES = [
  [0, 0],
  [10, 0],
  [0, 10],
  [10, 10],
  [5, 20],
] as const;

describe('kmeansPlusPlus', () => {
  it.each([1, 2, 3])('starts one centre in each well-separated cluster (seed %i)', (seed) => {
    const x = clusters(CENTRES, 200, seed);
    const rows = kmeansPlusPlus(x, CENTRES.length, createRandom(seed, 1));
    const hit = Array.from(rows, (row) => Math.floor(row / 200)).sort((a, b) => a - b);
    expect(hit).toEqual([0, 1, 2, 3, 4]);
  });

  it('is deterministic for a seed and picks distinct rows when only k rows are distinct', () => {
    const x = clusters(CENTRES, 50, 9);
    const a = kmeansPlusPlus(x, 5, createRandom(7, 1));
    expect(kmeansPlusPlus(x, 5, createRandom(7, 1))).toEqual(a);
    expect(kmeansPlusPlus(x, 5, createRandom(8, 1))).not.toEqual(a);
    // Three distinct points, many copies each: three different points are chosen.
    const copies = { n: 30, d: 1, data: Float64Array.from({ length: 30 }, (_, i) => i % 3) };
    const rows = kmeansPlusPlus(copies, 3, createRandom(1, 1));
    expect(new Set(Array.from(rows, (r) => copies.data[r])).size).toBe(3);
  });

  it('keeps the first drawn row when no distance is finite, rather than failing', () => {
    const x = { n: 6, d: 1, data: Float64Array.from([0, 1, 2, Number.NaN, 4, 5]) };
    const rows = kmeansPlusPlus(x, 3, createRandom(3, 1));
    expect(rows).toHaveLength(3);
    expect(Array.from(rows).every((r) => r >= 0 && r < 6)).toBe(true);
  });
});
