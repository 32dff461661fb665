/**
 * The last billing month of a run (the month scored, or the month that labels the last training
 * month): pinned by `--month`, or else the latest in the billing files unless it bills far fewer
 * subscribers than the month before (a stray row, a partial export). Rows of later months are cut
 * off, and counted so the command can say so.
 */
import { formatMonth } from '../calendar.js';
import type { BillingTable } from '../contract.js';
import { InputError } from '../errors.js';
import type { CdrAggregates } from '../features/cdr/index.js';
import { monthList } from '../features/coverage.js';
import { i32, take, where } from '../frame.js';

/** Subscribers billed per month (rows: `(subscriber_id, month)` is unique), months ascending. */
export function billedByMonth(billing: BillingTable): Map<number, number> {
  const counts = new Map<number, number>();
  const month = billing.cols.month;
  for (let i = 0; i < billing.n; i++) counts.set(month[i]!, (counts.get(month[i]!) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

/**
 * The run's last month. `pinned` must be a month of the data; without it the latest month is taken
 * when it bills at least `minShare` of the subscribers of the month before it in the data.
 */
export function chooseMonth(
  billed: ReadonlyMap<number, number>,
  pinned: number | null,
  minShare: number,
): number {
  const months = [...billed.keys()];
  if (months.length === 0) throw new InputError('the billing input has no rows');
  if (pinned !== null) {
    if (!billed.has(pinned))
      throw new InputError(
        `--month ${formatMonth(pinned)} is not in the billing files (months present: ${monthList(months)})`,
      );
    return pinned;
  }
  const latest = months.at(-1)!;
  if (months.length === 1) return latest;
  const before = months.at(-2)!;
  const now = billed.get(latest)!;
  const then = billed.get(before)!;
  if (now < minShare * then) {
    throw new InputError(
      `the latest billing month ${formatMonth(latest)} bills ${subscribers(now)}, ${share(now / then)} of the ` +
        `${subscribers(then)} of ${formatMonth(before)} (limit checks.min_month_share ${share(minShare)}): ` +
        `a stray row or a partial export? Give --month ${formatMonth(before)} to score ${formatMonth(before)} ` +
        `(the later rows are then ignored), or the complete export of ${formatMonth(latest)}`,
    );
  }
  return latest;
}

export interface CutBilling {
  readonly billing: BillingTable;
  /** Rows of later months left out, and those months. */
  readonly laterRows: number;
  readonly laterMonths: readonly number[];
}

/** The billing rows up to `month`. */
export function billingUpTo(billing: BillingTable, month: number): CutBilling {
  const m = billing.cols.month;
  const keep = where(billing.n, (i) => m[i]! <= month);
  if (keep.length === billing.n) return { billing, laterRows: 0, laterMonths: [] };
  const later = new Set<number>();
  for (let i = 0; i < billing.n; i++) if (m[i]! > month) later.add(m[i]!);
  return {
    billing: take(billing, keep) as BillingTable,
    laterRows: billing.n - keep.length,
    laterMonths: [...later].sort((a, b) => a - b),
  };
}

export interface CutCdr {
  readonly cdr: CdrAggregates;
  /** Events of later months left out, and those months. */
  readonly laterEvents: number;
  readonly laterMonths: readonly number[];
}

/** The CDR aggregates up to `month`; `counts` keep describing what was read. */
export function cdrUpTo(cdr: CdrAggregates, month: number): CutCdr {
  const later = cdr.counts.byMonth.filter((c) => c.month > month);
  if (later.length === 0) return { cdr, laterEvents: 0, laterMonths: [] };
  const m = i32(cdr.frame, 'month');
  return {
    cdr: {
      frame: take(
        cdr.frame,
        where(cdr.frame.n, (i) => m[i]! <= month),
      ),
      months: cdr.months.filter((x) => x <= month),
      counts: cdr.counts,
    },
    laterEvents: later.reduce((s, c) => s + c.events, 0),
    laterMonths: later.map((c) => c.month),
  };
}

const subscribers = (n: number) => `${n.toLocaleString('en')} subscriber${n === 1 ? '' : 's'}`;
const share = (s: number) => `${(s * 100).toFixed(s < 0.01 ? 2 : 0)}%`;
