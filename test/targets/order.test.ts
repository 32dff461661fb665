import { describe, expect, it } from 'vitest';
import { dictFromStrings, sortByRevenueAtRisk } from '../../src/index.js';

/** Reference order: a plain comparator over the same rule. */
function reference(rows: number[], revenue: number[], ids: string[]): number[] {
  return [...rows].sort((a, b) => {
    const na = Number.isNaN(revenue[a]!);
    const nb = Number.isNaN(revenue[b]!);
    if (na !== nb) return na ? 1 : -1;
    if (!na && revenue[a] !== revenue[b]) return revenue[b]! - revenue[a]!;
    return ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b;
  });
}

describe('sortByRevenueAtRisk', () => {
  it('orders by revenue descending, NaN last, ties by subscriber id', () => {
    const revenue = [5, Number.NaN, 0, -0, 7.25, 5, Number.POSITIVE_INFINITY, -3, Number.NaN, 1e-300, 5];
    const ids = ['k', 'b', 'z', 'a', 'm', 'c', 'q', 'r', 'a', 'e', 'c'];
    const rows = revenue.map((_, i) => i);
    const got = sortByRevenueAtRisk(Int32Array.from(rows), Float64Array.from(revenue), dictFromStrings(ids));
    expect(Array.from(got)).toEqual([6, 4, 5, 10, 0, 9, 3, 2, 7, 8, 1]);
    expect(Array.from(got)).toEqual(reference(rows, revenue, ids));
  });

  it('matches the reference on generated data with many ties and a subset of rows', () => {
    let s = 99;
    const next = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const n = 20_000;
    const revenue = Array.from({ length: n }, () =>
      next() < 0.02 ? Number.NaN : Math.round(next() * 500) / 4,
    );
    const ids = Array.from({ length: n }, (_, i) => `S${(i * 7919) % n}`);
    const rows = Array.from({ length: n }, (_, i) => i).filter(() => next() < 0.6);
    const got = sortByRevenueAtRisk(Int32Array.from(rows), Float64Array.from(revenue), dictFromStrings(ids));
    expect(Array.from(got)).toEqual(reference(rows, revenue, ids));
  });
});
