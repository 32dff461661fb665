/**
 * ml-random-forest behind the engine interface, for small tables and as a cross-check of our forest.
 *
 * What the library really does (v2.1): `maxFeatures` picks ONE feature subset per tree (not per split);
 * `replacement` is about that feature draw (with replacement a tree can get a column twice), bootstrap
 * rows come from `useSampleBagging`; its `predictProbability` starts a reduce from the first tree's label,
 * dropping that tree's vote. So here: features are drawn without replacement, rows bootstrapped, and the
 * probability is the mean over ALL trees of each tree's leaf class-1 share. It cannot take NaN:
 * missing values are replaced by the training median of their feature (kept in the model). Training is
 * roughly quadratic in rows, hence the time estimate.
 */
import { createRequire } from 'node:module';
import type { RandomForestClassifier } from 'ml-random-forest';
import { InputError, ModelError } from '../errors.js';
import {
  checkFeatureNames,
  type ForestStats,
  featuresPerSplit,
  resolveForestParams,
  type TrainedForestParams,
} from './forest.js';
import { type FeatureMatrix, type ForestParams, type OnProgress, trainedParams } from './types.js';

/**
 * The library loads on first use, not at start-up: only this engine needs it, and every command
 * (score included) reaches this module through the engine table.
 */
const requireModule = createRequire(import.meta.url);
let library: typeof import('ml-random-forest') | undefined;
function forestLibrary(): typeof import('ml-random-forest') {
  library ??= requireModule('ml-random-forest') as typeof import('ml-random-forest');
  return library;
}

export interface MlForestModel {
  readonly featureNames: readonly string[];
  /** Training medians that stand in for NaN. */
  readonly medians: readonly number[];
  readonly params: TrainedForestParams;
  readonly forest: RandomForestClassifier;
}

interface Leaf {
  left?: Leaf;
  right?: Leaf;
  splitColumn?: number;
  splitValue?: number;
  distribution?: { columns: number; get(row: number, column: number): number };
}

interface Internals {
  estimators: { root: Leaf }[];
  indexes: number[][];
}

