import type { DictColumn } from '../frame.js';

/**
 * Sorts row indices in place by revenue at risk, highest first; a missing (NaN) revenue sorts
 * last; ties by subscriber id (code-unit order) so the same input always gives the same list.
 */
export function sortByRevenueAtRisk(rows: Int32Array, revenue: Float64Array, ids: DictColumn): Int32Array {
  const idOf = (i: number): string => {
    const code = ids.codes[i]!;
    return code < 0 ? '' : ids.dictionary[code]!;
  };
  return rows.sort((a, b) => {
    const ra = revenue[a]!;
    const rb = revenue[b]!;
    const na = Number.isNaN(ra);
    const nb = Number.isNaN(rb);
    if (na !== nb) return na ? 1 : -1;
    if (!na && ra !== rb) return rb - ra;
    const ia = idOf(a);
    const ib = idOf(b);
    return ia < ib ? -1 : ia > ib ? 1 : a - b;
  });
}
