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
import type { EngineName, ForestParams } from '../model/types.js';
import { fitSegments, segmentOptionsFromConfig } from '../segment/index.js';
import { engineWarning, fitWithEngine, type Phase } from './engine.js';
import { stratifiedSplit } from './split.js';
import { pick, sub } from './train.js';

export interface TableTrainingInput {
  readonly raw: RawTable;
  readonly label: string;
  readonly id?: string;
  readonly engine: EngineName;
  readonly forest: Partial<ForestParams>;
  readonly seed: number;
  /** Share of rows held out to measure the model before the final refit. */
  readonly testShare: number;
  readonly trainedAt: string;
  readonly command: string;
  readonly packageVersion: string;
  readonly onProgress?: (phase: Phase, done: number, total: number) => void;
  /** Something to tell the user before a long step (e.g. the reference engine on large data). */
  readonly onNotice?: (message: string) => void;
}

export interface TableTrainingReport {
  readonly rows: number;
  readonly churnRate: number;
  readonly encoding: TableReport;
  readonly validation: { testRows: number; metrics: ModelMetrics } | null;
  readonly outOfBag: ModelMetrics | null;
  readonly topFeatures: { name: string; importance: number }[];
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
  const features = [...names]
    .sort((a, b) => (importances[b] ?? 0) - (importances[a] ?? 0) || (a < b ? -1 : 1))
    .slice(0, TABLE_SEGMENT_FEATURES);
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
  const params: Partial<ForestParams> = { ...input.forest, seed: input.seed };
  const warning = engineWarning(input.engine, X.nRows, X.columns.length, params);
  if (warning) input.onNotice?.(warning);
  let validation: TableTrainingReport['validation'] = null;
  if (input.testShare > 0) {
    const { train, test } = stratifiedSplit(y, input.testShare, input.seed);
    const held = await fitWithEngine(input.engine, sub(X, train), pick(y, train), params, (d, t) =>
      input.onProgress?.('validate', d, t),
    );
    validation = { testRows: test.length, metrics: evaluate(held.predict(sub(X, test)), pick(y, test)) };
  }
  const final = await fitWithEngine(input.engine, X, y, params, (d, t) => input.onProgress?.('fit', d, t));
  const outOfBag = final.oobScores.some((v) => !Number.isNaN(v)) ? evaluate(final.oobScores, y) : null;
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
    metrics: { validation, outOfBag },
    importances: final.importances,
  };
  const topFeatures = Object.entries(final.importances)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([name, importance]) => ({ name, importance }));
  return {
    content,
    report: {
      rows: y.length,
      churnRate: churned / y.length,
      encoding: fit.report,
      validation,
      outOfBag,
      topFeatures,
      segments: { k: segments.report.k, names: segments.model.names },
    },
  };
}
