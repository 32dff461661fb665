import type { Config } from '../config.js';
import type { CohortKpis, KpiFigures } from './cohort-kpis.js';

/**
 * The assessment score as the manuals weigh it (DATA-CONTRACT.md §6): revenue retention, billed churn
 * and management (the work-order return rate), each worth `max` points at or beyond its target and
 * `points_per_point` fewer per percentage point short of it, never below 0 (config `kpi.assessment`).
 * A part whose figure is unknown is not assessed: its points are null, and the total is out of the
 * parts assessed.
 */
export type AssessedPart = 'revenue_retention' | 'billed_churn' | 'management';
const PARTS: readonly AssessedPart[] = ['revenue_retention', 'billed_churn', 'management'];

/** The points of each part: config kpi.assessment. */
export type AssessmentRules = Config['kpi']['assessment'];

export interface PartScore {
  value: number | null;
  target: number;
  max: number;
  points: number | null;
  /** Why a part is not assessed. */
  note?: string;
}

export interface Assessment {
  revenue_retention: PartScore;
  billed_churn: PartScore;
  management: PartScore;
  /** Points of the parts assessed, and the most they could give. */
  total: number;
  out_of: number;
}

/** Points of one part: higher values are better except for churn. */
export function partPoints(
  value: number,
  rule: AssessmentRules[AssessedPart],
  lowerIsBetter: boolean,
): number {
  const short = Math.max(0, lowerIsBetter ? value - rule.target : rule.target - value);
  return Math.min(rule.max, Math.max(0, rule.max - short * 100 * rule.points_per_point));
}

/**
 * The score of one unit (or of everyone) from its KPI figures and, when work orders came back, its
 * return rate (returned work orders over subscribers listed); `managementNote` says why it is missing.
 */
export function assess(
  kpis: KpiFigures,
  returnRate: number | null,
  rules: AssessmentRules,
  managementNote = 'not assessed: no work-order outcomes given',
): Assessment {
  const values: Record<AssessedPart, number | null> = {
    revenue_retention: kpis.daily_revenue_retention,
    billed_churn: kpis.monthly_billed_churn,
    management: returnRate,
  };
  const notes: Record<AssessedPart, string> = {
    revenue_retention: 'not assessed: no revenue base in the cohort',
    billed_churn: 'not assessed: nobody in the cohort was billed last month',
    management: managementNote,
  };
  const out = { total: 0, out_of: 0 } as Assessment;
  for (const part of PARTS) {
    const rule = rules[part];
    const value = values[part];
    const points = value === null ? null : partPoints(value, rule, part === 'billed_churn');
    out[part] = {
      value,
      target: rule.target,
      max: rule.max,
      points,
      ...(points === null ? { note: notes[part] } : {}),
    };
    if (points !== null) {
      out.total += points;
      out.out_of += rule.max;
    }
  }
  return {
    revenue_retention: out.revenue_retention,
    billed_churn: out.billed_churn,
    management: out.management,
    total: out.total,
    out_of: out.out_of,
  };
}

export interface AssessmentReport {
  month: string;
  /** Which KPI definition the scores rest on (cohort-kpis.ts). */
  definition: CohortKpis['definition'];
  overall: Assessment;
  by_unit?: Record<string, Assessment>;
}

/** The assessment of everyone and of each unit; `returnRates` by unit ('' overall) when outcomes are given. */
export function assessment(
  kpis: CohortKpis,
  rules: AssessmentRules,
  returnRates: { overall: number | null; byUnit: Readonly<Record<string, number>> } | null = null,
): AssessmentReport {
  const report: AssessmentReport = {
    month: kpis.month,
    definition: kpis.definition,
    overall: assess(kpis.overall, returnRates?.overall ?? null, rules, noteOf(returnRates, null)),
  };
  if (kpis.by_unit) {
    const by: Record<string, Assessment> = {};
    for (const [unit, figures] of Object.entries(kpis.by_unit))
      by[unit] = assess(figures, returnRates?.byUnit[unit] ?? null, rules, noteOf(returnRates, unit));
    report.by_unit = by;
  }
  return report;
}

function noteOf(
  rates: { overall: number | null; byUnit: Readonly<Record<string, number>> } | null,
  unit: string | null,
): string {
  if (rates === null) return 'not assessed: no work-order outcomes given';
  return unit === null ? 'not assessed: nobody was listed' : 'not assessed: nobody of this unit was listed';
}

const fmt = (v: number | null, digits: number) => (v === null ? 'n/a' : v.toFixed(digits));
const pctOf = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(2)}%`);

/** The assessment as `retain evaluate` prints it: one line per unit, after everyone's. */
export function formatAssessment(r: AssessmentReport): string {
  const rows: [string, Assessment][] = [['(all)', r.overall], ...Object.entries(r.by_unit ?? {})];
  const width = rows.reduce((w, [name]) => Math.max(w, name.length), 12);
  const part = (p: PartScore) => `${pctOf(p.value).padStart(8)} ${fmt(p.points, 1).padStart(5)}`;
  const lines = [
    '',
    `assessment of ${r.month} (${r.definition} KPIs): revenue retention ${r.overall.revenue_retention.max}, ` +
      `billed churn ${r.overall.billed_churn.max}, management (work orders returned) ${r.overall.management.max} points`,
    `${'unit'.padEnd(width)}  retention   pts     churn   pts  returned   pts   total`,
    ...rows.map(
      ([name, a]) =>
        `${(name || '(no unit)').padEnd(width)}  ${part(a.revenue_retention)}  ${part(a.billed_churn)}  ${part(a.management)}` +
        `  ${a.total.toFixed(1).padStart(5)} of ${a.out_of}`,
    ),
  ];
  if (r.overall.management.points === null) lines.push(`management ${r.overall.management.note}`);
  return `${lines.join('\n')}\n`;
}
