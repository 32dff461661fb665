/**
 * The contact policy: nobody is called twice within targets.contact_gap_days, across lists and
 * months. The contact history is the call centre's returned work orders of earlier lists
 * (DATA-CONTRACT: work-order outcomes); a work order counts as a contact on its contact_date when
 * the call reached the subscriber. Unreached attempts do not count: calling again is the point.
 */
import type { OutcomesTable } from '../contract.js';
import type { DictColumn } from '../frame.js';

export interface RecentContacts {
  /** 1 for each subscriber of `ids` reached within the gap before the list date. */
  readonly recent: Uint8Array;
  /** How many of them. */
  readonly count: number;
}

/**
 * Marks the subscribers reached on a day d with listDate − gapDays < d ≤ listDate: listing them on
 * listDate would call them a second time within gapDays. Contacts after the list date are not
 * counted (a rerun of an earlier month with a later history must not change its lists).
 */
export function recentContacts(
  history: OutcomesTable,
  ids: DictColumn,
  listDate: number,
  gapDays: number,
): RecentContacts {
  const h = history.cols;
  const reached = new Set<string>();
  for (let k = 0; k < history.n; k++) {
    const d = h.contact_date[k]!;
    if (h.contacted[k] !== 1 || !(d > listDate - gapDays && d <= listDate)) continue;
    reached.add(h.subscriber_id.dictionary[h.subscriber_id.codes[k]!]!);
  }
  const recent = new Uint8Array(ids.codes.length);
  let count = 0;
  for (let i = 0; i < recent.length; i++) {
    const code = ids.codes[i]!;
    if (code >= 0 && reached.has(ids.dictionary[code]!)) {
      recent[i] = 1;
      count++;
    }
  }
  return { recent, count };
}
