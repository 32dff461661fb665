/**
 * Churn labels (DATA-CONTRACT §3). A row of month M is labelled when month M+1 is present in the
 * billing data and the row's own status is not `closed` (a closed account cannot churn again, so
 * the label does not apply to it; lifecycle excludes closed rows too). A labelled row has
 * churned_next = 1 when the subscriber has no billing row in M+1 or is `closed` in M+1.
 * The last month in the data is unlabelled: it is the month that gets scored. So is a row whose
 * subscriber has no row in M+1 because their row of M+1 was set aside as bad: that is no churn.
 */
import { type BillingTable, type SetAsideRows, STATUS } from '../contract.js';
import { rowOfMonth, type SubscriberIndex } from './subscriber-index.js';

export interface Labels {
  labelled: Uint8Array;
  churned_next: Uint8Array;
  /** 1 where the row is unlabelled because its subscriber's row of the next month was set aside. */
  setAside: Uint8Array;
}

/**
 * The churn label of one subscriber's month M, the rule written once: null when it does not apply
 * (closed in M), else 1 when month M+1 has no row for the subscriber (`nextStatus` undefined) or the
 * row is `closed`, and 0 when it stayed.
 */
export function churnedNext(closedNow: boolean, nextStatus: number | undefined): 0 | 1 | null {
  if (closedNow) return null;
  return nextStatus === undefined || nextStatus === STATUS.closed ? 1 : 0;
}

/**
 * Whether a subscriber's billing row of a month was set aside as bad (SetAsideRows): the one test
 * labels and evaluations apply to a subscriber missing from that month.
 */
export function setAsideLookup(setAside: SetAsideRows | undefined): (month: number, id: string) => boolean {
  if (setAside === undefined || setAside.subscribers.length === 0) return () => false;
  const keys = new Set(setAside.subscribers.map((s, k) => `${setAside.months[k]!}|${s}`));
  return (month, id) => keys.has(`${month}|${id}`);
}

export function churnLabels(
  billing: BillingTable,
  ix: SubscriberIndex,
  rows: Int32Array,
  setAside?: SetAsideRows,
): Labels {
  const { month, status, subscriber_id: id } = billing.cols;
  const months = new Set<number>();
  for (let r = 0; r < billing.n; r++) months.add(month[r]!);
  const isSetAside = setAsideLookup(setAside);
  const labelled = new Uint8Array(rows.length);
  const churned = new Uint8Array(rows.length);
  const unknown = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const next = month[r]! + 1;
    if (!months.has(next)) continue;
    const nextRow = rowOfMonth(ix, month, ix.key[r]!, next);
    const label = churnedNext(status[r] === STATUS.closed, nextRow < 0 ? undefined : status[nextRow]);
    if (label === null) continue;
    if (nextRow < 0 && isSetAside(next, id.dictionary[id.codes[r]!]!)) {
      unknown[i] = 1;
      continue;
    }
    labelled[i] = 1;
    churned[i] = label;
  }
  return { labelled, churned_next: churned, setAside: unknown };
}
