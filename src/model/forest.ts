/**
 * The histogram random forest: fit on a FeatureMatrix and 0/1 labels, predict class-1 probabilities
 * (mean of the trees' leaf shares, as scikit-learn's predict_proba), and a compact versioned JSON form.
 */
import { InputError, ModelError, UsageError } from '../errors.js';
import { threadsFor } from '../workers.js';
import { binFeatures, rowMajorCodes, valueBins } from './bins.js';
import { type FlatTree, type GrowSettings, OOB_SCALE } from './grow.js';
import { PARALLEL_PREDICT_MIN_ROWS, predictOnThreads, runTrees } from './threads.js';
import {
  type PackedForest,
  packForest,
  predictPacked,
  type TreeJSON,
  treeFromJSON,
  treeToJSON,
} from './tree.js';
import {
  DEFAULT_FOREST_PARAMS,
  type FeatureMatrix,
  type ForestParams,
  type OnProgress,
  trainedParams,
} from './types.js';

export type { FlatTree } from './grow.js';

export type ResolvedForestParams = Required<ForestParams>;

/** What the model records of its parameters (see trainedParams). */
export type TrainedForestParams = Omit<ResolvedForestParams, 'threads' | 'seed'>;

export interface ForestModel {
  readonly featureNames: readonly string[];
  readonly params: TrainedForestParams;
  readonly trees: readonly FlatTree[];
}

export interface ForestStats {
  /** Mean prediction of the trees for which the row was out of bag; NaN if it never was. */
  readonly oobScores: Float64Array;
  /** Normalised weighted impurity decrease (mean over trees), summing to 1. */
  readonly importances: Record<string, number>;
  readonly seconds: number;
  readonly threads: number;
  readonly nodes: number;
}

export interface ForestFit {
  readonly model: ForestModel;
  readonly stats: ForestStats;
}

export interface FitHooks {
  onProgress?: OnProgress;
}

function bad(name: string, value: unknown, expected: string): UsageError {
  return new UsageError(`forest parameter ${name}: ${JSON.stringify(value)} is not ${expected}`);
}

function isInt(v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Fills in defaults and checks every parameter, naming the bad value. */
export function resolveForestParams(params: Partial<ForestParams> = {}): ResolvedForestParams {
  const p: ResolvedForestParams = { ...DEFAULT_FOREST_PARAMS };
  for (const [key, value] of Object.entries(params)) {
    if (!(key in DEFAULT_FOREST_PARAMS)) throw new UsageError(`unknown forest parameter ${key}`);
    if (value !== undefined) (p as unknown as Record<string, unknown>)[key] = value;
  }
  if (!isInt(p.trees, 1)) throw bad('trees', p.trees, 'an integer >= 1');
  if (!isInt(p.maxDepth, 0)) throw bad('maxDepth', p.maxDepth, 'an integer >= 0 (0 = unlimited)');
  if (!isInt(p.minLeaf, 1)) throw bad('minLeaf', p.minLeaf, 'an integer >= 1');
  if (typeof p.minImpurityDecrease !== 'number' || !(p.minImpurityDecrease >= 0)) {
    throw bad('minImpurityDecrease', p.minImpurityDecrease, 'a number >= 0');
  }
  const mf = p.maxFeatures;
  const mfOk =
    mf === 'sqrt' ||
    mf === 'log2' ||
    mf === 'all' ||
    (typeof mf === 'number' && mf > 0 && (mf < 1 || isInt(mf, 1)));
  if (!mfOk) throw bad('maxFeatures', mf, "'sqrt', 'log2', 'all', a share in (0, 1) or a count >= 1");
  if (typeof p.sampleShare !== 'number' || !(p.sampleShare > 0 && p.sampleShare <= 1)) {
    throw bad('sampleShare', p.sampleShare, 'a share in (0, 1]');
  }
  if (p.classWeight !== 'balanced' && p.classWeight !== 'none')
    throw bad('classWeight', p.classWeight, "'balanced' or 'none'");
  if (!isInt(p.maxBins, 3, 256)) throw bad('maxBins', p.maxBins, 'an integer from 3 to 256');
  if (!isInt(p.seed, 0, 2 ** 32 - 1)) throw bad('seed', p.seed, 'an integer from 0 to 2^32-1');
  if (!isInt(p.threads, 0, 1024)) throw bad('threads', p.threads, 'an integer >= 0 (0 = all cores)');
  return p;
}

/** Features tried per split. */
export function featuresPerSplit(maxFeatures: ForestParams['maxFeatures'], nFeatures: number): number {
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(nFeatures)));
  if (maxFeatures === 'all') return nFeatures;
  if (maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * nFeatures));
  if (maxFeatures > nFeatures) throw bad('maxFeatures', maxFeatures, `at most the ${nFeatures} features`);
  return maxFeatures;
}

