/**
 * A scoring run's inputs against what its model's features need (features/coverage.ts does the
 * judging). The figures it is judged from are plain data: a shard records its own, and `retain
 * merge` adds the shards' up (months united, events and subscribers summed, day masks OR-ed), which
 * gives exactly the figures, and so the verdict, of one process over everyone.
 */
import { formatMonth } from '../calendar.js';
import type { Config } from '../config.js';
import type { BillingTable } from '../contract.js';
import {
  type CdrAggregates,
  type CdrMonthCheck,
  cdrMonthProblems,
  checkCdrMonths,
  type FeatureSettings,
  type HistoryCoverage,
  type HistoryNeeds,
  type HistorySide,
  historyCoverage,
  historyNeeds,
  historyProblems,
} from '../features/index.js';
import type { ModelFile } from '../model/persist.js';
import { billedByMonth } from './month.js';

/** The figures a run's coverage is judged from. */
export interface CoverageFigures {
  /** The scored month. */
  readonly month: number;
  readonly needs: HistoryNeeds;
  /** [month, subscribers billed], months up to the scored one, ascending. */
  readonly billed: readonly (readonly [number, number])[];
  /** Months with CDR events, up to the scored one, ascending. */
  readonly cdrMonths: readonly number[];
  /** Events and days with events of each of those months. */
  readonly cdrByMonth: readonly {
    readonly month: number;
    readonly events: number;
    readonly dayMask: number;
  }[];
}

export interface InputCoverage {
  readonly history: HistoryCoverage;
  /** The CDR months the features read, checked for truncation. */
  readonly cdrMonths: readonly CdrMonthCheck[];
  /** One sentence per shortfall: history missing, a CDR month that looks truncated. */
  readonly problems: readonly string[];
}

export function coverageFigures(
  month: number,
  model: ModelFile,
  features: FeatureSettings,
  billing: BillingTable,
  cdr: CdrAggregates | null,
): CoverageFigures {
  return {
    month,
    needs: historyNeeds(model.featureSchema.features, features, model.training.cdr),
    billed: [...billedByMonth(billing)].filter(([m]) => m <= month),
    cdrMonths: (cdr?.months ?? []).filter((m) => m <= month),
    cdrByMonth: (cdr?.counts.byMonth ?? []).filter((c) => c.month <= month),
  };
}

export function judgeCoverage(f: CoverageFigures, checks: Config['checks']): InputCoverage {
  const billed = new Map(f.billed);
  const history = historyCoverage(f.month, f.needs, billed.keys(), f.cdrMonths);
  const cdrMonths = checkCdrMonths(
    { byMonth: [...f.cdrByMonth] },
    billed,
    f.month,
    f.needs.cdr.months,
    checks,
  );
  return { history, cdrMonths, problems: [...historyProblems(history), ...cdrMonthProblems(cdrMonths)] };
}

/** The figures of several shards of one run as one process would have them. */
export function addCoverageFigures(shards: readonly CoverageFigures[]): CoverageFigures {
  const billed = new Map<number, number>();
  const cdrMonths = new Set<number>();
  const byMonth = new Map<number, { month: number; events: number; dayMask: number }>();
  for (const s of shards) {
    for (const [m, n] of s.billed) billed.set(m, (billed.get(m) ?? 0) + n);
    for (const m of s.cdrMonths) cdrMonths.add(m);
    for (const c of s.cdrByMonth) {
      const sum = byMonth.get(c.month) ?? { month: c.month, events: 0, dayMask: 0 };
      byMonth.set(c.month, {
        month: c.month,
        events: sum.events + c.events,
        dayMask: sum.dayMask | c.dayMask,
      });
    }
  }
  const ascending = <T>(entries: Iterable<[number, T]>) => [...entries].sort((a, b) => a[0] - b[0]);
  return {
    month: shards[0]!.month,
    needs: shards[0]!.needs,
    billed: ascending(billed),
    cdrMonths: [...cdrMonths].sort((a, b) => a - b),
    cdrByMonth: ascending(byMonth).map(([, c]) => c),
  };
}

/** The coverage as summary.json records it. */
export function coverageRecord(c: InputCoverage): Record<string, unknown> {
  const side = (s: HistorySide) => ({
    needed: s.needed,
    present: s.present.map(formatMonth),
    missing: s.missing.map(formatMonth),
    affected: s.affected,
  });
  return {
    history: { billing: side(c.history.billing), cdr: side(c.history.cdr) },
    cdr_months: c.cdrMonths.map((m) => ({
      month: formatMonth(m.month),
      days: m.days,
      days_in_month: m.daysInMonth,
      events: m.events,
      billed_subscribers: m.billed,
      events_per_subscriber: m.eventsPerSubscriber,
      truncated: m.problems.length > 0,
      problems: m.problems,
    })),
    input_warnings: c.problems,
  };
}
