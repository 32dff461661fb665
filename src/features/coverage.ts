/**
 * Whether the inputs hold what the scored month's features need: the billing and CDR months before
 * it that the features look back on, and CDR months that look complete. Pure: the command decides
 * whether a shortfall warns or refuses.
 *
 * Decisions:
 * - The history a model needs is derived from its feature schema, so any model file, old or new,
 *   says what it needs without a field of its own. A feature's look-back is the number of months
 *   before the scored month that feed its value (featureLookbacks); a feature not named there reads
 *   the scored month only.
 * - trigger_months_3 counts the triggers of the previous TRIGGER_MONTHS months, and the history
 *   triggers of those months look back triggers.history_months further.
 * - months_since_plan_change looks back without bound ("the latest plan change seen"): no finite
 *   history satisfies it, so it is left out.
 * - Usage history is read per billing row, so a CDR look-back needs billing rows as far back too.
 * - A model trained without CDRs needs no CDR history.
 * - A CDR month is checked only when its usage is read: within the CDR look-back, with billing rows.
 *   Events per billed subscriber (not per subscriber with events) also catch an export cut between
 *   subscribers rather than in time.
 * - Each check needs enough data to tell a cut from chance (a small shard, a small operator): days
 *   without events count only when the month's other days average JUDGE_EVENTS_PER_DAY events (a
 *   day without any is then no accident), and events per subscriber are compared only when both
 *   months bill JUDGE_SUBSCRIBERS subscribers.
 */
import { daysInMonth, formatMonth } from '../calendar.js';
import type { Config } from '../config.js';
import type { FeatureSettings } from './build.js';
import { type CdrCounts, popcount32 } from './cdr/index.js';
import { SLOPE_MONTHS, TRIGGER_MONTHS } from './history.js';

type Lookback = Readonly<Record<string, number>>;

/** Fewest events per day with events for a month's empty days to say anything (see Decisions). */
export const JUDGE_EVENTS_PER_DAY = 20;
/** Fewest billed subscribers in both months for their events per subscriber to be compared. */
export const JUDGE_SUBSCRIBERS = 100;

/** Months before the scored month each feature reads, from billing and from CDRs. */
export function featureLookbacks(settings: FeatureSettings): { billing: Lookback; cdr: Lookback } {
  const h = settings.triggers.history_months;
  const slope = SLOPE_MONTHS - 1;
  const triggerMonths = TRIGGER_MONTHS + h;
  return {
    billing: {
      arpu: settings.tiers.arpu_months - 1,
      spend_change: h,
      spend_slope: slope,
      trigger_spend_drop: h,
      trigger_months_3: triggerMonths,
    },
    cdr: {
      voice_minutes_change: h,
      data_change: h,
      voice_calls_change: h,
      active_days_change: h,
      silent_run_vs_usual: h,
      ...(settings.triggers.silent_days_rule === 'relative' ? { trigger_silent_days: h } : {}),
      voice_slope: slope,
      data_slope: slope,
      trigger_usage_shift: h,
      trigger_months_3: triggerMonths,
    },
  };
}

export interface HistoryNeed {
  /** Months before the scored month the deepest-looking feature reads. */
  readonly months: number;
  /** Each of the model's features that looks back, and how many months. */
  readonly lookback: Readonly<Record<string, number>>;
}

export interface HistoryNeeds {
  readonly billing: HistoryNeed;
  readonly cdr: HistoryNeed;
}

function need(names: readonly string[], lookback: Lookback): HistoryNeed {
  const mine: Record<string, number> = {};
  for (const n of names) if ((lookback[n] ?? 0) > 0) mine[n] = lookback[n]!;
  return { months: Math.max(0, ...Object.values(mine)), lookback: mine };
}

/** The history a model's features need; `usesCdr` is whether it was trained with CDRs. */
export function historyNeeds(
  features: readonly { readonly name: string }[],
  settings: FeatureSettings,
  usesCdr: boolean,
): HistoryNeeds {
  const names = features.map((f) => f.name);
  const lb = featureLookbacks(settings);
  if (!usesCdr) return { billing: need(names, lb.billing), cdr: need([], lb.cdr) };
  const either: Record<string, number> = { ...lb.billing };
  for (const [name, months] of Object.entries(lb.cdr)) either[name] = Math.max(either[name] ?? 0, months);
  return { billing: need(names, either), cdr: need(names, lb.cdr) };
}

export interface HistorySide {
  /** Months before the scored month the features read. */
  readonly needed: number;
  /** Of those, the months the input holds, ascending. */
  readonly present: readonly number[];
  readonly missing: readonly number[];
  /** The features that read a missing month. */
  readonly affected: readonly string[];
}

export interface HistoryCoverage {
  readonly month: number;
  readonly billing: HistorySide;
  readonly cdr: HistorySide;
}

