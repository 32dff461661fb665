/**
 * summary.json read back, as `retain report`, `retain evaluate` and `retain train --uplift` read it:
 * the shape of every part the reader draws from, checked at once, so a summary edited by hand, cut
 * short or of another tool is refused naming each missing or mistyped field, never a crash half-way
 * through. A folder with a manifest has its summary checked against the SHA-256 retain recorded; one
 * without (an older retain's) has only this. Parts older summaries lack (`stage_tier`, `drift`,
 * `kpi_cohorts`) may be absent; the reader says so.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { CohortKpis } from './cohort-kpis.js';
import type { Summary } from './summary.js';

const figure = z.number().nullable();
const month = z.string().regex(/^\d{4}-\d{2}$/, 'not a month (YYYY-MM)');
const counts = z.record(z.string(), z.number());
const level = z.enum(['stable', 'warning', 'retrain']);
/** The two KPIs of a month (`kpis`) or of a cohort (`kpi_cohorts.overall`, each of `by_unit`). */
const figures = z.looseObject({ daily_revenue_retention: figure, monthly_billed_churn: figure });

/** What the KPI trend reads of a month: its KPIs and the revenue at risk on its lists. */
const TREND_SUMMARY = z.looseObject({
  month: month.nullable(),
  kpis: figures,
  revenue_at_risk: z.looseObject({ listed: z.number() }),
});

const DRIFT = z.discriminatedUnion('available', [
  z.looseObject({ available: z.literal(false), reason: z.string() }),
  z.looseObject({
    available: z.literal(true),
    thresholds: z.looseObject({ warn: z.number(), retrain: z.number() }),
    score: z.looseObject({ psi: z.number(), level }),
    features: z.array(z.looseObject({ feature: z.string(), psi: z.number(), level })),
    retrain: z.boolean(),
  }),
]);

/** What the report reads of the month it reports. */
const REPORT_SUMMARY = TREND_SUMMARY.extend({
  model_id: z.string().min(1),
  subscribers: z.number(),
  eligible: z.number(),
  control_group: z.number(),
  lists: z.looseObject({ warning: z.number() }),
  kpis: TREND_SUMMARY.shape.kpis.extend({
    locked: z.number(),
    churned: z.number(),
    reason: z.string().nullable(),
  }),
  revenue_at_risk: z.looseObject({ eligible: z.number(), listed: z.number() }),
  segments: counts,
  triggers: counts,
  stage_tier: z.record(z.string(), counts).optional(),
  drift: DRIFT.optional(),
});

/**
 * What `retain evaluate` and `retain train --uplift` read of a scored month: whether the capacity cut
 * the warning list, and the KPI cohorts the assessment scores (absent in a summary of an older retain).
 * They take the month from the scores; a month given here is the folder's (io/scored-folder.ts).
 */
const SCORED_MONTH_SUMMARY = z.looseObject({
  month: month.nullable().optional(),
  capacity: z.looseObject({ cut: z.number() }),
  kpi_cohorts: z
    .looseObject({
      month,
      definition: z.enum(['cohort', 'rolling']),
      overall: figures,
      by_unit: z.record(z.string(), figures).optional(),
    })
    .optional(),
});

/** summary.json as `retain evaluate` and `retain train --uplift` read it. */
export interface ScoredMonthSummary {
  readonly capacity: { readonly cut: number };
  readonly kpi_cohorts?: CohortKpis;
}

function check<T>(schema: z.ZodType, json: unknown, path: string): T {
  const r = schema.safeParse(json);
  if (r.success) return json as T;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new InputError(
    `${path}: not a summary retain score wrote for a billing month (${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')})`,
  );
}

/** The summary of the reported month in `json` (the parsed file at `path`); InputError naming every problem otherwise. */
export const checkSummary = (json: unknown, path: string): Summary =>
  check<Summary>(REPORT_SUMMARY, json, path);

/** The summary of an earlier month (`--history`), of which the trend reads the month and its KPIs. */
export const checkTrendSummary = (json: unknown, path: string): Summary =>
  check<Summary>(TREND_SUMMARY, json, path);

/** The summary of a scored month as evaluate and train --uplift read it; InputError naming every problem otherwise. */
export const checkScoredMonthSummary = (json: unknown, path: string): ScoredMonthSummary =>
  check<ScoredMonthSummary>(SCORED_MONTH_SUMMARY, json, path);
