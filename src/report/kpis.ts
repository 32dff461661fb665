import { daysInMonth, formatMonth, parseMonth } from '../calendar.js';
import type { Config } from '../config.js';
import { type BillingTable, CARD } from '../contract.js';

/**
 * Retention KPIs for billing month M (DATA-CONTRACT.md §6), over the locked subscribers (包保用户):
 * normal card (as billed in M−1), billed in M−1, and an average billed amount over the months
 * M−3..M−1 they were billed in (window: LockRule.arpuMonths) of at least LockRule.minArpu.
 *
 * - daily_revenue_retention = (billed_this_month / days_this_month) / (billed_last_month / days_last_month),
 *   a locked subscriber without a row in M counting 0;
 * - monthly_billed_churn = churned / locked, churned = locked subscribers without a row in M (any
 *   status: a final bill still counts as billed).
 *
 * The counts and totals are kept beside the ratios so shard results can be summed (mergeKpis).
 * When M−1 (or M) has no billing rows, or nobody is locked, both ratios are null with a reason.
 */
export interface RetentionKpis {
  month: string;
  previous_month: string;
  /** Billing rows (all subscribers) in M−1 and M. */
  rows_last_month: number;
  rows_this_month: number;
  locked: number;
  churned: number;
  billed_last_month: number;
  billed_this_month: number;
  days_last_month: number;
  days_this_month: number;
  daily_revenue_retention: number | null;
  monthly_billed_churn: number | null;
  reason: string | null;
}

interface KpiTotals {
  month: number;
  rowsLastMonth: number;
  rowsThisMonth: number;
  locked: number;
  churned: number;
  billedLastMonth: number;
  billedThisMonth: number;
}

/** Who is locked (包保): config locked.min_arpu, averaged over tiers.arpu_months (pipeline/settings.ts). */
export interface LockRule {
  /** Least average bill of a locked subscriber. */
  readonly minArpu: Config['locked']['min_arpu'];
  /** Months before M whose bills are averaged. */
  readonly arpuMonths: Config['tiers']['arpu_months'];
}

/** Subscribers are identified by their subscriber_id code: the billing table has one dictionary. */
export function retentionKpis(billing: BillingTable, month: number, rule: LockRule): RetentionKpis {
  const ids = billing.cols.subscriber_id;
  const months = billing.cols.month;
  const billed = billing.cols.billed_amount;
  const card = billing.cols.card_type;
  const subscribers = ids.dictionary.length;
  const window = rule.arpuMonths;

  const historySum = new Float64Array(subscribers);
  const historyCount = new Int32Array(subscribers);
  const lastMonth = new Float64Array(subscribers).fill(Number.NaN);
  const normalLastMonth = new Uint8Array(subscribers);
  const thisMonth = new Float64Array(subscribers);
  const billedThisMonth = new Uint8Array(subscribers);
  let rowsLastMonth = 0;
  let rowsThisMonth = 0;
  for (let i = 0; i < billing.n; i++) {
    const code = ids.codes[i]!;
    const m = months[i]!;
    if (code < 0 || m > month || m < month - window) continue;
    if (m === month) {
      rowsThisMonth++;
      thisMonth[code]! += billed[i]!;
      billedThisMonth[code] = 1;
      continue;
    }
    historySum[code]! += billed[i]!;
    historyCount[code]!++;
    if (m === month - 1) {
      rowsLastMonth++;
      lastMonth[code] = billed[i]!;
      normalLastMonth[code] = card[i] === CARD.normal ? 1 : 0;
    }
  }

  const totals: KpiTotals = {
    month,
    rowsLastMonth,
    rowsThisMonth,
    locked: 0,
    churned: 0,
    billedLastMonth: 0,
    billedThisMonth: 0,
  };
  const minArpu = rule.minArpu;
  for (let s = 0; s < subscribers; s++) {
    if (Number.isNaN(lastMonth[s]!) || normalLastMonth[s] === 0) continue;
    if (historySum[s]! / historyCount[s]! < minArpu) continue;
    totals.locked++;
    totals.billedLastMonth += lastMonth[s]!;
    totals.billedThisMonth += thisMonth[s]!;
    if (billedThisMonth[s] === 0) totals.churned++;
  }
  return fromTotals(totals);
}

/**
 * Sums shard KPIs (each shard holds a disjoint set of subscribers) into the KPIs one process would
 * report; ratios are recomputed from the summed counts and totals.
 */
export function mergeKpis(parts: readonly RetentionKpis[]): RetentionKpis {
  if (parts.length === 0) throw new RangeError('mergeKpis needs at least one part');
  const month = parseMonth(parts[0]!.month);
  const other = parts.find((p) => p.month !== parts[0]!.month);
  if (other) throw new RangeError(`cannot merge KPIs of ${parts[0]!.month} and ${other.month}`);
  const sum = (pick: (k: RetentionKpis) => number): number => parts.reduce((s, k) => s + pick(k), 0);
  return fromTotals({
    month,
    rowsLastMonth: sum((k) => k.rows_last_month),
    rowsThisMonth: sum((k) => k.rows_this_month),
    locked: sum((k) => k.locked),
    churned: sum((k) => k.churned),
    billedLastMonth: sum((k) => k.billed_last_month),
    billedThisMonth: sum((k) => k.billed_this_month),
  });
}

function fromTotals(t: KpiTotals): RetentionKpis {
  const daysLast = daysInMonth(t.month - 1);
  const daysThis = daysInMonth(t.month);
  const missing =
    t.rowsLastMonth === 0
      ? `no billing rows for ${formatMonth(t.month - 1)}, the month before`
      : t.rowsThisMonth === 0
        ? `no billing rows for ${formatMonth(t.month)}`
        : t.locked === 0
          ? 'no locked subscribers'
          : null;
  const churn = missing === null ? t.churned / t.locked : null;
  const retention =
    missing === null && t.billedLastMonth > 0
      ? t.billedThisMonth / daysThis / (t.billedLastMonth / daysLast)
      : null;
  return {
    month: formatMonth(t.month),
    previous_month: formatMonth(t.month - 1),
    rows_last_month: t.rowsLastMonth,
    rows_this_month: t.rowsThisMonth,
    locked: t.locked,
    churned: t.churned,
    billed_last_month: t.billedLastMonth,
    billed_this_month: t.billedThisMonth,
    days_last_month: daysLast,
    days_this_month: daysThis,
    daily_revenue_retention: retention,
    monthly_billed_churn: churn,
    reason: missing ?? (retention === null ? 'locked subscribers were billed 0 last month' : null),
  };
}
