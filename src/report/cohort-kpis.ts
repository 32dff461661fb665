import { daysInMonth, formatMonth } from '../calendar.js';
import type { Config } from '../config.js';
import { type BillingTable, CARD } from '../contract.js';
import type { LockRule } from './kpis.js';

/**
 * The retention KPIs of billing month M as the operators' manuals define them (DATA-CONTRACT.md §6),
 * overall and per owning unit:
 *
 * - daily-average revenue retention, on the year's locked cohort (上年度锁定包保用户): normal cards
 *   billed in the last month before the year start whose bills over the `kpi.lock_months` months
 *   before it average at least `locked.min_arpu` (a month without a bill counts 0); fixed for the
 *   year. Retention = (cohort's bills in M / days of M) / (cohort's bills over the lock window / its days).
 * - monthly billed churn, on the year's newly locked subscribers (本年度新增包保用户): not in the
 *   locked cohort, and by M−1 billed `kpi.new_lock_months` consecutive months on a normal card,
 *   averaging at least `locked.min_arpu`, the run ending in the year. Churn = those billed in M−1
 *   without a row in M, over those billed in M−1.
 *
 * A cohort year needs billing rows for every month from the lock window to M. Without them the
 * rolling definition is used instead (report/kpis.ts: locked by the average of the `tiers.arpu_months`
 * months before M, retention against M−1), and `reason` says why.
 *
 * A subscriber's unit is the one on their latest billing row up to M (a churner's, on their last bill).
 */
export type KpiDefinition = 'cohort' | 'rolling';

export interface KpiFigures {
  /** Subscribers the revenue retention is measured on, their bills over the base months and in M. */
  revenue_subscribers: number;
  billed_base: number;
  billed_this_month: number;
  /** Subscribers the churn is measured on (billed in M−1) and those of them without a row in M. */
  churn_subscribers: number;
  churned: number;
  daily_revenue_retention: number | null;
  monthly_billed_churn: number | null;
}

export interface CohortKpis {
  month: string;
  definition: KpiDefinition;
  /** Why this definition: the cohort year used, or what it lacked. */
  reason: string;
  /** First month of the assessment year (cohort definition), else null. */
  year_start: string | null;
  /** The months the revenue base is taken over and their days. */
  base_months: [string, string];
  days_base: number;
  days_this_month: number;
  min_arpu: number;
  overall: KpiFigures;
  /** Per owning unit ('' for subscribers without one); absent when the billing names no unit. */
  by_unit?: Record<string, KpiFigures>;
}

/** The first month of the assessment year that holds `month`. */
export function yearStartOf(month: number, yearStartMonth: number): number {
  const offset = ((((month % 12) - (yearStartMonth - 1)) % 12) + 12) % 12;
  return month - offset;
}

interface Membership {
  revenue: Uint8Array;
  base: Float64Array;
  current: Float64Array;
  churnBase: Uint8Array;
  churned: Uint8Array;
}

/** The manuals' cohort rule: config kpi.* beside the lock rule (pipeline/settings.ts). */
export interface CohortRule extends LockRule {
  /** Calendar month (1 = January) the assessment year starts in. */
  readonly yearStartMonth: Config['kpi']['year_start_month'];
  /** Months before the year start whose average bill locks a subscriber for the year. */
  readonly lockMonths: Config['kpi']['lock_months'];
  /** Consecutive months in network that newly lock a subscriber in the year. */
  readonly newLockMonths: Config['kpi']['new_lock_months'];
}