export function checkMatrix(X: FeatureMatrix, what: string): void {
  if (X.columns.length !== X.names.length) {
    throw new InputError(`${what}: ${X.columns.length} columns but ${X.names.length} names`);
  }
  X.columns.forEach((c, f) => {
    if (c.length !== X.nRows)
      throw new InputError(`${what}: column "${X.names[f]}" has ${c.length} rows, expected ${X.nRows}`);
  });
}

function checkLabels(X: FeatureMatrix, y: Uint8Array): [number, number] {
  if (y.length !== X.nRows) throw new InputError(`forest training: ${y.length} labels for ${X.nRows} rows`);
  let n1 = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v > 1) throw new InputError(`forest training: label ${v} at row ${i}, expected 0 or 1`);
    n1 += v;
  }
  return [y.length - n1, n1];
}

/** Above this many codes the trees read the columns only (no row-major copy: memory, typed-array size). */
const ROW_MAJOR_MAX_BYTES = 2 ** 31;

/** Trains the forest. The model depends on the data and params, never on `threads`. */
export async function fitForest(
  X: FeatureMatrix,
  y: Uint8Array,
  params?: Partial<ForestParams>,
  hooks: FitHooks = {},
): Promise<ForestFit> {
  const started = performance.now();
  const p = resolveForestParams(params);
  checkMatrix(X, 'forest training');
  if (X.nRows < 2) throw new InputError(`forest training: ${X.nRows} rows, need at least 2`);
  if (X.columns.length === 0) throw new InputError('forest training: no feature columns');
  // The model file stores feature indices as Int16.
  if (X.columns.length > 32767)
    throw new InputError(`forest training: ${X.columns.length} features, at most 32767`);
  const [n0, n1] = checkLabels(X, y);
  const threads = threadsFor(p.threads, p.trees);
  const shared = threads > 1;
  const binned = binFeatures(X, p.maxBins, p.seed, shared);
  const labels = shared ? new Uint8Array(new SharedArrayBuffer(y.length)) : y;
  if (shared) labels.set(y);
  // 'balanced' as scikit-learn: n / (2 n_class), from the full training labels.
  const balanced = p.classWeight === 'balanced' && n0 > 0 && n1 > 0;
  const settings: GrowSettings = {
    minLeaf: p.minLeaf,
    maxDepth: p.maxDepth,
    minImpurityDecrease: p.minImpurityDecrease,
    mtry: featuresPerSplit(p.maxFeatures, X.columns.length),
    drawRows: Math.max(1, Math.round(p.sampleShare * X.nRows)),
    weight0: balanced ? X.nRows / (2 * n0) : 1,
    weight1: balanced ? X.nRows / (2 * n1) : 1,
    seed: p.seed,
  };
  const data = {
    nRows: X.nRows,
    codes: binned.codes,
    rowCodes:
      X.nRows * X.columns.length <= ROW_MAJOR_MAX_BYTES ? rowMajorCodes(binned.codes, X.nRows, shared) : null,
    valueBins: Int32Array.from(binned.edges, valueBins),
    edges: binned.edges,
    y: labels,
  };
  const run = await runTrees({ data, settings }, p.trees, threads, hooks.onProgress);
  const oobScores = new Float64Array(X.nRows);
  for (let i = 0; i < X.nRows; i++) {
    const c = run.oobCount[i]!;
    oobScores[i] = c > 0 ? run.oobSum[i]! / OOB_SCALE / c : Number.NaN;
  }
  const mean = new Float64Array(X.columns.length);
  let nodes = 0;
  for (const r of run.results) {
    nodes += r.tree.feature.length;
    let total = 0;
    for (const v of r.importance) total += v;
    if (total > 0) for (let f = 0; f < mean.length; f++) mean[f]! += r.importance[f]! / total;
  }
  let sum = 0;
  for (const v of mean) sum += v;
  const importances: Record<string, number> = {};
  X.names.forEach((name, f) => {
    importances[name] = sum > 0 ? mean[f]! / sum : 0;
  });
  const trained = trainedParams(p);
  return {
    model: { featureNames: [...X.names], params: trained, trees: run.results.map((r) => r.tree) },
    stats: { oobScores, importances, seconds: (performance.now() - started) / 1000, threads, nodes },
  };
}

