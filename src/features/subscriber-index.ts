/**
 * Billing rows grouped by subscriber, months ascending within a subscriber, so a row's earlier
 * months are its neighbours. History is looked up by month index, never by position: a month
 * with no billing row is a gap, not a zero month.
 */
import type { BillingTable } from '../contract.js';
import { InternalError } from '../errors.js';

export interface SubscriberIndex {
  /** Distinct subscriber ids; `key[row]` indexes into it. */
  readonly ids: readonly string[];
  readonly idToKey: ReadonlyMap<string, number>;
  /** Subscriber key of each billing row. */
  readonly key: Int32Array;
  /** Billing rows ordered by (subscriber, month). */
  readonly order: Int32Array;
  /** Position of each billing row in `order`. */
  readonly pos: Int32Array;
  /** `order[start[k]..start[k+1])` are subscriber k's rows. */
  readonly start: Int32Array;
}

export function indexSubscribers(billing: BillingTable): SubscriberIndex {
  const { codes, dictionary } = billing.cols.subscriber_id;
  const month = billing.cols.month;
  const n = billing.n;
  // A reader's dictionary is distinct already; canonicalising guards against one that is not.
  const idToKey = new Map<string, number>();
  const ids: string[] = [];
  const codeKey = new Int32Array(dictionary.length);
  for (let c = 0; c < dictionary.length; c++) {
    const id = dictionary[c]!;
    let k = idToKey.get(id);
    if (k === undefined) {
      k = ids.length;
      idToKey.set(id, k);
      ids.push(id);
    }
    codeKey[c] = k;
  }
  const key = new Int32Array(n);
  const start = new Int32Array(ids.length + 1);
  for (let r = 0; r < n; r++) {
    const c = codes[r]!;
    if (c < 0) throw new InternalError(`billing row ${r} has no subscriber_id`);
    key[r] = codeKey[c]!;
    start[key[r]! + 1]!++;
  }
  for (let k = 0; k < ids.length; k++) start[k + 1]! += start[k]!;
  const order = new Int32Array(n);
  const fill = start.slice(0, ids.length);
  for (let r = 0; r < n; r++) order[fill[key[r]!]!++] = r;
  // Insertion sort by month within each subscriber: a handful of rows each, usually in order.
  for (let k = 0; k < ids.length; k++) {
    for (let i = start[k]! + 1; i < start[k + 1]!; i++) {
      const row = order[i]!;
      const m = month[row]!;
      let j = i - 1;
      while (j >= start[k]! && month[order[j]!]! > m) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = row;
    }
  }
  const pos = new Int32Array(n);
  for (let i = 0; i < n; i++) pos[order[i]!] = i;
  return { ids, idToKey, key, order, pos, start };
}

/** The subscriber's billing row for a month, or -1. */
export function rowOfMonth(ix: SubscriberIndex, month: Int32Array, k: number, m: number): number {
  for (let i = ix.start[k]!; i < ix.start[k + 1]!; i++) {
    const row = ix.order[i]!;
    if (month[row] === m) return row;
    if (month[row]! > m) break;
  }
  return -1;
}

/** Mean of the non-NaN values of the rows in the previous `back` months; NaN when there are none. */
export function previousMean(
  ix: SubscriberIndex,
  month: Int32Array,
  values: Float64Array,
  row: number,
  back: number,
): number {
  const k = ix.key[row]!;
  const first = month[row]! - back;
  let sum = 0;
  let count = 0;
  for (let i = ix.pos[row]! - 1; i >= ix.start[k]!; i--) {
    const prev = ix.order[i]!;
    if (month[prev]! < first) break;
    const v = values[prev]!;
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return count > 0 ? sum / count : Number.NaN;
}

/** Largest non-NaN value of the rows in the previous `back` months; NaN when there are none. */
export function previousMax(
  ix: SubscriberIndex,
  month: Int32Array,
  values: Float64Array,
  row: number,
  back: number,
): number {
  const k = ix.key[row]!;
  const first = month[row]! - back;
  let max = Number.NaN;
  for (let i = ix.pos[row]! - 1; i >= ix.start[k]!; i--) {
    const prev = ix.order[i]!;
    if (month[prev]! < first) break;
    const v = values[prev]!;
    if (v > max || (Number.isNaN(max) && !Number.isNaN(v))) max = v;
  }
  return max;
}

/**
 * Least-squares slope per month of the non-NaN values in months [M - span + 1, M] (the row's own
 * month included); NaN with fewer than `minPoints` points.
 */
export function slope(
  ix: SubscriberIndex,
  month: Int32Array,
  values: Float64Array,
  row: number,
  span: number,
  minPoints: number,
): number {
  const k = ix.key[row]!;
  const m0 = month[row]!;
  const first = m0 - span + 1;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = ix.pos[row]!; i >= ix.start[k]!; i--) {
    const r = ix.order[i]!;
    if (month[r]! < first) break;
    const y = values[r]!;
    if (Number.isNaN(y)) continue;
    const x = month[r]! - m0;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < minPoints) return Number.NaN;
  const den = n * sxx - sx * sx;
  return den === 0 ? Number.NaN : (n * sxy - sx * sy) / den;
}
