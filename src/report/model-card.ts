/**
 * What a model is, for `retain inspect`: engine, training, validation metrics, top features, segments,
 * schema and thresholds, as plain data (for --json) and as text. Reads only what the model file holds;
 * parts a model does not have (segments in table mode, a calibrator) are left out, not invented.
 */
import type { EngineSelection, ModelFile } from '../model/persist.js';

export interface MetricsLine {
  readonly name: string;
  readonly n: number | null;
  readonly churnRate: number | null;
  readonly auc: number | null;
  readonly topDecileLift: number | null;
  readonly brier: number | null;
  readonly logLoss: number | null;
}

/** How the model's probabilities were calibrated, and what that did on rows the calibrator never saw. */
export interface CalibrationLine {
  /** What the measured calibrators did (on the hold-out's halves they may differ: `a/b`). */
  readonly method: string;
  /** What the model's own calibrator does (null in files written before it was recorded). */
  readonly kept: string | null;
  readonly fittedOn: string;
  readonly rows: number | null;
  readonly before: {
    readonly brier: number | null;
    readonly ece: number | null;
    readonly atZero: number | null;
  };
  readonly after: {
    readonly brier: number | null;
    readonly ece: number | null;
    readonly atZero: number | null;
  };
}

/** How the engine was chosen: the one asked for and each engine measured on the validation rows. */
export interface EngineChoiceLine {
  readonly requested: string;
  readonly trials: readonly {
    readonly engine: string;
    readonly logLoss: number | null;
    readonly calibratedLogLoss: number | null;
    readonly auc: number | null;
    readonly topDecileLift: number | null;
    /** Boosting: the best validation round (the count of trees its refit keeps). */
    readonly rounds: number | null;
  }[];
}

export interface ModelCard {
  readonly id: string;
  readonly engine: string;
  readonly mode: string;
  readonly trainedAt: string;
  readonly packageVersion: string;
  readonly command: string;
  readonly months: readonly string[];
  readonly rows: number;
  readonly churnRate: number;
  readonly needsCdr: boolean;
  readonly seed: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** Null for a model trained without a validation split, or before engines were compared. */
  readonly engineChoice: EngineChoiceLine | null;
  readonly metrics: readonly MetricsLine[];
  readonly calibration: CalibrationLine | null;
  readonly topFeatures: readonly { readonly name: string; readonly importance: number }[];
  readonly segments: readonly {
    readonly name: string;
    readonly share: number | null;
    readonly meanArpu: number | null;
    readonly churnRate: number | null;
  }[];
  readonly schema: { readonly version: number; readonly hash: string; readonly features: number };
  readonly thresholds: Readonly<Record<string, unknown>>;
  /** The drift reference the model carries (model/drift.ts); null for a model trained before them. */
  readonly drift: {
    readonly features: number;
    readonly rows: number;
  } | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Every metrics block in the model (validation, out-of-bag, hold-out, …) as one line each. */
function metricsLines(metrics: Readonly<Record<string, unknown>>): MetricsLine[] {
  const lines: MetricsLine[] = [];
  for (const [name, value] of Object.entries(metrics)) {
    const block = record(value);
    // A validation block nests its metrics beside the months it used.
    const m = 'metrics' in block ? record(block.metrics) : block;
    if (num(m.auc) === null && num(m.n) === null) continue;
    lines.push({
      name,
      n: num(m.n),
      churnRate: num(m.baseRate),
      auc: num(m.auc),
      topDecileLift: num(m.topDecileLift),
      brier: num(m.brier),
      logLoss: num(m.logLoss),
    });
  }
  return lines;
}

function calibrationLine(metrics: Readonly<Record<string, unknown>>): CalibrationLine | null {
  const c = record(metrics.calibration);
  if (typeof c.method !== 'string') return null;
  const side = (v: unknown) => {
    const r = record(v);
    return { brier: num(r.brier), ece: num(r.ece), atZero: num(r.atZero) };
  };
  const before = record(c.before);
  return {
    method: c.method,
    kept: typeof c.kept === 'string' ? c.kept : null,
    fittedOn: String(c.fittedOn ?? ''),
    rows: num(before.rows),
    before: side(c.before),
    after: side(c.after),
  };
}

export function modelCard(file: ModelFile, topFeatures = 10): ModelCard {
  const segments = record(file.segments);
  const profiles = Array.isArray(segments.profiles) ? segments.profiles.map(record) : [];
  return {
    id: file.id,
    engine: file.engine,
    mode: file.training.mode,
    trainedAt: file.training.trainedAt,
    packageVersion: file.training.packageVersion,
    command: file.training.command,
    months: file.training.months,
    rows: file.training.rows,
    churnRate: file.training.churnRate,
    needsCdr: file.training.cdr,
    seed: file.training.seed,
    params: file.training.params,
    engineChoice: engineChoiceLine(file.training.engineSelection),
    metrics: metricsLines(file.metrics),
    calibration: calibrationLine(file.metrics),
    topFeatures: Object.entries(file.importances)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topFeatures)
      .map(([name, importance]) => ({ name, importance })),
    segments: profiles.map((p) => ({
      name: String(p.name ?? p.segment),
      share: num(p.share),
      meanArpu: num(p.meanArpu),
      churnRate: num(p.churnRate),
    })),
    schema: {
      version: file.featureSchema.version,
      hash: file.featureSchemaHash,
      features: file.featureSchema.features.length,
    },
    thresholds: file.thresholds,
    drift: driftLine(file.drift),
  };
}

