/**
 * Training as a pure composition: billing (+ CDR aggregates) → features → segments → forest, validated
 * on time (train on every labelled month but the last, measure on the last), then refitted on all
 * labelled months. Returns the model file's content and a report; reads and writes nothing.
 */

import { formatMonth } from '../calendar.js';
import type { Config } from '../config.js';
import { type BillingTable, type SetAsideRows, STATUS } from '../contract.js';
import { InputError } from '../errors.js';
import { buildFeatures, type CdrAggregates, featureSchemaHash, toFeatureMatrix } from '../features/index.js';
import { type Frame, i32, take, takeColumn, u8, where } from '../frame.js';
import type { ModelMetrics } from '../model/metrics.js';
import type { ModelFileContent, ModelTraining } from '../model/persist.js';
import type { EngineName } from '../model/types.js';
import { fitSegmentsParallel, segmentOptionsFromConfig } from '../segment/index.js';
import type { CalibrationCheck } from './calibration.js';
import { finishTraining } from './train-finish.js';
import {
  type EngineTrial,
  engineSelection,
  fitValidated,
  noticeEngine,
  type RankedFeature,
  rankByImportance,
  type TrainingSettings,
} from './validated-fit.js';

export interface SubscriberTrainingInput extends TrainingSettings {
  readonly billing: BillingTable;
  readonly cdr: CdrAggregates | null;
  readonly config: Config;
  /** Billing rows set aside as bad: their subscribers' absence from those months is no churn. */
  readonly setAside?: SetAsideRows;
}

export interface TrainingReport {
  /** Per labelled month: its labelled rows, churners, and rows left unlabelled (FeatureMonthStats.setAside). */
  readonly months: { month: string; rows: number; churned: number; setAside: number }[];
  readonly validation: { trainMonths: string[]; testMonth: string; metrics: ModelMetrics } | null;
  /** The engine kept, and every engine's result on the validation month (two under `auto`). */
  readonly engine: EngineName;
  readonly trials: readonly EngineTrial[];
  readonly outOfBag: ModelMetrics | null;
  /** Calibration before and after, measured on the validation month; null without validation. */
  readonly calibration: CalibrationCheck | null;
  readonly topFeatures: RankedFeature[];
  readonly segments: { k: number; names: readonly string[]; silhouetteByK: readonly unknown[] };
  readonly featureStats: unknown;
}

export interface TrainingResult {
  readonly content: ModelFileContent;
  readonly report: TrainingReport;
}

/** Rows that carry a churn label: a successor month exists and the account is not closed. */
export function labelledRows(frame: Frame): Int32Array {
  const labelled = u8(frame, 'labelled');
  const status = u8(frame, 'status');
  return where(frame.n, (i) => labelled[i] === 1 && status[i] !== STATUS.closed);
}

function monthsOf(frame: Frame, rows: Int32Array): number[] {
  const month = i32(frame, 'month');
  return [...new Set(Array.from(rows, (r) => month[r]!))].sort((a, b) => a - b);
}

export async function trainSubscriberModel(input: SubscriberTrainingInput): Promise<TrainingResult> {
  const { billing, cdr, config, seed } = input;
  input.onPhase?.('features');
  const built = buildFeatures(billing, cdr, config, input.setAside ? { setAside: input.setAside } : {});
  const frame = built.frame;
  const rows = labelledRows(frame);
  const months = monthsOf(frame, rows);
  if (months.length === 0) {
    throw new InputError(
      'no labelled month: training needs at least two consecutive billing months (labels come from the next month)',
    );
  }
  const labelledFrame = take(frame, rows);
  const y = u8(labelledFrame, 'churned_next');
  const X = toFeatureMatrix(labelledFrame, built.schema);
  const monthCol = i32(labelledFrame, 'month');
  const churned = y.reduce((s, v) => s + v, 0);
  if (churned === 0 || churned === y.length) {
    throw new InputError(
      `the labelled months have ${churned} churners among ${y.length} rows: both classes are needed`,
    );
  }

  noticeEngine(input, X);

  const lastMonth = months[months.length - 1]!;
  const segmentRows = where(labelledFrame.n, (i) => monthCol[i] === lastMonth);

  // Validation on time: the last labelled month is the future the earlier months must predict (and
  // where boosting stops early and `auto` compares engines).
  const split =
    months.length >= 2
      ? { train: where(labelledFrame.n, (i) => monthCol[i] !== lastMonth), test: segmentRows }
      : null;
  const fitted = await fitValidated(input, X, y, split);
  const { fit: final, outOfBag } = fitted;
  const validation: TrainingReport['validation'] = fitted.validation
    ? {
        trainMonths: months.slice(0, -1).map(formatMonth),
        testMonth: formatMonth(lastMonth),
        metrics: fitted.validation,
      }
    : null;

  const threads = input.forest.threads ?? 0;
  const after = await finishTraining({
    held: fitted.held,
    final,
    X,
    y,
    seed,
    threads,
    // Drift is measured against the latest labelled month, as segments are fitted on: earlier months'
    // history features (trends, slopes) see fewer months before them than a scored month does.
    driftRows: segmentRows,
    // Segments are fitted on the latest labelled month: one behavioural snapshot, with churn rates.
    segments: () =>
      fitSegmentsParallel(
        take(labelledFrame, segmentRows),
        segmentOptionsFromConfig(config.segments, seed),
        threads,
      ),
    ...(input.onPhase ? { onPhase: input.onPhase } : {}),
  });
  const { calibration, explanation, segments: segmentFit, drift } = after;

  const byMonth = months.map((m) => {
    const r = where(labelledFrame.n, (i) => monthCol[i] === m);
    const setAside = built.stats.byMonth.find((s) => s.month === m)?.setAside ?? 0;
    const churners = takeColumn(y, r).reduce((s, v) => s + v, 0);
    return { month: formatMonth(m), rows: r.length, churned: churners, setAside };
  });
  const training: ModelTraining = {
    mode: 'subscriber',
    months: months.map(formatMonth),
    rows: y.length,
    churnRate: churned / y.length,
    cdr: built.stats.cdrMonths.length > 0,
    seed,
    params: { ...final.params },
    packageVersion: input.packageVersion,
    trainedAt: input.trainedAt,
    command: input.command,
    engineSelection: engineSelection(input, fitted),
  };
  const content: ModelFileContent = {
    engine: fitted.engine,
    featureSchema: built.schema,
    featureSchemaHash: featureSchemaHash(built.schema),
    segments: segmentFit.model,
    tableEncoding: null,
    forest: final.json,
    calibration: calibration.json,
    explanation,
    thresholds: { warning_deciles: config.stages.warning_deciles },
    training,
    metrics: { validation, outOfBag, calibration: calibration.check },
    importances: final.importances,
    drift,
  };
  return {
    content,
    report: {
      months: byMonth,
      validation,
      engine: fitted.engine,
      trials: fitted.trials,
      outOfBag,
      calibration: calibration.check,
      topFeatures: rankByImportance(final.importances).slice(0, 10),
      segments: {
        k: segmentFit.report.k,
        names: segmentFit.model.names,
        silhouetteByK: segmentFit.report.silhouetteByK,
      },
      featureStats: built.stats,
    },
  };
}
