/** Training and scoring through either forest engine, so neither cares which one built the model. */
import type { TreeEnsemble } from '../model/contributions.js';
import { getEngine } from '../model/engine.js';
import type { EngineName, FeatureMatrix, ForestParams, OnProgress } from '../model/types.js';

export type Phase = 'validate' | 'fit';

export interface EngineFit {
  readonly predict: (X: FeatureMatrix) => Float64Array;
  readonly json: unknown;
  readonly params: Readonly<Record<string, unknown>>;
  readonly importances: Record<string, number>;
  /** Out-of-bag scores per training row (NaN where never out of bag). */
  readonly oobScores: Float64Array;
  /** The model's flat trees, for contributions; null when the engine has none. */
  readonly ensemble: TreeEnsemble | null;
}

export async function fitWithEngine(
  name: EngineName,
  X: FeatureMatrix,
  y: Uint8Array,
  params: Partial<ForestParams>,
  onProgress?: OnProgress,
): Promise<EngineFit> {
  const engine = getEngine(name);
  const { model, stats } = await engine.fit(X, y, params, onProgress ? { onProgress } : {});
  const json = engine.toJSON(model);
  return {
    predict: (Z) => engine.predict(model, Z),
    json,
    params: (json as { params?: Record<string, unknown> }).params ?? { ...params },
    importances: stats.importances,
    oobScores: stats.oobScores,
    ensemble: engine.ensemble?.(model) ?? null,
  };
}

/** What to tell the user before training, e.g. that the reference engine will take long on this data. */
export function engineWarning(
  name: EngineName,
  rows: number,
  features: number,
  params: Partial<ForestParams>,
) {
  return getEngine(name).warning(rows, features, params);
}

/** A predictor from a model file's forest JSON; large inputs are split across `threads` (0 = all cores). */
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
