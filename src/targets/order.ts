import type { DictColumn } from '../frame.js';
import { putNumberKey, radixOrder } from '../radix-sort.js';

/**
 * Row indices ordered by revenue at risk, highest first; a missing (NaN) revenue sorts last; ties
 * by subscriber id (code-unit order), then row, so the same input always gives the same list.
 *
 * Lists run to millions of rows, where a comparator sort takes seconds, so the revenues are
 * turned into order-preserving 64-bit keys and radix-sorted (four stable 16-bit passes); only
 * runs of equal revenue are then sorted by id with a comparator.
 */
export function sortByRevenueAtRisk(rows: Int32Array, revenue: Float64Array, ids: DictColumn): Int32Array {
  const n = rows.length;
  const missing: number[] = [];
  let count = 0;
  for (let k = 0; k < n; k++) if (!Number.isNaN(revenue[rows[k]!]!)) count++;
  const hiKey = new Uint32Array(count);
  const loKey = new Uint32Array(count);
  const valuedRows = new Int32Array(count);
  let at = 0;
  for (let k = 0; k < n; k++) {
    const row = rows[k]!;
    const v = revenue[row]!;
    if (Number.isNaN(v)) {
      missing.push(row);
      continue;
    }
    // Negated (and -0 folded into +0) so ascending keys mean highest revenue first.
    putNumberKey(-v + 0, hiKey, loKey, at);
    valuedRows[at++] = row;
  }

  const order = radixOrder(hiKey, loKey);
  const out = new Int32Array(n);
  for (let k = 0; k < order.length; k++) out[k] = valuedRows[order[k]!]!;
  for (let k = 0; k < missing.length; k++) out[order.length + k] = missing[k]!;

  const idOf = (i: number): string => {
    const code = ids.codes[i]!;
    return code < 0 ? '' : ids.dictionary[code]!;
  };
  const byId = (a: number, b: number): number => {
    const ia = idOf(a);
    const ib = idOf(b);
    return ia < ib ? -1 : ia > ib ? 1 : a - b;
  };
  let start = 0;
  for (let k = 1; k <= order.length; k++) {
    const same =
      k < order.length &&
      hiKey[order[k]!] === hiKey[order[start]!] &&
      loKey[order[k]!] === loKey[order[start]!];
    if (same) continue;
    if (k - start > 1) out.subarray(start, k).sort(byId);
    start = k;
  }
  if (missing.length > 1) out.subarray(order.length).sort(byId);
  return out;
}
