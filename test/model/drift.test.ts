import { describe, expect, it } from 'vitest';
import {
  addDriftCounts,
  binner,
  countBins,
  countDrift,
  DRIFT_BINS,
  driftReference,
  driftReferenceFromJSON,
  fitBins,
} from '../../src/index.js';

const matrix = (cols: Record<string, number[]>) => ({
  nRows: Object.values(cols)[0]!.length,
  names: Object.keys(cols),
  columns: Object.values(cols).map((c) => Float64Array.from(c)),
});

describe('drift bins', () => {
  it('gives a flag or a small count one bin per value, then other, then missing', () => {
    const bins = fitBins(Float64Array.from([0, 1, 1, 3, Number.NaN, 0]), 1, 0);
    expect(bins).toEqual({ kind: 'values', values: [0, 1, 3] });
    const bin = binner(bins);
    // prettier-ignore
    expect([0, 1, 3, 2, 7, Number.NaN].map(bin)).toEqual([0, 1, 2, 3, 3, 4]);
  });

  it('gives a feature of many values decile edges, with missing values in a last bin of their own', () => {
    const column = Float64Array.from({ length: 1000 }, (_, i) => (i % 50 === 0 ? Number.NaN : i));
    const bins = fitBins(column, 1, 0);
    expect(bins.kind).toBe('quantiles');
    if (bins.kind !== 'quantiles') return;
    expect(bins.edges).toHaveLength(DRIFT_BINS - 1);
    const counts = countBins(bins, column);
    expect(counts).toHaveLength(DRIFT_BINS + 1);
    // 980 values in ten equal bins, 20 missing, and the missing bin is the last.
    expect(counts.slice(0, DRIFT_BINS)).toEqual(new Array(DRIFT_BINS).fill(98));
    expect(counts.at(-1)).toBe(20);
    expect(binner(bins)(-1e9)).toBe(0);
    expect(binner(bins)(1e9)).toBe(DRIFT_BINS - 1);
  });

  it.each([
    ['values', { kind: 'values', values: [-1, 0, 1, 3] }],
    ['quantiles', { kind: 'quantiles', edges: [-2, -0.5, 0, 0.25, 1, 7] }],
  ] as const)('counts %s bins as binner bins each value, of all rows or the rows given', (_, bins) => {
    const pool = [-3, -2, -1, -0.5, -0, 0, 0.1, 0.25, 1, 2, 3, 7, 9, Number.NaN, Number.NEGATIVE_INFINITY];
    const column = Float64Array.from({ length: 500 }, (_v, i) => pool[(i * 7 + (i >> 3)) % pool.length]!);
    const rows = Int32Array.from({ length: 200 }, (_v, i) => (i * 13) % 500);
    const bin = binner(bins);
    const expected = (ks: ArrayLike<number>) => {
      const counts = new Array<number>(bins.kind === 'values' ? 6 : 8).fill(0);
      for (let k = 0; k < ks.length; k++) counts[bin(column[ks[k]!]!)]!++;
      return counts;
    };
    expect(countBins(bins, column)).toEqual(expected(Int32Array.from({ length: 500 }, (_v, i) => i)));
    expect(countBins(bins, column, rows)).toEqual(expected(rows));
    expect(countBins(bins, column).every((c) => c > 0)).toBe(true);
  });

  it('keeps a feature at one value in one value bin: a value training never saw goes to other', () => {
    const ref = driftReference(matrix({ flag: [0, 0, 0, 0] }), Float64Array.from([0.1, 0.2, 0.3, 0.4]), 1);
    expect(ref.features[0]).toEqual({
      name: 'flag',
      bins: { kind: 'values', values: [0] },
      shares: [1, 0, 0],
    });
    const counts = countDrift(
      ref,
      matrix({ flag: [0, 1, 1, Number.NaN] }),
      Float64Array.from([0.1, 0.2, 0.3, 0.4]),
    );
    expect(counts.features[0]).toEqual([1, 2, 1]);
    // Four distinct scores: one bin each, then other and missing.
    expect(counts.score).toEqual([1, 1, 1, 1, 0, 0]);
  });
});

describe('drift counts', () => {
  it('counts only the rows asked for, by feature name whatever the column order', () => {
    const ref = driftReference(matrix({ a: [1, 2, 3], b: [5, 5, 6] }), Float64Array.from([0, 0, 1]), 1);
    const X = matrix({ b: [5, 6, 6, 5], a: [1, 1, 3, 2] });
    const counts = countDrift(ref, X, Float64Array.from([0, 1, 1, 0]), Int32Array.from([1, 2]));
    expect(counts).toEqual({
      rows: 2,
      features: [
        [1, 0, 1, 0, 0],
        [0, 2, 0, 0],
      ],
      score: [0, 2, 0, 0],
    });
  });

  it('adds the counts of shards bin by bin', () => {
    const a = { rows: 3, features: [[1, 2, 0]], score: [3, 0] };
    const b = { rows: 2, features: [[0, 1, 1]], score: [1, 1] };
    expect(addDriftCounts([a, b])).toEqual({ rows: 5, features: [[1, 3, 1]], score: [4, 1] });
    expect(a.features[0]).toEqual([1, 2, 0]);
  });
});

/** The parts of a stored reference the cases below damage. */
interface RefJson {
  features: { shares: number[]; bins: { values?: number[] } }[];
  score: { bins?: unknown };
}

describe('the model file drift field', () => {
  const ref = driftReference(matrix({ a: [1, 2, 3], b: [0, 1, 0] }), Float64Array.from([0.2, 0.5, 0.9]), 1);
  const json = JSON.parse(JSON.stringify(ref));

  it('reads back what was written, and null for a model trained before drift references', () => {
    expect(driftReferenceFromJSON(json, ['a', 'b'])).toEqual(ref);
    expect(driftReferenceFromJSON(undefined, ['a', 'b'])).toBeNull();
    expect(driftReferenceFromJSON(null, ['a', 'b'])).toBeNull();
  });

  // prettier-ignore
  it.each([
    [
      'other features',
      (j: RefJson) => {
        j.features.reverse();
      },
      "its features are not the model's features",
    ],
    [
      'shares of other bins',
      (j: RefJson) => {
        j.features[0].shares.pop();
      },
      'feature "a": shares do not match the bins',
    ],
    [
      'unsorted values',
      (j: RefJson) => {
        j.features[1].bins.values = [1, 0];
      },
      'feature "b": bin values are not increasing numbers',
    ],
    [
      'no score bins',
      (j: RefJson) => {
        delete j.score.bins;
      },
      'score: bins are missing',
    ],
  ])('refuses a reference with %s', (_, damage, message) => {
    const copy = JSON.parse(JSON.stringify(json));
    damage(copy);
    expect(() => driftReferenceFromJSON(copy, ['a', 'b'])).toThrow(message);
  });
});
