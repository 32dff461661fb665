/**
 * Training on a warehouse-style wide table (one row per subscriber, a label column): encode, validate on
 * a seeded stratified hold-out, then refit on every row. Pure: the table arrives already read.
 */

import { DEFAULT_CONFIG } from '../config.js';
import { featureSchemaHash } from '../features/schema.js';
import { fitTableEncoding, type RawTable, type TableReport } from '../features/table.js';
import { makeFrame } from '../frame.js';
import { evaluate, type ModelMetrics } from '../model/metrics.js';
import type { ModelFileContent } from '../model/persist.js';
import { fitSegments, segmentOptionsFromConfig } from '../segment/index.js';
import { type CalibrationCheck, calibrateAndExplain, type HeldOut } from './calibration.js';
import {
  fitFinal,
  fitPhase,
  noticeEngine,
  pick,
  type RankedFeature,
  rankFeatures,
  sub,
  type TrainingRun,
} from './run.js';
import { stratifiedSplit } from './split.js';

export interface TableTrainingInput extends TrainingRun {
  readonly raw: RawTable;
  readonly label: string;
  readonly id?: string;
  /** Share of rows held out to measure the model before the final refit. */
  readonly testShare: number;
}

export interface TableTrainingReport {
  readonly rows: number;
  readonly churnRate: number;
  readonly encoding: TableReport;
  readonly validation: { testRows: number; metrics: ModelMetrics } | null;
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
  seed: number,
) {
  const frame = makeFrame(Object.fromEntries(names.map((n, j) => [n, columns[j]!])));
  const features = rankFeatures(importances)
    .slice(0, TABLE_SEGMENT_FEATURES)
    .map((f) => f.name);
  return fitSegments(frame, { ...segmentOptionsFromConfig(DEFAULT_CONFIG.segments, seed), features });
}

export async function trainTableModel(
  input: TableTrainingInput,
): Promise<{ content: ModelFileContent; report: TableTrainingReport }> {
  const fit = fitTableEncoding(
    input.raw,
    input.id ? { label: input.label, id: input.id } : { label: input.label },
  );
  const { X, y } = fit;
  noticeEngine(input, X);
  let validation: TableTrainingReport['validation'] = null;
  let held: HeldOut | null = null;
  if (input.testShare > 0) {
    const { train, test } = stratifiedSplit(y, input.testShare, input.seed);
    const fit = await fitPhase(input, 'validate', sub(X, train), pick(y, train));
    const scores = fit.predict(sub(X, test));
    validation = { testRows: test.length, metrics: evaluate(scores, pick(y, test)) };
    held = { oob: fit.oobScores, yTrain: pick(y, train), scores, y: pick(y, test) };
  }
  const { fit: final, outOfBag } = await fitFinal(input, X, y);
  const { calibration, explanation } = calibrateAndExplain(held, final, X, y);
  const churned = y.reduce((s, v) => s + v, 0);
  const segments = tableSegments(X.names, X.columns, final.importances, input.seed);
  const schema = {
    version: 1,
    features: X.names.map((name) => ({ name, type: 'number' as const, description: '' })),
  };
  const content: ModelFileContent = {
    engine: input.engine,
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
    },
    metrics: { validation, outOfBag, calibration: calibration.check },
    importances: final.importances,
  };
  const topFeatures = rankFeatures(final.importances).slice(0, 10);
  return {
    content,
    report: {
      rows: y.length,
      churnRate: churned / y.length,
      encoding: fit.report,
      validation,
      outOfBag,
      calibration: calibration.check,
      topFeatures,
      segments: { k: segments.report.k, names: segments.model.names },
    },
  };
}