function engineChoiceLine(selection: EngineSelection | undefined): EngineChoiceLine | null {
  if (selection === undefined || selection.trials.length === 0) return null;
  return {
    requested: selection.requested,
    trials: selection.trials.map((t) => ({
      engine: t.engine,
      logLoss: num(t.logLoss),
      calibratedLogLoss: num(t.calibratedLogLoss),
      auc: num(t.auc),
      topDecileLift: num(t.topDecileLift),
      rounds: num(t.rounds),
    })),
  };
}

/**
 * The engine lines: which engine, whether asked for or chosen by `auto`, and each one measured on the
 * validation rows; a boosted model's trees are its best validation round, refitted on every row (the
 * parameters then read earlyStopping=0, which is the refit's).
 */
function engineLines(card: ModelCard): string[] {
  const choice = card.engineChoice;
  if (choice === null) return [];
  const how =
    choice.requested === card.engine
      ? `${card.engine}, as asked`
      : `${card.engine}, chosen by --engine ${choice.requested} for the lowest calibrated validation log-loss`;
  const rounds = choice.trials.find((t) => t.engine === card.engine)?.rounds ?? null;
  // Before the refit kept the best round's count of trees it scaled it to the larger data: a model
  // trained then is described as it is.
  const trees = num(card.params.trees);
  const refit =
    rounds === null
      ? ''
      : trees === rounds
        ? `; its ${trees} trees are the best validation round of early stopping, refitted on every row`
        : `; best validation round ${rounds}, refitted on every row with ${trees ?? '–'} trees`;
  return [
    `engine: ${how}${refit}`,
    ...table(
      ['', 'log-loss', 'calibrated log-loss', 'AUC', 'top-decile lift', 'rounds'],
      choice.trials.map((t) => [
        t.engine,
        fixed(t.logLoss, 4),
        fixed(t.calibratedLogLoss, 4),
        fixed(t.auc, 4),
        fixed(t.topDecileLift, 2),
        t.rounds === null ? '–' : String(t.rounds),
      ]),
    ),
  ];
}

function driftLine(drift: unknown): ModelCard['drift'] {
  if (drift === undefined || drift === null) return null;
  const d = record(drift);
  return { features: Array.isArray(d.features) ? d.features.length : 0, rows: num(d.rows) ?? 0 };
}

const pct = (v: number | null, digits = 2) => (v === null ? '–' : `${(v * 100).toFixed(digits)}%`);
const fixed = (v: number | null, digits: number) => (v === null ? '–' : v.toFixed(digits));

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [line(header), ...rows.map(line)].map((l) => `  ${l.trimEnd()}`);
}

export function formatModelCard(card: ModelCard): string {
  const params = Object.entries(card.params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const months =
    card.months.length === 0
      ? 'none (table mode)'
      : `${card.months[0]} to ${card.months.at(-1)} (${card.months.length})`;
  const out = [
    `model ${card.id}: ${card.engine}, ${card.mode} mode`,
    `trained ${card.trainedAt} with retain ${card.packageVersion}`,
    `  command: ${card.command}`,
    `training: ${card.rows.toLocaleString('en-US')} rows, churn rate ${pct(card.churnRate)}, months ${months}, ` +
      `${card.needsCdr ? 'needs CDRs' : 'billing only'}, seed ${card.seed}`,
    `  parameters: ${params}`,
    ...engineLines(card),
    '',
    'metrics:',
    ...table(
      ['', 'rows', 'churn', 'AUC', 'top-decile lift', 'Brier', 'log-loss'],
      card.metrics.map((m) => [
        m.name,
        m.n === null ? '–' : m.n.toLocaleString('en-US'),
        pct(m.churnRate),
        fixed(m.auc, 4),
        fixed(m.topDecileLift, 2),
        fixed(m.brier, 4),
        fixed(m.logLoss, 4),
      ]),
    ),
    ...(card.calibration === null
      ? []
      : [
          '',
          `calibration: ${card.calibration.method}${card.calibration.kept !== null && card.calibration.kept !== card.calibration.method ? ` (the model keeps ${card.calibration.kept})` : ''}, fitted on ${card.calibration.fittedOn} scores; ` +
            `measured on ${card.calibration.rows?.toLocaleString('en-US') ?? '–'} held-out rows:`,
          ...table(
            ['', 'Brier', 'ECE', 'at exactly 0'],
            (['before', 'after'] as const).map((k) => {
              const m = card.calibration![k];
              return [k, fixed(m.brier, 4), fixed(m.ece, 4), pct(m.atZero, 1)];
            }),
          ),
        ]),
    '',
    `top ${card.topFeatures.length} features by importance:`,
    ...table(
      ['feature', 'importance'],
      card.topFeatures.map((f) => [f.name, f.importance.toFixed(4)]),
    ),
  ];
  if (card.segments.length > 0) {
    out.push(
      '',
      `segments (${card.segments.length}):`,
      ...table(
        ['segment', 'share', 'mean ARPU', 'churn'],
        card.segments.map((s) => [s.name, pct(s.share, 1), fixed(s.meanArpu, 2), pct(s.churnRate)]),
      ),
    );
  }
  out.push(
    '',
    `feature schema: version ${card.schema.version}, ${card.schema.features} features, hash ${card.schema.hash}`,
    `thresholds: ${JSON.stringify(card.thresholds)}`,
    card.drift === null
      ? 'drift reference: none (trained before drift references were stored); retrain to measure drift'
      : `drift reference: ${card.drift.features} features and the score, binned on ` +
          `${card.drift.rows.toLocaleString('en-US')} training rows`,
  );
  return `${out.join('\n')}\n`;
}
