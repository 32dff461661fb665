/**
 * What the report shows, derived from what the run wrote: the summaries of this and earlier months,
 * the model file and, when given, the evaluation. Pure functions; the charts and the HTML read only
 * these shapes.
 */
import { STAGES, type Stage, TIERS, type Tier } from '../contract.js';
import type { ScoredMonthEvaluation } from '../effect/index.js';
import { InternalError, UsageError } from '../errors.js';
import type { DecileCalibration } from '../model/metrics.js';
import type { ModelFile } from '../model/persist.js';
import type { Summary } from './summary.js';

/** A row of a list as read from its file: column name → text (null for an empty cell). */
export interface ReportRow {
  readonly [column: string]: string | null;
}

/** A list's table as read: its column names and each column's cells (null for an empty cell). */
export interface ListCells {
  readonly names: readonly string[];
  readonly columns: readonly (readonly (string | null | undefined)[])[];
  readonly rowCount: number;
}

/** The first `top` rows of a list, each as column name → text, for the report's table. */
export function topRows(table: ListCells, top: number): ReportRow[] {
  const rows = Math.min(top, table.rowCount);
  return Array.from({ length: rows }, (_, i) =>
    Object.fromEntries(table.names.map((name, j) => [name, table.columns[j]![i] ?? null])),
  );
}

export type DriftLevel = 'stable' | 'warning' | 'retrain';

/** summary.json `drift`: the population stability of the scored month against the model's training. */
export type { DriftSummary } from './drift.js';

export interface ReportInput {
  readonly summary: Summary;
  /** Summaries of earlier months (`--history`, as checkHistory passes them), any order; the trend adds the current one. */
  readonly history: readonly Summary[];
  /** The model that scored the month, or null with the reason it is not shown. */
  readonly model: ModelFile | null;
  readonly modelNote: string | null;
  /** `retain evaluate --out` of this month, when its outcome is known. */
  readonly evaluation: ScoredMonthEvaluation | null;
  /** The first rows of the warning list. */
  readonly warningTop: readonly ReportRow[];
  /** Prefix of money amounts (config `report.currency`). */
  readonly currency: string;
}

export interface TrendPoint {
  readonly month: string;
  readonly retention: number | null;
  readonly churn: number | null;
  readonly revenueAtRisk: number | null;
}

const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A scored folder's summary, with the folder, for messages. */
export interface FolderSummary {
  readonly folder: string;
  readonly summary: Summary;
}

/**
 * Refuses (UsageError, exit 2) a `--history` that cannot lead up to the reported month: a folder of a
 * month after it or of the month itself, two folders of one month (which to plot?), or one without a
 * scored month. Every problem is named at once, with the folders and their months; nothing is dropped.
 */