/** Throws a ModelError unless X has the model's features, by name and in order. */
export function checkFeatureNames(expected: readonly string[], X: FeatureMatrix): void {
  const got = X.names;
  const missing = expected.filter((n) => !got.includes(n));
  const extra = got.filter((n) => !expected.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
    if (extra.length > 0) parts.push(`unexpected ${extra.join(', ')}`);
    throw new ModelError(`features do not match the model: ${parts.join('; ')}`);
  }
  const i = expected.findIndex((n, k) => got[k] !== n);
  if (i >= 0)
    throw new ModelError(
      `features do not match the model: column ${i} is "${got[i]}", the model expects "${expected[i]}"`,
    );
}

/** Packed once per model (the trees never change once grown or loaded). */
const packed = new WeakMap<ForestModel, PackedForest>();

function packedOf(model: ForestModel): PackedForest {
  let p = packed.get(model);
  if (!p) {
    p = packForest(model.trees);
    packed.set(model, p);
  }
  return p;
}

/** Class-1 probability per row: the mean over trees of the leaf's weighted class-1 share. */
export function predictForest(model: ForestModel, X: FeatureMatrix): Float64Array {
  checkFeatureNames(model.featureNames, X);
  checkMatrix(X, 'forest prediction');
  const out = new Float64Array(X.nRows);
  if (model.trees.length > 0) predictPacked(packedOf(model), X.columns, 0, X.nRows, out);
  return out;
}

/**
 * predictForest split by rows over worker threads (0 = all cores): the same probabilities bit for
 * bit, whatever the thread count. In-process for one thread or fewer than `minRows` rows.
 */
export async function predictForestParallel(
  model: ForestModel,
  X: FeatureMatrix,
  threads = 0,
  minRows = PARALLEL_PREDICT_MIN_ROWS,
): Promise<Float64Array> {
  if (!isInt(threads, 0, 1024)) throw bad('threads', threads, 'an integer >= 0 (0 = all cores)');
  const n = threadsFor(threads);
  if (n <= 1 || X.nRows < minRows || model.trees.length === 0) return predictForest(model, X);
  checkFeatureNames(model.featureNames, X);
  checkMatrix(X, 'forest prediction');
  return predictOnThreads(packedOf(model), X.columns, X.nRows, n);
}

export const FOREST_FORMAT = 'retain-forest';
export const FOREST_VERSION = 1;

export interface ForestJSON {
  format: typeof FOREST_FORMAT;
  version: typeof FOREST_VERSION;
  featureNames: string[];
  params: TrainedForestParams;
  trees: TreeJSON[];
}

export function forestToJSON(model: ForestModel): ForestJSON {
  return {
    format: FOREST_FORMAT,
    version: FOREST_VERSION,
    featureNames: [...model.featureNames],
    params: { ...model.params },
    trees: model.trees.map(treeToJSON),
  };
}

export function forestFromJSON(json: unknown): ForestModel {
  if (typeof json !== 'object' || json === null) throw new ModelError('forest model: not a JSON object');
  const j = json as Record<string, unknown>;
  if (j.format !== FOREST_FORMAT) {
    throw new ModelError(`forest model: format ${JSON.stringify(j.format)}, expected "${FOREST_FORMAT}"`);
  }
  if (j.version !== FOREST_VERSION) {
    throw new ModelError(
      `forest model: version ${JSON.stringify(j.version)} is not supported (this build reads ${FOREST_VERSION})`,
    );
  }
  const names = j.featureNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    throw new ModelError('forest model: featureNames must be a non-empty list of strings');
  }
  if (names.length > 32767)
    throw new ModelError(`forest model: ${names.length} features, at most 32767 fit the format`);
  if (!Array.isArray(j.trees) || j.trees.length === 0)
    throw new ModelError('forest model: trees must be a non-empty list');
  let params: ResolvedForestParams;
  try {
    params = resolveForestParams(j.params as Partial<ForestParams>);
  } catch (error) {
    throw new ModelError(`forest model: bad params: ${(error as Error).message}`, { cause: error });
  }
  const trained = trainedParams(params);
  const trees = j.trees.map((t, i) => treeFromJSON(t, names.length, i));
  return { featureNames: names as string[], params: trained, trees };
}
