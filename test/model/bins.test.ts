import { describe, expect, it } from 'vitest';
import { binFeatures, binOf, createRandom, findEdges, QUANTILE_SAMPLE_ROWS } from '../../src/index.js';
import { binColumn, binOnEdges, rowMajorCodes } from '../../src/model/bins.js';
import { describeWithSharedData, loadSharedTable } from '../helpers/shared-data.js';

describe('findEdges / binOf', () => {
  it('puts each of a few distinct values in its own bin, split halfway, NaN in the last bin', () => {
    const edges = findEdges(Float64Array.from([3, 1, 2, 2, Number.NaN, 1]), 255, 1, 0);
    expect(Array.from(edges)).toEqual([1.5, 2.5]);
    expect([1, 2, 3, 100, Number.NaN].map((v) => binOf(edges, v))).toEqual([0, 1, 2, 2, 3]);
  });

  it('uses quantiles when there are more values than bins, keeping bins about equally full', () => {
    const column = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const edges = findEdges(column, 10, 1, 0);
    expect(edges.length).toBe(9);
    const counts = new Array(11).fill(0);
    for (const v of column) counts[binOf(edges, v)]++;
    for (const c of counts.slice(0, 10)) expect(Math.abs(c - 1000)).toBeLessThanOrEqual(1);
    expect(counts[10]).toBe(0);
  });

  it('samples large columns deterministically', () => {
    const n = QUANTILE_SAMPLE_ROWS + 50_000;
    const column = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1000);
    const a = findEdges(column, 255, 7, 3);
    expect(a).toEqual(findEdges(column, 255, 7, 3));
    expect(a.length).toBe(254);
    // Sampled quantiles stay close to the exact ones.
    const sorted = column.slice().sort();
    const median = sorted[n >> 1]!;
    expect(Math.abs(a[126]! - median)).toBeLessThan(20);
  });
});