function side(month: number, need: HistoryNeed, have: ReadonlySet<number>): HistorySide {
  const present: number[] = [];
  const missing: number[] = [];
  for (let m = month - need.months; m < month; m++) (have.has(m) ? present : missing).push(m);
  // A feature reads a missing month when it looks back at least as far as the latest one.
  const reach = missing.length === 0 ? Number.POSITIVE_INFINITY : month - missing.at(-1)!;
  const affected = Object.keys(need.lookback).filter((n) => need.lookback[n]! >= reach);
  return { needed: need.months, present, missing, affected };
}

export function historyCoverage(
  month: number,
  needs: HistoryNeeds,
  billingMonths: Iterable<number>,
  cdrMonths: Iterable<number>,
): HistoryCoverage {
  return {
    month,
    billing: side(month, needs.billing, new Set(billingMonths)),
    cdr: side(month, needs.cdr, new Set(cdrMonths)),
  };
}

/** One sentence per short side, naming the months missing; empty when the history is complete. */
export function historyProblems(c: HistoryCoverage): string[] {
  const out: string[] = [];
  for (const [kind, s] of [
    ['billing', c.billing],
    ['CDR', c.cdr],
  ] as const) {
    if (s.missing.length === 0) continue;
    out.push(
      `${kind} history: ${s.present.length} of the ${s.needed} months before ${formatMonth(c.month)} ` +
        `that the model's features read; missing ${monthList(s.missing)}, read by ${s.affected.join(', ')}`,
    );
  }
  return out;
}

export interface CdrMonthCheck {
  readonly month: number;
  /** Days of the month with at least one event. */
  readonly days: number;
  readonly daysInMonth: number;
  readonly events: number;
  /** Subscribers billed in the month. */
  readonly billed: number;
  readonly eventsPerSubscriber: number;
  /** The same figure for the month before, when it has CDRs and billing rows; else null. */
  readonly previousEventsPerSubscriber: number | null;
  /** Why the month looks truncated; empty when it looks complete. */
  readonly problems: readonly string[];
}

/**
 * Checks the CDR months from `month - lookback` to `month` that have billing rows: events on too few
 * of the month's days, or far fewer events per billed subscriber than the month before.
 */
export function checkCdrMonths(
  counts: Pick<CdrCounts, 'byMonth'>,
  billedByMonth: ReadonlyMap<number, number>,
  month: number,
  lookback: number,
  checks: Config['checks'],
): CdrMonthCheck[] {
  const perSubscriber = new Map<number, number>();
  for (const c of counts.byMonth) {
    const billed = billedByMonth.get(c.month) ?? 0;
    if (billed > 0) perSubscriber.set(c.month, c.events / billed);
  }
  const comparable = (m: number) => (billedByMonth.get(m) ?? 0) >= JUDGE_SUBSCRIBERS;
  const out: CdrMonthCheck[] = [];
  for (const c of counts.byMonth) {
    const billed = billedByMonth.get(c.month) ?? 0;
    if (c.month < month - lookback || c.month > month || billed === 0) continue;
    const days = daysInMonth(c.month);
    const active = popcount32(c.dayMask);
    const rate = perSubscriber.get(c.month)!;
    const previous = perSubscriber.get(c.month - 1) ?? null;
    const problems: string[] = [];
    if (active < checks.min_cdr_day_share * days && c.events >= JUDGE_EVENTS_PER_DAY * active)
      problems.push(
        `events on ${active} of its ${days} days (limit checks.min_cdr_day_share ${pct(checks.min_cdr_day_share)})`,
      );
    if (
      previous !== null &&
      comparable(c.month) &&
      comparable(c.month - 1) &&
      rate < checks.min_cdr_events_share * previous
    )
      problems.push(
        `${round(rate)} events per billed subscriber, ${pct(rate / previous)} of ${formatMonth(c.month - 1)}'s ` +
          `${round(previous)} (limit checks.min_cdr_events_share ${pct(checks.min_cdr_events_share)})`,
      );
    out.push({
      month: c.month,
      days: active,
      daysInMonth: days,
      events: c.events,
      billed,
      eventsPerSubscriber: rate,
      previousEventsPerSubscriber: previous,
      problems,
    });
  }
  return out;
}

/** One sentence per CDR month that looks truncated. */
export function cdrMonthProblems(checks: readonly CdrMonthCheck[]): string[] {
  return checks
    .filter((c) => c.problems.length > 0)
    .map((c) => `CDR month ${formatMonth(c.month)} looks truncated: ${c.problems.join('; ')}`);
}

/** Months as text, consecutive runs as ranges: "2025-01 to 2025-03, 2025-06". */
export function monthList(months: readonly number[]): string {
  const sorted = [...months].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const first = formatMonth(sorted[i]!);
    if (j === i) parts.push(first);
    else if (j === i + 1) parts.push(first, formatMonth(sorted[j]!));
    else parts.push(`${first} to ${formatMonth(sorted[j]!)}`);
    i = j + 1;
  }
  return parts.join(', ');
}

const pct = (share: number) => `${Math.round(share * 100)}%`;
const round = (v: number) => (Math.round(v * 10) / 10).toString();
