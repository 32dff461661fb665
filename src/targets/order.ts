import type { DictColumn } from '../frame.js';

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
  const scratch = new Float64Array(1);
  const bits = new Uint32Array(scratch.buffer);
  const hiWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  let at = 0;
  for (let k = 0; k < n; k++) {
    const row = rows[k]!;
    const v = revenue[row]!;
    if (Number.isNaN(v)) {
      missing.push(row);
      continue;
    }
    // Negated (and -0 folded into +0) so ascending keys mean highest revenue first.
    scratch[0] = -v + 0;
    let hi = bits[hiWord]!;
    let lo = bits[1 - hiWord]!;
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    hiKey[at] = hi;
    loKey[at] = lo;
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

/** Positions 0..n-1 in ascending (hi, lo) order, stable: LSD radix sort in 16-bit digits. */
function radixOrder(hi: Uint32Array, lo: Uint32Array): Int32Array {
  const n = hi.length;
  let order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let next = new Int32Array(n);
  const counts = new Int32Array(65537);
  for (const [words, shift] of [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ] as const) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[((words[k]! >>> shift) & 0xffff) + 1]!++;
    // A digit shared by every key leaves the order as it is.
    if (counts[(((words[0] ?? 0) >>> shift) & 0xffff) + 1] === n) continue;
    for (let d = 0; d < 65536; d++) counts[d + 1]! += counts[d]!;
    for (let k = 0; k < n; k++) {
      const p = order[k]!;
      next[counts[(words[p]! >>> shift) & 0xffff]!++] = p;
    }
    [order, next] = [next, order];
  }
  return order;
}