describe('binFeatures', () => {
  it('codes every feature in one byte, at most maxBins codes with the missing one', () => {
    const X = {
      nRows: 1000,
      names: ['a', 'b'],
      columns: [
        Float64Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? Number.NaN : i)),
        Float64Array.from({ length: 1000 }, (_, i) => i % 2),
      ],
    };
    const b = binFeatures(X, 16, 1);
    expect(Math.max(...b.codes[0]!)).toBe(15);
    expect(b.codes[0]![0]).toBe(b.edges[0]!.length + 1);
    expect(Array.from(b.codes[1]!.slice(0, 4))).toEqual([0, 1, 0, 1]);
    expect(binFeatures(X, 16, 1, true).codes[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('rowMajorCodes', () => {
  it('lays the same codes out row by row, across transposition blocks', () => {
    const n = 5000;
    const codes = [0, 1, 2].map((f) => Uint8Array.from({ length: n }, (_, i) => (i * (f + 3) + f) % 251));
    const rows = rowMajorCodes(codes, n);
    for (const i of [0, 1, 4095, 4096, 4999])
      expect(Array.from(rows.subarray(i * 3, i * 3 + 3))).toEqual(codes.map((c) => c[i]));
    expect(rowMajorCodes(codes, n, true).buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('binColumn', () => {
  const random = createRandom(11, 0);
  const heavy = Float64Array.from({ length: 50_000 }, () => Math.exp(random.normal() * 6));
  const ints = Float64Array.from({ length: 50_000 }, () => random.int(40));
  const normal = Float64Array.from({ length: 50_000 }, () => random.normal());
  it.each([
    ['heavy-tailed', heavy],
    ['40 integers', ints],
    ['normal', normal],
  ])("gives binOf's bin for every value of a %s column, edges and extremes included", (_, column) => {
    const edges = findEdges(column, 255, 1, 0);
    const probe = Float64Array.from([
      ...column,
      ...edges,
      ...Array.from(edges, (e) => e * (1 + 1e-15)),
      ...Array.from(edges, (e) => e * (1 - 1e-15)),
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      -1e300,
      1e300,
    ]);
    const out = new Uint8Array(probe.length);
    binColumn(edges, probe, out);
    const want = Uint8Array.from(probe, (v) => binOf(edges, v));
    expect(out).toEqual(want);
  });
});

describe('binOnEdges', () => {
  it("codes other rows on a fit's edges as binOf does: missing, below the first edge and past the last", () => {
    const random = createRandom(12, 0);
    const train = {
      nRows: 2000,
      names: ['spend', 'calls'],
      columns: [
        Float64Array.from({ length: 2000 }, () => random.normal() * 30 + 50),
        Float64Array.from({ length: 2000 }, () => random.int(12)),
      ],
    };
    const { edges } = binFeatures(train, 64, 1);
    // A column longer than nRows (a builder's spare capacity) is read up to nRows only.
    const valid = {
      nRows: 5,
      names: train.names,
      columns: [
        Float64Array.of(Number.NaN, -1e9, 50, 1e9, 49.5, 7),
        Float64Array.of(0, 11, 12, Number.NaN, 3, 7),
      ],
    };
    const codes = binOnEdges(valid, edges);
    expect(codes.map((c) => c.length)).toEqual([5, 5]);
    for (const [f, c] of codes.entries())
      expect(Array.from(c)).toEqual(Array.from(valid.columns[f]!.subarray(0, 5), (v) => binOf(edges[f]!, v)));
    expect(codes[0]![0]).toBe(edges[0]!.length + 1);
    expect(codes[0]![1]).toBe(0);
    expect(codes[0]![3]).toBe(edges[0]!.length);
  });
});

/** The former findEdges (full sort, distinct values counted on the sorted sample): the reference. */
function sortedEdges(column: Float64Array, maxValueBins: number, seed: number, stream: number): Float64Array {
  const n = column.length;
  const picked: number[] = [];
  if (n > QUANTILE_SAMPLE_ROWS) {
    const random = createRandom(seed, stream);
    for (let i = 0; i < QUANTILE_SAMPLE_ROWS; i++) picked.push(column[random.int(n)]!);
  } else picked.push(...column);
  const sample = Float64Array.from(picked.filter((v) => !Number.isNaN(v))).sort();
  const m = sample.length;
  const distinct: number[] = [];
  for (let i = 0; i < m && distinct.length <= maxValueBins; i++)
    if (i === 0 || sample[i] !== sample[i - 1]) distinct.push(sample[i]!);
  const edges: number[] = [];
  if (distinct.length <= maxValueBins) {
    for (let i = 1; i < distinct.length; i++) edges.push((distinct[i - 1]! + distinct[i]!) / 2);
  } else {
    for (let b = 1; b < maxValueBins; b++) {
      const pos = (b * (m - 1)) / maxValueBins;
      const lo = Math.floor(pos);
      const q = sample[lo]! + (sample[Math.min(lo + 1, m - 1)]! - sample[lo]!) * (pos - lo);
      if (q < sample[m - 1]! && (edges.length === 0 || q > edges[edges.length - 1]!)) edges.push(q);
    }
  }
  return Float64Array.from(edges);
}

/** Bit patterns, so -0 against +0 and every last bit count. */
const bits = (a: Float64Array) => Array.from(new BigUint64Array(Float64Array.from(a).buffer), String);

describe('findEdges matches a full sort bit for bit', () => {
  const random = createRandom(7, 3);
  const gen = (n: number, f: () => number) => Float64Array.from({ length: n }, f);
  const columns: [string, Float64Array][] = [
    ['continuous', gen(40_000, () => random.next() * 2 - 1)],
    ['continuous with NaN', gen(40_000, () => (random.next() < 0.1 ? Number.NaN : random.next() * 100))],
    ['heavy ties', gen(40_000, () => Math.floor(random.next() * 40) / 4)],
    ['few codes', gen(40_000, () => Math.floor(random.next() * 8))],
    ['exactly 255 values', gen(40_000, () => Math.floor(random.next() * 255))],
    ['256 values', gen(40_000, () => Math.floor(random.next() * 256))],
    ['mostly one value', gen(40_000, () => (random.next() < 0.97 ? 0 : random.next()))],
    [
      'signed zeros',
      gen(40_000, () => (random.next() < 0.3 ? -0 : random.next() < 0.5 ? 0 : random.next() - 0.5)),
    ],
    ['only -0 and one value', gen(1000, () => (random.next() < 0.5 ? -0 : 3))],
    ['all NaN', gen(500, () => Number.NaN)],
    ['sampled (above the sample size)', gen(QUANTILE_SAMPLE_ROWS + 5_000, () => random.next() ** 3)],
    ['tiny', Float64Array.of(5, 1, 1, Number.NaN, 3)],
  ];
  it.each(columns)('%s', (_, column) => {
    for (const bins of [3, 10, 31, 63, 254]) {
      expect(bits(findEdges(column, bins, 11, 2))).toEqual(bits(sortedEdges(column, bins, 11, 2)));
    }
  });
});

describeWithSharedData('findEdges on the public tables matches a full sort', () => {
  it.each([
    'ibm-telco/Telco-Customer-Churn.csv',
    'bigml-churn/churn-bigml-80.csv',
    'iranian-churn/Customer_Churn.csv',
  ])('%s', (file) => {
    const raw = loadSharedTable(file);
    let numeric = 0;
    for (const cells of raw.columns) {
      const column = Float64Array.from(cells, (c) =>
        c === null || c.trim() === '' ? Number.NaN : Number(c),
      );
      if (column.every(Number.isNaN)) continue;
      numeric++;
      for (const bins of [10, 254]) {
        expect(bits(findEdges(column, bins, 1, 0))).toEqual(bits(sortedEdges(column, bins, 1, 0)));
      }
    }
    expect(numeric).toBeGreaterThan(3);
  });
});
