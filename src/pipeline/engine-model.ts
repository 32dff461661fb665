/**
 * An engine's model as the pipeline sees it: fitted (training) or loaded from a model file (scoring),
 * so neither cares which engine built it.
 */
import { startBoostRefit } from '../model/boost/refit.js';
import type { TreeEnsemble } from '../model/contributions.js';
import { type EngineStats, getEngine } from '../model/engines.js';
import type {
  BoostParams,
  EngineName,
  FeatureMatrix,
  FitOptions,
  ForestParams,
  OnProgress,
} from '../model/types.js';

export type Phase = 'validate' | 'fit';

/** Parameters per engine family; each engine reads its own. */
export interface EngineParams {
  readonly forest: Partial<ForestParams>;
  readonly boost: Partial<BoostParams>;
}

export interface EngineFit {
  readonly predict: (X: FeatureMatrix) => Float64Array;
  readonly json: unknown;
  readonly params: Readonly<Record<string, unknown>>;
  readonly importances: Record<string, number>;
  /** Out-of-bag scores per training row (NaN where never out of bag, and for boosting). */
  readonly oobScores: Float64Array;
  /** The model's flat trees, for contributions; null when the engine has none. */
  readonly ensemble: TreeEnsemble | null;
  /** Boosting: trees kept (the best validation round when a validation set was given). */
  readonly rounds?: number;
  readonly seconds: number;
}

export function paramsFor(name: EngineName, params: EngineParams): Readonly<Record<string, unknown>> {
  return name === 'boost' ? params.boost : params.forest;
}

export async function fitWithEngine(
  name: EngineName,
  X: FeatureMatrix,
  y: Uint8Array,
  params: EngineParams,
  options: FitOptions = {},
): Promise<EngineFit> {
  const given = paramsFor(name, params);
  const { model, stats } = await getEngine(name).fit(X, y, given, options);
  return engineFit(name, model, stats, given);
}

function engineFit(
  name: EngineName,
  model: unknown,
  stats: EngineStats,
  given: Readonly<Record<string, unknown>>,
): EngineFit {
  const engine = getEngine(name);
  const json = engine.toJSON(model);
  return {
    predict: (Z) => engine.predict(model, Z),
    json,
    params: (json as { params?: Record<string, unknown> }).params ?? { ...given },
    importances: stats.importances,
    oobScores: stats.oobScores,
    ensemble: engine.ensemble?.(model) ?? null,
    ...(stats.rounds === undefined ? {} : { rounds: stats.rounds }),
    seconds: stats.seconds,
  };
}

/** Boosting's refit on every row, started before the validation fit decides its rounds (boost/refit.ts). */
export interface EngineRefit {
  allow(rounds: number): void;
  keep(rounds: number): void;
  readonly fitted: Promise<EngineFit>;
  stop(): Promise<void>;
}

export function startEngineRefit(
  X: FeatureMatrix,
  y: Uint8Array,
  boost: Partial<BoostParams>,
  onProgress?: OnProgress,
): EngineRefit {
  const refit = startBoostRefit(X, y, boost, onProgress);
  const fitted = refit.fitted.then(({ model, stats }) => engineFit('boost', model, stats, boost));
  // A refit abandoned (the validation fit failed) is stopped without anyone awaiting it.
  fitted.catch(() => {});
  return { allow: refit.allow, keep: refit.keep, fitted, stop: refit.stop };
}

/** What to tell the user before training, e.g. that the reference engine will take long on this data. */
export function engineWarning(name: EngineName, rows: number, features: number, params: EngineParams) {
  return getEngine(name).warning(rows, features, paramsFor(name, params));
}

/** A predictor from a model file's engine JSON; large inputs are split across `threads` (0 = all cores). */
export function loadPredictor(
  name: EngineName,
  json: unknown,
  threads = 0,
): (X: FeatureMatrix) => Promise<Float64Array> {
  return loadEngineModel(name, json, threads).predict;
}

/** The predictor and, when the engine has flat trees, the trees for contributions. */
export function loadEngineModel(
  name: EngineName,
  json: unknown,
  threads = 0,
): { predict: (X: FeatureMatrix) => Promise<Float64Array>; ensemble: TreeEnsemble | null } {
  const engine = getEngine(name);
  const model = engine.fromJSON(json);
  return {
    predict: (X) => engine.predictAsync(model, X, threads),
    ensemble: engine.ensemble?.(model) ?? null,
  };
}
