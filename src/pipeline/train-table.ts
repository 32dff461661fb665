/**
 * Training on a warehouse-style wide table (one row per subscriber, a label column): encode, validate on
 * a seeded stratified hold-out, then refit on every row. Pure: the table arrives already read.
 */

import { type Config, DEFAULT_CONFIG } from '../config.js';
import { InputError } from '../errors.js';
import { featureSchemaHash } from '../features/schema.js';
import { fileOf, fitTableEncoding, type TableInput, type TableReport } from '../features/table.js';
import { makeFrame } from '../frame.js';
import type { ModelMetrics } from '../model/metrics.js';
import type { ModelFileContent } from '../model/persist.js';
import type { EngineName } from '../model/types.js';
import { fitSegmentsParallel, segmentOptionsFromConfig } from '../segment/index.js';
import type { CalibrationCheck } from './calibration.js';
import { stratifiedSplit } from './split.js';
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

export interface TableTrainingInput extends TrainingSettings {
  readonly raw: TableInput;
  readonly label: string;
  readonly id?: string;
  /** Share of rows held out to measure the model before the final refit. */
  readonly testShare: number;
  /** The config's segment settings (k or its range, restarts); the defaults when absent. */
  readonly segments?: Config['segments'];
}

export interface TableTrainingReport {
  readonly rows: number;
  readonly churnRate: number;
  readonly encoding: TableReport;
  readonly validation: { testRows: number; metrics: ModelMetrics } | null;
  /** The engine kept, and every engine's result on the hold-out (two under `auto`). */
  readonly engine: EngineName;
  readonly trials: readonly EngineTrial[];
  readonly outOfBag: ModelMetrics | null;
  /** Calibration before and after, measured on the hold-out; null without one. */
  readonly calibration: CalibrationCheck | null;
  readonly topFeatures: RankedFeature[];
  readonly segments: { k: number; names: readonly string[] };
}

/** Features a wide table is segmented on: the forest's most important ones, so segments follow what drives churn. */
const TABLE_SEGMENT_FEATURES = 8;

function tableSegments(
  names: readonly string[],
  columns: readonly Float64Array[],
  importances: Record<string, number>,
  settings: Config['segments'],
  seed: number,
  threads: number,
) {
  const frame = makeFrame(Object.fromEntries(names.map((n, j) => [n, columns[j]!])));
  const features = rankByImportance(importances)
    .slice(0, TABLE_SEGMENT_FEATURES)
    .map((f) => f.name);
  return fitSegmentsParallel(frame, { ...segmentOptionsFromConfig(settings, seed), features }, threads);
}

/**
 * Fewest churners, and fewest who stayed, a hold-out needs for its measures to mean much: below it
 * training warns (AUC from a handful of churners swings by tenths with one row; from none it is
 * undefined). The model is written all the same.
 */
const MIN_HELD_CLASS = 10;

/** The warning for a hold-out too small in one class to measure the model on; null when it is not. */
export function thinHoldOutNote(y: Uint8Array, test: Int32Array, file: string): string | null {
  let churners = 0;
  for (let i = 0; i < test.length; i++) churners += y[test[i]!]!;
  const stayed = test.length - churners;
  if (Math.min(churners, stayed) >= MIN_HELD_CLASS) return null;
  const few = churners < stayed ? 'churners' : 'subscribers who stayed';
  const measures = Math.min(churners, stayed) === 0 ? 'undefined' : 'unreliable';
  return (
    `${file}the hold-out (${test.length} rows) holds ${churners} churners and ${stayed} who stayed: too few ` +
    `${few} to measure the model on (its AUC, lift and calibration are ${measures}); give a table with more of them`
  );
}

export async function trainTableModel(
  input: TableTrainingInput,
): Promise<{ content: ModelFileContent; report: TableTrainingReport }> {
  input.onPhase?.('encode');
  const fit = fitTableEncoding(
    input.raw,
    input.id ? { label: input.label, id: input.id } : { label: input.label },
  );
  const { X, y } = fit;
  // Refused before the fit, not after it: every row is a subscriber the segments must tell apart.
  const segmenting = input.segments ?? DEFAULT_CONFIG.segments;
  const fewest = segmenting.k ?? segmenting.k_min;
  if (X.nRows < fewest)
    throw new InputError(
      `${fileOf(input.raw)}${X.nRows} rows are too few to train on: the segments need at least ${fewest} (segments.${segmenting.k === null ? 'k_min' : 'k'})`,
    );
  noticeEngine(input, X);
  const split = input.testShare > 0 ? stratifiedSplit(y, input.testShare, input.seed) : null;
  const thin = split ? thinHoldOutNote(y, split.test, fileOf(input.raw)) : null;
  if (thin) input.onNotice?.(thin);
  const fitted = await fitValidated(input, X, y, split);
  const { fit: final, outOfBag } = fitted;
  const validation: TableTrainingReport['validation'] =
    split && fitted.validation ? { testRows: split.test.length, metrics: fitted.validation } : null;
  const churned = y.reduce((s, v) => s + v, 0);
  const after = await finishTraining({
    held: fitted.held,
    final,
    X,
    y,
    seed: input.seed,
    threads: input.forest.threads ?? 0,
    segments: () =>
      tableSegments(X.names, X.columns, final.importances, segmenting, input.seed, input.forest.threads ?? 0),
    ...(input.onPhase ? { onPhase: input.onPhase } : {}),
  });
  const { calibration, explanation, segments, drift } = after;
  const schema = {
    version: 1,
    features: X.names.map((name) => ({ name, type: 'number' as const, description: '' })),
  };
  const content: ModelFileContent = {
    engine: fitted.engine,
    featureSchema: schema,
    featureSchemaHash: featureSchemaHash(schema),
    segments: segments.model,
    tableEncoding: fit.encoding,
    forest: final.json,
    calibration: calibration.json,
    explanation,
    thresholds: {},
    training: {
      mode: 'table',
      months: [],
      rows: y.length,
      churnRate: churned / y.length,
      cdr: false,
      seed: input.seed,
      params: { ...final.params },
      packageVersion: input.packageVersion,
      trainedAt: input.trainedAt,
      command: input.command,
      engineSelection: engineSelection(input, fitted),
    },
    metrics: { validation, outOfBag, calibration: calibration.check },
    importances: final.importances,
    drift,
  };
  const topFeatures = rankByImportance(final.importances).slice(0, 10);
  return {
    content,
    report: {
      rows: y.length,
      churnRate: churned / y.length,
      encoding: fit.report,
      validation,
      engine: fitted.engine,
      trials: fitted.trials,
      outOfBag,
      calibration: calibration.check,
      topFeatures,
      segments: { k: segments.report.k, names: segments.model.names },
    },
  };
}
