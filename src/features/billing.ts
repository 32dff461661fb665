/**
 * Billing features of the requested rows: amounts, tenure, plan end, status flags, ARPU, extras.
 * "No plan end date" is its own flag beside a NaN months_to_plan_end, so a tree can tell it apart
 * from any distance to the plan end.
 */
import { monthOfDay } from '../calendar.js';
import { type BillingTable, CUSTOMER, STATUS } from '../contract.js';
import { type Column, isDict } from '../frame.js';
import { MonthDays } from './month-days.js';
import type { SubscriberIndex } from './subscriber-index.js';

/** Days per month used to express the time to plan end in months. */
const DAYS_PER_MONTH = 30.4;

/** Names of the billing table's extra numeric columns (`x_<name>`), sorted. */
export function extraColumns(billing: BillingTable): string[] {
  return Object.keys(billing.cols)
    .filter((name) => name.startsWith('x_') && !isDict(billing.cols[name]!))
    .sort();
}

export function billingFeatures(
  billing: BillingTable,
  ix: SubscriberIndex,
  rows: Int32Array,
  /** tiers.arpu_months: ARPU averages the row's month and the months before it, this many in all. */
  arpuMonths: number,
): Record<string, Column> {
  const c = billing.cols;
  const n = rows.length;
  const billed = new Float64Array(n);
  const tenure = new Int32Array(n);
  const tenureDays = new Int32Array(n);
  const toPlanEnd = new Float64Array(n);
  const noPlanEnd = new Uint8Array(n);
  const suspended = new Uint8Array(n);
  const arrears = new Uint8Array(n);
  const pendingCancel = new Uint8Array(n);
  const suspensions = new Int32Array(n);
  const ownership = new Uint8Array(n);
  const planChange = new Uint8Array(n);
  const group = new Uint8Array(n);
  const arpu = new Float64Array(n);
  // Activation dates repeat a lot; remembering the last one avoids most calendar conversions.
  let lastDay = Number.NaN;
  let lastMonth = 0;
  const days = new MonthDays();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const month = c.month[r]!;
    billed[i] = c.billed_amount[r]!;
    const activation = c.activation_date[r]!;
    if (activation !== lastDay) {
      lastDay = activation;
      lastMonth = monthOfDay(activation);
    }
    tenure[i] = month - lastMonth;
    const monthEnd = days.end(month);
    tenureDays[i] = monthEnd - activation;
    const planEnd = c.plan_end_date[r]!;
    toPlanEnd[i] = (planEnd - monthEnd) / DAYS_PER_MONTH;
    noPlanEnd[i] = Number.isNaN(planEnd) ? 1 : 0;
    const status = c.status[r]!;
    suspended[i] = status === STATUS.suspended ? 1 : 0;
    arrears[i] = status === STATUS.arrears_suspended ? 1 : 0;
    pendingCancel[i] = status === STATUS.pending_cancel ? 1 : 0;
    suspensions[i] = c.suspension_count[r]!;
    ownership[i] = c.ownership_change[r]!;
    planChange[i] = c.plan_change[r]!;
    group[i] = c.customer_type[r] === CUSTOMER.group ? 1 : 0;
    arpu[i] = averageBilled(billing, ix, r, arpuMonths);
  }
  const out: Record<string, Column> = {
    billed_amount: billed,
    tenure_months: tenure,
    tenure_days: tenureDays,
    months_to_plan_end: toPlanEnd,
    no_plan_end: noPlanEnd,
    is_suspended: suspended,
    is_arrears: arrears,
    is_pending_cancel: pendingCancel,
    suspension_count: suspensions,
    ownership_change: ownership,
    plan_change: planChange,
    is_group: group,
    arpu,
  };
  for (const name of extraColumns(billing)) {
    const source = c[name]! as Float64Array | Int32Array | Uint8Array;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = source[rows[i]!]!;
    out[name] = values;
  }
  return out;
}

/** Average billed amount over the row's month and the months before it, `months` in all, present ones only. */
export function averageBilled(
  billing: BillingTable,
  ix: SubscriberIndex,
  row: number,
  months: number,
): number {
  const { month, billed_amount: billed } = billing.cols;
  const k = ix.key[row]!;
  const first = month[row]! - months + 1;
  let sum = 0;
  let count = 0;
  for (let i = ix.pos[row]!; i >= ix.start[k]!; i--) {
    const r = ix.order[i]!;
    if (month[r]! < first) break;
    sum += billed[r]!;
    count++;
  }
  return sum / count;
}