export function checkHistory(reported: FolderSummary, history: readonly FolderSummary[]): void {
  const month = reported.summary.month;
  if (history.length === 0) return;
  if (month === null)
    throw new UsageError(
      `--history: ${reported.folder} holds no scored month (summary.json month is null): no trend leads up to it`,
    );
  const problems: string[] = [];
  const byMonth = new Map<string, string[]>();
  for (const { folder, summary } of history) {
    const m = summary.month;
    if (m === null) problems.push(`${folder} holds no scored month`);
    else if (m > month) problems.push(`${folder} is of ${m}, after the reported month ${month}`);
    else if (m === month)
      problems.push(`${folder} is of ${m}, the reported month itself (${reported.folder})`);
    else byMonth.set(m, [...(byMonth.get(m) ?? []), folder]);
  }
  for (const [m, folders] of [...byMonth].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (folders.length > 1) problems.push(`${folders.join(', ')}: ${folders.length} folders of ${m}`);
  if (problems.length > 0)
    throw new UsageError(
      `--history: ${problems.join('; ')}. The trend takes one scored folder for each month before ${month}`,
    );
}

/**
 * One point per month, oldest first. The months are distinct (checkHistory refuses a month given
 * twice): one repeated is a bug, never a point silently dropped.
 */
export function kpiTrend(summaries: readonly Summary[]): TrendPoint[] {
  const byMonth = new Map<string, TrendPoint>();
  for (const s of summaries) {
    if (s.month === null) continue;
    if (byMonth.has(s.month)) throw new InternalError(`the KPI trend was given ${s.month} twice`);
    byMonth.set(s.month, {
      month: s.month,
      retention: finiteOrNull(s.kpis?.daily_revenue_retention),
      churn: finiteOrNull(s.kpis?.monthly_billed_churn),
      revenueAtRisk: finiteOrNull(s.revenue_at_risk?.listed),
    });
  }
  return [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

export interface GainsPoint {
  /** 1 = riskiest tenth. */
  readonly decile: number;
  /** Share of subscribers in deciles 1..decile. */
  readonly subscriberShare: number;
  /** Share of all churners found in deciles 1..decile (the cumulative gain). */
  readonly churnerShare: number;
  /** The decile's churn rate over the overall rate. */
  readonly lift: number;
}

/** Cumulative gains and per-decile lift from decile calibration (n and observed rate per decile). */
export function gainsFromDeciles(deciles: readonly DecileCalibration[]): GainsPoint[] {
  const sorted = [...deciles].sort((a, b) => a.decile - b.decile);
  const churners = sorted.map((d) => d.n * d.observedRate);
  const n = sorted.reduce((s, d) => s + d.n, 0);
  const total = churners.reduce((s, c) => s + c, 0);
  const base = n > 0 ? total / n : 0;
  let cumN = 0;
  let cumC = 0;
  return sorted.map((d, k) => {
    cumN += d.n;
    cumC += churners[k]!;
    return {
      decile: d.decile,
      subscriberShare: n > 0 ? cumN / n : 0,
      churnerShare: total > 0 ? cumC / total : 0,
      lift: base > 0 ? d.observedRate / base : 0,
    };
  });
}

export interface StageTierCell {
  readonly stage: Stage;
  readonly tier: Tier;
  readonly subscribers: number;
}

/** summary.json `stage_tier` as cells in stage then tier order; null for a summary without it. */
export function stageTierCells(summary: Summary): StageTierCell[] | null {
  const m = summary.stage_tier as Summary['stage_tier'] | undefined;
  if (m === undefined || m === null) return null;
  return STAGES.flatMap((stage) =>
    TIERS.map((tier) => ({ stage, tier, subscribers: m[stage]?.[tier] ?? 0 })),
  );
}

export interface SegmentRow {
  readonly name: string;
  readonly size: number | null;
  readonly share: number | null;
  readonly meanArpu: number | null;
  readonly churnRate: number | null;
  /** The features that set the segment apart, with their standard score against everyone. */
  readonly defining: readonly { readonly feature: string; readonly z: number }[];
}

export interface ValidationView {
  /** Which rows: "validation (2025-06)", "out-of-bag". */
  readonly label: string;
  readonly auc: number | null;
  readonly topDecileLift: number | null;
  readonly deciles: readonly DecileCalibration[];
}

export interface ModelView {
  readonly id: string;
  readonly validation: ValidationView | null;
  readonly importances: readonly { readonly feature: string; readonly importance: number }[];
  readonly segments: readonly SegmentRow[];
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function deciles(v: unknown): DecileCalibration[] {
  if (!Array.isArray(v)) return [];
  return v
    .map(record)
    .filter((d) => finiteOrNull(d.n) !== null && finiteOrNull(d.observedRate) !== null)
    .map((d) => ({
      decile: Number(d.decile),
      n: d.n as number,
      meanPredicted: finiteOrNull(d.meanPredicted) ?? 0,
      observedRate: d.observedRate as number,
    }));
}

/** The validation block the report shows: the held-out month when the model has one, else out-of-bag. */
function validationView(metrics: Readonly<Record<string, unknown>>): ValidationView | null {
  const v = record(metrics.validation);
  const candidates: [string, Record<string, unknown>][] = [
    [typeof v.testMonth === 'string' ? `validation month ${v.testMonth}` : 'validation', record(v.metrics)],
    ['out-of-bag', record(metrics.outOfBag)],
  ];
  for (const [label, m] of candidates) {
    const d = deciles(m.calibration);
    if (d.length > 0)
      return { label, auc: finiteOrNull(m.auc), topDecileLift: finiteOrNull(m.topDecileLift), deciles: d };
  }
  return null;
}

/** What the report reads of a model file; parts a model lacks are empty, never invented. */
export function modelView(file: ModelFile, topFeatures = 15): ModelView {
  const profiles = Array.isArray(record(file.segments).profiles)
    ? (record(file.segments).profiles as unknown[]).map(record)
    : [];
  return {
    id: file.id,
    validation: validationView(file.metrics),
    importances: Object.entries(file.importances)
      .filter(([, v]) => Number.isFinite(v))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topFeatures)
      .map(([feature, importance]) => ({ feature, importance })),
    segments: profiles.map((p) => ({
      name: String(p.name ?? p.segment ?? ''),
      size: finiteOrNull(p.size),
      share: finiteOrNull(p.share),
      meanArpu: finiteOrNull(p.meanArpu),
      churnRate: finiteOrNull(p.churnRate),
      defining: (Array.isArray(p.distinctive) ? p.distinctive : [])
        .map(record)
        .filter((d) => typeof d.feature === 'string' && finiteOrNull(d.z) !== null)
        .map((d) => ({ feature: d.feature as string, z: d.z as number })),
    })),
  };
}