function medianOf(column: Float64Array): number {
  const values = column.filter((v) => !Number.isNaN(v)).sort();
  if (values.length === 0) return 0;
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

function toRows(X: FeatureMatrix, medians: readonly number[]): number[][] {
  const rows: number[][] = new Array(X.nRows);
  for (let i = 0; i < X.nRows; i++) {
    const row = new Array<number>(X.columns.length);
    for (let f = 0; f < X.columns.length; f++) {
      const v = X.columns[f]![i]!;
      row[f] = Number.isNaN(v) ? medians[f]! : v;
    }
    rows[i] = row;
  }
  return rows;
}

/** Class-1 share of the leaf a row reaches (ml-cart: row[splitColumn] < splitValue goes left). */
function leafShare(node: Leaf, row: readonly number[], columns: readonly number[]): number {
  while (node.left && node.right) {
    node = row[columns[node.splitColumn!]!]! < node.splitValue! ? node.left : node.right;
  }
  const d = node.distribution!;
  // A leaf that saw only class 0 has a one-column distribution.
  return d.columns > 1 ? d.get(0, 1) : 0;
}

/**
 * Seconds ml-random-forest is expected to need. Every candidate threshold re-splits all the node's rows,
 * so time grows with rows squared: 1,000 rows x 8 features x 10 trees took 6.4 s here, 4,000 rows x 2
 * features 40 s (fitted constant, a loaded 2-core machine). An upper bound: with ~2% churners nodes turn
 * pure early (5,000 rows x 30 features x 10 trees took 38 s, estimated 600 s).
 */
export function estimateMlSeconds(rows: number, features: number, trees: number): number {
  return 8e-8 * rows * rows * features * trees;
}

/** A warning for the command to log before a long ml-random-forest training, or undefined. */
export function mlTrainingWarning(rows: number, features: number, trees: number): string | undefined {
  const seconds = estimateMlSeconds(rows, features, trees);
  if (seconds < 60) return undefined;
  return `ml-random-forest on ${rows} rows x ${features} features, ${trees} trees may take about ${Math.round(seconds / 60)} minutes (it is roughly quadratic in rows); --engine forest is much faster`;
}

export async function fitMlForest(
  X: FeatureMatrix,
  y: Uint8Array,
  params?: Partial<ForestParams>,
  hooks: { onProgress?: OnProgress } = {},
): Promise<{ model: MlForestModel; stats: ForestStats }> {
  const started = performance.now();
  const p = resolveForestParams(params);
  if (y.length !== X.nRows)
    throw new InputError(`ml-random-forest training: ${y.length} labels for ${X.nRows} rows`);
  const medians = X.columns.map(medianOf);
  const nFeatures = X.columns.length;
  const forest = new (forestLibrary().RandomForestClassifier)({
    nEstimators: p.trees,
    // Its draw is per tree: 'sqrt' of the features for a whole tree starves it (AUC 0.64 against 0.81
    // with all on generated data), so the per-split choices map to all features; numbers pass through.
    maxFeatures:
      typeof p.maxFeatures === 'number' ? featuresPerSplit(p.maxFeatures, nFeatures) / nFeatures : 1,
    replacement: false,
    useSampleBagging: true,
    maxSamples: p.sampleShare < 1 ? p.sampleShare : undefined,
    seed: p.seed,
    noOOB: true,
    treeOptions: {
      minNumSamples: 2 * p.minLeaf - 1,
      maxDepth: p.maxDepth === 0 ? Number.POSITIVE_INFINITY : p.maxDepth,
      gainThreshold: p.minImpurityDecrease,
    },
  } as never);
  forest.train(toRows(X, medians), Array.from(y));
  hooks.onProgress?.(p.trees, p.trees);
  const raw = (forest as unknown as { featureImportance(): number[] }).featureImportance();
  const importances: Record<string, number> = {};
  X.names.forEach((name, f) => {
    importances[name] = Number.isFinite(raw[f]!) ? raw[f]! : 0;
  });
  const trained = trainedParams(p);
  return {
    model: { featureNames: [...X.names], medians, params: trained, forest },
    stats: {
      oobScores: new Float64Array(X.nRows).fill(Number.NaN),
      importances,
      seconds: (performance.now() - started) / 1000,
      threads: 1,
      nodes: 0,
    },
  };
}

/** Mean over all trees of each tree's leaf class-1 share. */
export function predictMlForest(model: MlForestModel, X: FeatureMatrix): Float64Array {
  checkFeatureNames(model.featureNames, X);
  const { estimators, indexes } = model.forest as unknown as Internals;
  const rows = toRows(X, model.medians);
  const out = new Float64Array(X.nRows);
  for (let t = 0; t < estimators.length; t++) {
    const root = estimators[t]!.root;
    const columns = indexes[t]!;
    for (let i = 0; i < rows.length; i++) out[i]! += leafShare(root, rows[i]!, columns);
  }
  for (let i = 0; i < out.length; i++) out[i]! /= estimators.length;
  return out;
}

export const ML_FOREST_FORMAT = 'retain-ml-random-forest';

export function mlForestToJSON(model: MlForestModel): unknown {
  return {
    format: ML_FOREST_FORMAT,
    version: 1,
    featureNames: [...model.featureNames],
    medians: [...model.medians],
    params: model.params,
    forest: model.forest.toJSON(),
  };
}

export function mlForestFromJSON(json: unknown): MlForestModel {
  const j = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (j.format !== ML_FOREST_FORMAT || j.version !== 1) {
    throw new ModelError(
      `ml-random-forest model: format ${JSON.stringify(j.format)} version ${JSON.stringify(j.version)}, expected "${ML_FOREST_FORMAT}" version 1`,
    );
  }
  const names = j.featureNames;
  const medians = j.medians;
  if (!Array.isArray(names) || !Array.isArray(medians) || names.length !== medians.length) {
    throw new ModelError('ml-random-forest model: featureNames and medians must be lists of equal length');
  }
  let forest: RandomForestClassifier;
  try {
    forest = forestLibrary().RandomForestClassifier.load(j.forest as never);
  } catch (error) {
    throw new ModelError(`ml-random-forest model: ${(error as Error).message}`, { cause: error });
  }
  const trained = trainedParams(resolveForestParams(j.params as Partial<ForestParams>));
  return { featureNames: names as string[], medians: medians as number[], params: trained, forest };
}
