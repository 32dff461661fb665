import { describe, expect, it } from 'vitest';
import { createRandom, silhouette, silhouettes, simplifiedSilhouette } from '../../src/index.js';

const rows = (values: number[][]) => ({
  n: values.length,
  d: values[0]!.length,
  data: Float64Array.from(values.flat()),
});

describe('silhouette', () => {
  it('matches the hand computation on two 1-D pairs', () => {
    // Points 0 and 11: a = 1, b = 10.5; points 1 and 10: a = 1, b = 9.5.
    const expected = ((10.5 - 1) / 10.5 + (9.5 - 1) / 9.5) / 2;
    expect(silhouette(rows([[0], [1], [10], [11]]), new Int32Array([0, 0, 1, 1]), 2)).toBeCloseTo(
      expected,
      12,
    );
  });

  it('uses Euclidean distance in several dimensions and scores a lone row 0', () => {
    // Segment 0 = {(0,0), (3,4)} (distance 5), segment 1 = {(0,8)} alone.
    const x = rows([
      [0, 0],
      [3, 4],
      [0, 8],
    ]);
    const s0 = (8 - 5) / 8; // (0,0): a = 5, b = 8
    const s1 = (5 - 5) / 5; // (3,4): a = 5, b = 5
    expect(silhouette(x, new Int32Array([0, 0, 1]), 2)).toBeCloseTo((s0 + s1 + 0) / 3, 12);
  });

  it('is negative for a labelling against the grain and NaN with one segment', () => {
    const x = rows([[0], [1], [10], [11]]);
    expect(silhouette(x, new Int32Array([0, 1, 0, 1]), 2)).toBeLessThan(0);
    expect(silhouette(x, new Int32Array([0, 0, 0, 0]), 3)).toBeNaN();
  });

  it('scores several labellings of one sample in one pass, exactly as one at a time', () => {
    const r = createRandom(4);
    const n = 300;
    const x = { n, d: 3, data: Float64Array.from({ length: n * 3 }, () => r.normal()) };
    const labellings = [2, 3, 5, 8].map((k) => ({
      k,
      labels: Int32Array.from({ length: n }, (_, i) => i % k),
    }));
    const one = new Int32Array(n);
    const together = silhouettes(x, [...labellings, { k: 2, labels: one }]);
    expect(together.slice(0, 4)).toEqual(labellings.map((l) => silhouette(x, l.labels, l.k)));
    expect(together[4]).toBeNaN();
    expect(new Set(together.slice(0, 4)).size).toBe(4);
  });

  it('simplified: distances to the nearest and second-nearest centre, by hand', () => {
    // Centres 0 and 10. Row 1: a = 1, b = 9; row 4: a = 4, b = 6; row 10: a = 0, b = 10; row 12: a = 2, b = 12.
    const x = rows([[1], [4], [10], [12]]);
    const expected = ((9 - 1) / 9 + (6 - 4) / 6 + 1 + (12 - 2) / 12) / 4;
    expect(simplifiedSilhouette(x, Float64Array.from([0, 10]), 2)).toBeCloseTo(expected, 12);
    // A third, far centre changes nobody's nearest or second nearest.
    expect(simplifiedSilhouette(x, Float64Array.from([0, 10, 100]), 3)).toBeCloseTo(expected, 12);
    expect(simplifiedSilhouette(x, Float64Array.from([5]), 1)).toBeNaN();
  });
});