export function cohortKpis(billing: BillingTable, month: number, rule: CohortRule): CohortKpis {
  const yearStart = yearStartOf(month, rule.yearStartMonth);
  const lockFrom = yearStart - rule.lockMonths;
  const from = Math.min(lockFrom, yearStart - rule.newLockMonths + 1, month - 1);
  const missing = missingMonths(billing, from, month);
  const definition: KpiDefinition = missing.length === 0 ? 'cohort' : 'rolling';
  const reason =
    definition === 'cohort'
      ? `the assessment year from ${formatMonth(yearStart)}: cohort locked over ${formatMonth(lockFrom)}..${formatMonth(yearStart - 1)}`
      : `no cohort year for ${formatMonth(month)}: the billing has no rows for ${missing.map(formatMonth).join(', ')} ` +
        `(the year from ${formatMonth(yearStart)} needs ${formatMonth(from)}..${formatMonth(month)}); rolling locked subscribers used`;
  const members =
    definition === 'cohort'
      ? cohortMembers(billing, month, yearStart, rule)
      : rollingMembers(billing, month, rule);
  const [baseFrom, baseTo] = definition === 'cohort' ? [lockFrom, yearStart - 1] : [month - 1, month - 1];
  let daysBase = 0;
  for (let m = baseFrom; m <= baseTo; m++) daysBase += daysInMonth(m);
  const daysThis = daysInMonth(month);

  const result: CohortKpis = {
    month: formatMonth(month),
    definition,
    reason,
    year_start: definition === 'cohort' ? formatMonth(yearStart) : null,
    base_months: [formatMonth(baseFrom), formatMonth(baseTo)],
    days_base: daysBase,
    days_this_month: daysThis,
    min_arpu: rule.minArpu,
    overall: figuresOf(members, null, 1, daysBase, daysThis)[0]!,
  };
  const unit = latestUnit(billing, month);
  if (unit) {
    const groups = figuresOf(members, unit.group, unit.names.length, daysBase, daysThis);
    const by: Record<string, KpiFigures> = {};
    const order = unit.names.map((name, g) => [name, g] as const).sort((a, z) => (a[0] < z[0] ? -1 : 1));
    for (const [name, g] of order)
      if (groups[g]!.revenue_subscribers + groups[g]!.churn_subscribers > 0) by[name] = groups[g]!;
    result.by_unit = by;
  }
  return result;
}

/** The figures of each group (`group[s]`, null = everyone in group 0), in one pass. */
function figuresOf(
  m: Membership,
  group: Int32Array | null,
  groups: number,
  daysBase: number,
  daysThis: number,
): KpiFigures[] {
  const f = Array.from({ length: groups }, () => ({
    revenue: 0,
    base: 0,
    current: 0,
    churnBase: 0,
    churned: 0,
  }));
  for (let s = 0; s < m.revenue.length; s++) {
    if (m.revenue[s] === 0 && m.churnBase[s] === 0) continue;
    const g = f[group === null ? 0 : group[s]!]!;
    if (m.revenue[s] === 1) {
      g.revenue++;
      g.base += m.base[s]!;
      g.current += m.current[s]!;
    }
    if (m.churnBase[s] === 1) {
      g.churnBase++;
      g.churned += m.churned[s]!;
    }
  }
  return f.map((g) => ({
    revenue_subscribers: g.revenue,
    billed_base: g.base,
    billed_this_month: g.current,
    churn_subscribers: g.churnBase,
    churned: g.churned,
    daily_revenue_retention: g.base > 0 ? g.current / daysThis / (g.base / daysBase) : null,
    monthly_billed_churn: g.churnBase > 0 ? g.churned / g.churnBase : null,
  }));
}

/** Months in [from, to] without a billing row, ascending. */
function missingMonths(billing: BillingTable, from: number, to: number): number[] {
  const seen = new Uint8Array(to - from + 1);
  const months = billing.cols.month;
  for (let i = 0; i < billing.n; i++) {
    const m = months[i]!;
    if (m >= from && m <= to) seen[m - from] = 1;
  }
  const out: number[] = [];
  seen.forEach((v, i) => {
    if (v === 0) out.push(from + i);
  });
  return out;
}

