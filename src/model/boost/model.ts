/**
 * A boosted model: base score plus trees in the shared flat format. Prediction walks the packed trees
 * (the forest's walk, summing instead of averaging) and turns the raw score into a probability; the
 * JSON form is tagged and versioned like the forest's.
 */
import { ModelError, UsageError } from '../../errors.js';
import { threadsFor } from '../../workers.js';
import { checkFeatureNames, checkMatrix } from '../forest.js';
import type { FlatTree } from '../grow.js';
import { PARALLEL_PREDICT_MIN_ROWS, predictOnThreads } from '../threads.js';
import {
  type PackedForest,
  packForest,
  predictPacked,
  type TreeJSON,
  treeFromJSON,
  treeToJSON,
} from '../tree.js';
import { type BoostParams, DEFAULT_BOOST_PARAMS, type FeatureMatrix, trainedParams } from '../types.js';
import { resolveBoostParams, type TrainedBoostParams } from './params.js';

export interface BoostModel {
  readonly featureNames: readonly string[];
  readonly params: TrainedBoostParams;
  /** Log-odds of the training churn rate; every tree adds to it. */
  readonly baseScore: number;
  /** Leaf values are steps of the raw score (learning rate applied). */
  readonly trees: readonly FlatTree[];
}

const packed = new WeakMap<BoostModel, PackedForest>();

function packedOf(model: BoostModel): PackedForest {
  let p = packed.get(model);
  if (!p) {
    p = packForest(model.trees, { kind: 'sum', bias: model.baseScore });
    packed.set(model, p);
  }
  return p;
}

/** Churn probabilities from raw scores, in place: the sigmoid. */
export function toProbabilities(raw: Float64Array): Float64Array {
  for (let i = 0; i < raw.length; i++) raw[i] = 1 / (1 + Math.exp(-raw[i]!));
  return raw;
}

/** Raw score (log-odds) per row: base score plus the trees' leaf values, added in tree order. */
export function predictBoostRaw(model: BoostModel, X: FeatureMatrix): Float64Array {
  checkFeatureNames(model.featureNames, X);
  checkMatrix(X, 'boost prediction');
  const out = new Float64Array(X.nRows);
  predictPacked(packedOf(model), X.columns, 0, X.nRows, out);
  return out;
}

/** Churn probability per row: the sigmoid of the raw score. */
export function predictBoost(model: BoostModel, X: FeatureMatrix): Float64Array {
  return toProbabilities(predictBoostRaw(model, X));
}

/** predictBoost split by rows over worker threads (0 = all cores): the same numbers bit for bit. */
export async function predictBoostParallel(
  model: BoostModel,
  X: FeatureMatrix,
  threads = 0,
  minRows = PARALLEL_PREDICT_MIN_ROWS,
): Promise<Float64Array> {
  if (!Number.isInteger(threads) || threads < 0 || threads > 1024)
    throw new UsageError(`boost prediction threads: ${JSON.stringify(threads)} is not an integer >= 0`);
  const n = threadsFor(threads);
  if (n <= 1 || X.nRows < minRows) return predictBoost(model, X);
  checkFeatureNames(model.featureNames, X);
  checkMatrix(X, 'boost prediction');
  return toProbabilities(await predictOnThreads(packedOf(model), X.columns, X.nRows, n));
}

export const BOOST_FORMAT = 'retain-boost';
export const BOOST_VERSION = 1;

export interface BoostJSON {
  format: typeof BOOST_FORMAT;
  version: typeof BOOST_VERSION;
  featureNames: string[];
  params: TrainedBoostParams;
  baseScore: number;
  trees: TreeJSON[];
}

export function boostToJSON(model: BoostModel): BoostJSON {
  return {
    format: BOOST_FORMAT,
    version: BOOST_VERSION,
    featureNames: [...model.featureNames],
    params: { ...model.params },
    baseScore: model.baseScore,
    trees: model.trees.map(treeToJSON),
  };
}

export function boostFromJSON(json: unknown): BoostModel {
  if (typeof json !== 'object' || json === null) throw new ModelError('boost model: not a JSON object');
  const j = json as Record<string, unknown>;
  if (j.format !== BOOST_FORMAT)
    throw new ModelError(`boost model: format ${JSON.stringify(j.format)}, expected "${BOOST_FORMAT}"`);
  if (j.version !== BOOST_VERSION) {
    throw new ModelError(
      `boost model: version ${JSON.stringify(j.version)} is not supported (this build reads ${BOOST_VERSION})`,
    );
  }
  const names = j.featureNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string'))
    throw new ModelError('boost model: featureNames must be a non-empty list of strings');
  if (names.length > 32767)
    throw new ModelError(`boost model: ${names.length} features, at most 32767 fit the format`);
  if (typeof j.baseScore !== 'number' || !Number.isFinite(j.baseScore))
    throw new ModelError(`boost model: baseScore ${JSON.stringify(j.baseScore)} is not a finite number`);
  if (!Array.isArray(j.trees) || j.trees.length === 0)
    throw new ModelError('boost model: trees must be a non-empty list');
  if (
    j.params !== undefined &&
    (typeof j.params !== 'object' || j.params === null || Array.isArray(j.params))
  )
    throw new ModelError(`boost model: params ${JSON.stringify(j.params)} is not an object`);
  let params: TrainedBoostParams;
  try {
    // A model written before lambdaScaling was a parameter was trained with lambda fixed, and one
    // written before sampling by gradient was fitted on every row. A parameter this build does not
    // know comes from a later one: the trees alone predict, so it is left out.
    const written = Object.entries(j.params ?? {}).filter(([k]) => k in DEFAULT_BOOST_PARAMS);
    const before = { lambdaScaling: 'fixed', topGradientShare: 1, otherGradientShare: 0 };
    const stated = { ...before, ...Object.fromEntries(written) } as Partial<BoostParams>;
    params = trainedParams(resolveBoostParams(stated));
  } catch (error) {
    throw new ModelError(`boost model: bad params: ${(error as Error).message}`, { cause: error });
  }
  const trees = j.trees.map((t, i) => treeFromJSON(t, names.length, i));
  return { featureNames: names as string[], params, baseScore: j.baseScore, trees };
}
