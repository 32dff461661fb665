/**
 * Joining the call centre's work-order outcomes to a scored month: who on the warning list the calls
 * reached and with which action, calls made to the control group, and what does not fit the month.
 */
import { formatMonth } from '../calendar.js';
import { LISTS, type ListName, type OutcomesTable } from '../contract.js';
import { InputError } from '../errors.js';
import { ARM } from './campaign.js';

export interface ListWorkOrders {
  readonly workOrders: number;
  readonly contacted: number;
  /** Work orders whose offer was accepted. */
  readonly accepted: number;
}

export interface WorkOrderSummary {
  /** Rows read from the outcome files. */
  readonly rows: number;
  /** Rows of other months than the scored one (left out). */
  readonly otherMonths: number;
  /** Rows of the scored month by list. */
  readonly byList: Record<ListName, ListWorkOrders>;
  /** Warning work orders for subscribers neither on the warning list nor in the control group. */
  readonly offList: number;
  /** Subscribers on the warning list with no work order returned (counted as not reached). */
  readonly calledWithout: number;
  /** Control-group subscribers a call reached all the same. */
  readonly controlContacted: number;
}

export interface JoinedWorkOrders {
  /** 1 when a call reached the subscriber of scored row i. */
  readonly reached: Uint8Array;
  /** Action of the warning work order of scored row i ('' when none or blank). */
  readonly action: readonly string[];
  readonly summary: WorkOrderSummary;
}

/** `arm` is the campaign arm of each scored row, `ids` its subscriber id. */
export function joinWorkOrders(
  outcomes: OutcomesTable,
  month: number,
  ids: readonly string[],
  arm: Uint8Array,
): JoinedWorkOrders {
  const c = outcomes.cols;
  const warning = LISTS.indexOf('warning');
  const byList = Object.fromEntries(
    LISTS.map((l) => [l, { workOrders: 0, contacted: 0, accepted: 0 }]),
  ) as Record<ListName, { workOrders: number; contacted: number; accepted: number }>;
  const rowOf = new Map<string, number>();
  ids.forEach((id, i) => {
    if (arm[i] !== ARM.none) rowOf.set(id, i);
  });
  const reached = new Uint8Array(ids.length);
  const action: string[] = new Array(ids.length).fill('');
  const hasOrder = new Uint8Array(ids.length);
  let otherMonths = 0;
  let offList = 0;
  for (let k = 0; k < outcomes.n; k++) {
    if (c.month[k] !== month) {
      otherMonths++;
      continue;
    }
    const l = byList[LISTS[c.list[k]!]!];
    l.workOrders++;
    l.contacted += c.contacted[k]!;
    if (c.accepted[k] === 1) l.accepted++;
    if (c.list[k] !== warning) continue;
    const code = c.subscriber_id.codes[k]!;
    const i = rowOf.get(c.subscriber_id.dictionary[code]!);
    if (i === undefined) {
      offList++;
      continue;
    }
    hasOrder[i] = 1;
    reached[i] = c.contacted[k]!;
    const a = c.action.codes[k]!;
    action[i] = a < 0 ? '' : c.action.dictionary[a]!;
  }
  if (outcomes.n > 0 && otherMonths === outcomes.n) {
    // Not one work order of the month: the effect on those reached and the management points would
    // be measured on nothing, which reads as no call reaching anyone.
    const months = [...new Set(c.month)].sort((a, b) => a - b).map(formatMonth);
    throw new InputError(
      `none of the ${outcomes.n} work orders of the outcome files is for ${formatMonth(month)} ` +
        `(they are for ${months.join(', ')}); give the outcomes of the scored month`,
    );
  }
  let calledWithout = 0;
  let controlContacted = 0;
  for (let i = 0; i < ids.length; i++) {
    if (arm[i] === ARM.called && hasOrder[i] === 0) calledWithout++;
    if (arm[i] === ARM.control && reached[i] === 1) controlContacted++;
  }
  return {
    reached,
    action,
    summary: { rows: outcomes.n, otherMonths, byList, offList, calledWithout, controlContacted },
  };
}

/** Lines a command logs as warnings: work orders that do not fit the month. */
export function workOrderWarnings(s: WorkOrderSummary, month: number): string[] {
  const m = formatMonth(month);
  const out: string[] = [];
  if (s.otherMonths > 0) out.push(`${s.otherMonths} work orders are for other months than ${m}; left out`);
  if (s.offList > 0)
    out.push(
      `${s.offList} warning work orders name subscribers neither on the ${m} warning list nor in its control group`,
    );
  if (s.calledWithout > 0)
    out.push(
      `${s.calledWithout} subscribers on the ${m} warning list have no work order; counted as not reached`,
    );
  if (s.controlContacted > 0)
    out.push(
      `${s.controlContacted} control-group subscribers were reached by a call; the effect on those reached allows for it`,
    );
  return out;
}