/** Billing rows of months [from, to], grouped by month in ascending order (a counting sort). */
function rowsByMonth(billing: BillingTable, from: number, to: number): Int32Array[] {
  const months = billing.cols.month;
  const counts = new Int32Array(to - from + 1);
  for (let i = 0; i < billing.n; i++) {
    const m = months[i]!;
    if (m >= from && m <= to) counts[m - from]!++;
  }
  const out = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < billing.n; i++) {
    const m = months[i]!;
    if (m >= from && m <= to) out[m - from]![fill[m - from]!++] = i;
  }
  return out;
}

function emptyMembership(n: number): Membership {
  return {
    revenue: new Uint8Array(n),
    base: new Float64Array(n),
    current: new Float64Array(n),
    churnBase: new Uint8Array(n),
    churned: new Uint8Array(n),
  };
}

/** Both cohorts of the assessment year starting at `yearStart`. */
function cohortMembers(
  billing: BillingTable,
  month: number,
  yearStart: number,
  rule: CohortRule,
): Membership {
  const { lockMonths, newLockMonths: runMonths, minArpu } = rule;
  const c = billing.cols;
  const n = c.subscriber_id.dictionary.length;
  const out = emptyMembership(n);
  const lockFrom = yearStart - lockMonths;
  const from = Math.min(lockFrom, yearStart - runMonths + 1);
  const byMonth = rowsByMonth(billing, from, month);
  const lockSum = new Float64Array(n);
  const lastMonth = new Int32Array(n).fill(-1);
  const run = new Int32Array(n);
  /** The last `runMonths` bills of the current run, as a ring. */
  const ring = new Float64Array(n * runMonths);
  const newLocked = new Uint8Array(n);
  const billedPrev = new Uint8Array(n);
  for (let m = from; m <= month; m++) {
    for (const i of byMonth[m - from]!) {
      const s = c.subscriber_id.codes[i]!;
      if (s < 0) continue;
      const billed = c.billed_amount[i]!;
      const normal = c.card_type[i] === CARD.normal;
      if (m === month) {
        out.current[s]! += billed;
        continue;
      }
      if (m >= lockFrom && m < yearStart) lockSum[s]! += billed;
      if (m === yearStart - 1 && normal) out.revenue[s] = 1; // in network at the lock; ARPU checked below
      if (m === month - 1) billedPrev[s] = 1;
      // Runs of consecutive normal-card months, for the newly locked.
      run[s] = normal ? (lastMonth[s] === m - 1 ? run[s]! + 1 : 1) : 0;
      lastMonth[s] = m;
      ring[s * runMonths + (m % runMonths)] = billed;
      if (m >= yearStart && run[s]! >= runMonths && newLocked[s] === 0) {
        let sum = 0;
        for (let r = 0; r < runMonths; r++) sum += ring[s * runMonths + r]!;
        if (sum / runMonths >= minArpu) newLocked[s] = 1;
      }
    }
  }
  for (let s = 0; s < n; s++) {
    if (out.revenue[s] === 1 && lockSum[s]! / lockMonths < minArpu) out.revenue[s] = 0;
    if (out.revenue[s] === 1) out.base[s] = lockSum[s]!;
    if (newLocked[s] === 1 && out.revenue[s] === 0 && billedPrev[s] === 1) out.churnBase[s] = 1;
  }
  markChurned(billing, byMonth[month - from]!, out);
  return out;
}

/** Churned: on the churn base and without a row in M. */
function markChurned(billing: BillingTable, rowsThisMonth: Int32Array, out: Membership): void {
  const present = new Uint8Array(out.churnBase.length);
  for (const i of rowsThisMonth) {
    const s = billing.cols.subscriber_id.codes[i]!;
    if (s >= 0) present[s] = 1;
  }
  for (let s = 0; s < present.length; s++)
    out.churned[s] = out.churnBase[s] === 1 && present[s] === 0 ? 1 : 0;
}

