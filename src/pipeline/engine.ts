/** One face for both forest engines, so training and scoring do not care which one built the model. */
import { assertUnreachable } from '../errors.js';
import { fitForest, forestFromJSON, forestToJSON, predictForest } from '../model/forest.js';
import type { EngineName, FeatureMatrix, ForestParams, OnProgress } from '../model/types.js';

export type Phase = 'validate' | 'fit';

export interface EngineFit {
  readonly predict: (X: FeatureMatrix) => Float64Array;
  readonly json: unknown;
  readonly params: Readonly<Record<string, unknown>>;
  readonly importances: Record<string, number>;
  /** Out-of-bag scores per training row (NaN where never out of bag); null when the engine has none. */
  readonly oobScores: Float64Array | null;
}

export async function fitWithEngine(
  engine: EngineName,
  X: FeatureMatrix,
  y: Uint8Array,
  params: Partial<ForestParams>,
  onProgress?: OnProgress,
): Promise<EngineFit> {
  switch (engine) {
    case 'forest': {
      const { model, stats } = await fitForest(X, y, params, onProgress ? { onProgress } : {});
      return {
        predict: (Z) => predictForest(model, Z),
        json: forestToJSON(model),
        params: model.params,
        importances: stats.importances,
        oobScores: stats.oobScores,
      };
    }
    case 'ml-random-forest':
      throw new Error('ml-random-forest engine not wired yet');
    default:
      return assertUnreachable(engine);
  }
}

/** A predictor from a model file's forest JSON. */
export function loadPredictor(engine: EngineName, json: unknown): (X: FeatureMatrix) => Float64Array {
  switch (engine) {
    case 'forest': {
      const model = forestFromJSON(json);
      return (X) => predictForest(model, X);
    }
    case 'ml-random-forest':
      throw new Error('ml-random-forest engine not wired yet');
    default:
      return assertUnreachable(engine);
  }
}
