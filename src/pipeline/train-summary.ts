/**
 * The lines `retain train` prints about the model it trained: the rows, the engines measured, the
 * validation and out-of-bag metrics, the calibration, the segments and the top features.
 */
import type { ModelMetrics } from '../model/metrics.js';
import type { CalibrationCheck } from './calibration.js';
import type { TrainingReport } from './train.js';
import type { TableTrainingReport } from './train-table.js';
import type { EngineTrial, RankedFeature } from './validated-fit.js';

/** One line per engine measured on the validation rows, and which one was kept. */
export function engineLines(report: { engine: string; trials: readonly EngineTrial[] }): string[] {
  const lines = report.trials.map(
    (t) =>
      `engine ${t.engine}${t.engine === report.engine ? ' (kept)' : ''}: validation log-loss ${t.metrics.logLoss.toFixed(4)} (calibrated ${t.calibratedLogLoss.toFixed(4)})  AUC ${t.metrics.auc.toFixed(4)}` +
      `${t.rounds === undefined ? '' : `  ${t.rounds} rounds`}  ${t.seconds.toFixed(1)} s`,
  );
  return lines.length > 0 ? lines : [`engine ${report.engine}`];
}

export function metricLine(name: string, m: ModelMetrics | null): string {
  if (!m) return `${name}: not measured`;
  return `${name}: AUC ${m.auc.toFixed(4)}  PR-AUC ${m.prAuc.toFixed(4)}  top-decile lift ${m.topDecileLift.toFixed(2)}  Brier ${m.brier.toFixed(4)}  (${m.n} rows, churn ${(m.baseRate * 100).toFixed(2)}%)`;
}

export function calibrationLine(where: string, c: CalibrationCheck | null): string {
  if (!c) return 'calibration: not measured (no validation step)';
  const { before: b, after: a } = c;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  return (
    `calibration (${c.method}, fitted on ${c.fitRows} ${c.fittedOn} rows, measured on ${where}${c.kept !== undefined && c.kept !== c.method ? `; the model keeps ${c.kept}` : ''}): ` +
    `Brier ${b.brier.toFixed(4)} → ${a.brier.toFixed(4)}  log-loss ${b.logLoss.toFixed(4)} → ${a.logLoss.toFixed(4)}  ` +
    `ECE ${b.ece.toFixed(4)} → ${a.ece.toFixed(4)}  at exactly 0: ${pct(b.atZero)} → ${pct(a.atZero)}`
  );
}

function topFeaturesLine(features: readonly RankedFeature[]): string {
  return `top features: ${features.map((f) => `${f.name} ${f.importance.toFixed(3)}`).join(', ')}`;
}

/** What a model trained on a wide table (`--table`) is, line by line. */
export function tableTrainingLines(r: TableTrainingReport): string[] {
  return [
    `rows ${r.rows}, churn ${(r.churnRate * 100).toFixed(2)}%, ${r.encoding.features.length} features`,
    ...engineLines(r),
    metricLine('hold-out (30%, stratified)', r.validation?.metrics ?? null),
    metricLine('out-of-bag', r.outOfBag),
    calibrationLine('the hold-out', r.calibration),
    topFeaturesLine(r.topFeatures),
  ];
}

/** What a model trained on billing (+ CDR) months is, line by line. */
export function subscriberTrainingLines(r: TrainingReport): string[] {
  const v = r.validation;
  return [
    ...r.months.map(
      (m) =>
        `labelled ${m.month}: ${m.rows} subscribers, ${m.churned} churned next month${m.setAside > 0 ? `; ${m.setAside} left unlabelled, their next month's billing row set aside as bad` : ''}`,
    ),
    ...engineLines(r),
    metricLine(
      v ? `validation (train ${v.trainMonths.join(',')} → test ${v.testMonth})` : 'validation',
      v?.metrics ?? null,
    ),
    metricLine('out-of-bag (final model)', r.outOfBag),
    calibrationLine(v ? v.testMonth : 'the validation month', r.calibration),
    `segments (k=${r.segments.k}): ${r.segments.names.join(' | ')}`,
    topFeaturesLine(r.topFeatures),
  ];
}