/** The rolling definition (report/kpis.ts) as membership: one locked set for both KPIs, base M−1. */
function rollingMembers(billing: BillingTable, month: number, rule: LockRule): Membership {
  const c = billing.cols;
  const n = c.subscriber_id.dictionary.length;
  const out = emptyMembership(n);
  const window = rule.arpuMonths;
  const from = month - window;
  const byMonth = rowsByMonth(billing, from, month);
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  const last = new Float64Array(n).fill(Number.NaN);
  const normalLast = new Uint8Array(n);
  for (let m = from; m <= month; m++) {
    for (const i of byMonth[m - from]!) {
      const s = c.subscriber_id.codes[i]!;
      if (s < 0) continue;
      const billed = c.billed_amount[i]!;
      if (m === month) {
        out.current[s]! += billed;
        continue;
      }
      sum[s]! += billed;
      count[s]!++;
      if (m === month - 1) {
        last[s] = billed;
        normalLast[s] = c.card_type[i] === CARD.normal ? 1 : 0;
      }
    }
  }
  for (let s = 0; s < n; s++) {
    if (Number.isNaN(last[s]!) || normalLast[s] === 0 || sum[s]! / count[s]! < rule.minArpu) continue;
    out.revenue[s] = 1;
    out.base[s] = last[s]!;
    out.churnBase[s] = 1;
  }
  markChurned(billing, byMonth[month - from]!, out);
  return out;
}

/**
 * Each subscriber's unit on their latest billing row up to `month`, as a group index into `names`
 * ('' = no unit, last); null when the billing names no unit.
 */
function latestUnit(billing: BillingTable, month: number): { group: Int32Array; names: string[] } | null {
  const unit = billing.cols.unit;
  if (!unit) return null;
  const c = billing.cols;
  const n = c.subscriber_id.dictionary.length;
  const at = new Int32Array(n).fill(-1);
  const latest = new Int32Array(n).fill(Number.MIN_SAFE_INTEGER);
  for (let i = 0; i < billing.n; i++) {
    const s = c.subscriber_id.codes[i]!;
    const m = c.month[i]!;
    if (s < 0 || m > month || m < latest[s]!) continue;
    latest[s] = m;
    at[s] = unit.codes[i]!;
  }
  const none = unit.dictionary.length;
  const group = Int32Array.from(at, (code) => (code < 0 ? none : code));
  return { group, names: [...unit.dictionary, ''] };
}

/**
 * Sums shard KPIs (each shard holds a disjoint set of subscribers) into those one process would
 * report. Null when the shards used different definitions (a shard lacking a month's rows): the
 * merged figures would mix cohorts.
 */
export function mergeCohortKpis(parts: readonly CohortKpis[]): CohortKpis | null {
  if (parts.length === 0) throw new RangeError('mergeCohortKpis needs at least one part');
  const first = parts[0]!;
  if (parts.some((p) => p.definition !== first.definition || p.month !== first.month)) return null;
  const add = (list: readonly (KpiFigures | undefined)[]): KpiFigures => {
    const sum = (pick: (f: KpiFigures) => number) => list.reduce((s, f) => s + (f ? pick(f) : 0), 0);
    const base = sum((f) => f.billed_base);
    const current = sum((f) => f.billed_this_month);
    const churnBase = sum((f) => f.churn_subscribers);
    const churned = sum((f) => f.churned);
    return {
      revenue_subscribers: sum((f) => f.revenue_subscribers),
      billed_base: base,
      billed_this_month: current,
      churn_subscribers: churnBase,
      churned,
      daily_revenue_retention: base > 0 ? current / first.days_this_month / (base / first.days_base) : null,
      monthly_billed_churn: churnBase > 0 ? churned / churnBase : null,
    };
  };
  const merged: CohortKpis = { ...first, overall: add(parts.map((p) => p.overall)) };
  delete merged.by_unit;
  if (parts.some((p) => p.by_unit)) {
    const units = [...new Set(parts.flatMap((p) => Object.keys(p.by_unit ?? {})))].sort();
    merged.by_unit = Object.fromEntries(units.map((u) => [u, add(parts.map((p) => p.by_unit?.[u]))]));
  }
  return merged;
}
