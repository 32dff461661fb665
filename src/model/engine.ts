/** One interface over both forest implementations, so `--engine forest|ml-random-forest` picks one. */
import { assertUnreachable } from '../errors.js';
import type { TreeEnsemble } from './contributions.js';
import {
  type FitHooks,
  type ForestModel,
  type ForestStats,
  fitForest,
  forestFromJSON,
  forestToJSON,
  predictForest,
  predictForestParallel,
} from './forest.js';
import {
  fitMlForest,
  type MlForestModel,
  mlForestFromJSON,
  mlForestToJSON,
  mlTrainingWarning,
  predictMlForest,
} from './ml-engine.js';
import type { EngineName, FeatureMatrix, ForestParams } from './types.js';

export interface ForestEngine<M = unknown> {
  readonly name: EngineName;
  fit(
    X: FeatureMatrix,
    y: Uint8Array,
    params?: Partial<ForestParams>,
    hooks?: FitHooks,
  ): Promise<{ model: M; stats: ForestStats }>;
  /** Class-1 probability per row. */
  predict(model: M, X: FeatureMatrix): Float64Array;
  /**
   * The same probabilities as predict, bit for bit, using up to `threads` worker threads (0 = all
   * cores) where the engine can; worth it on large scored months.
   */
  predictAsync(model: M, X: FeatureMatrix, threads?: number): Promise<Float64Array>;
  toJSON(model: M): unknown;
  fromJSON(json: unknown): M;
  /** Something the command should log before training (e.g. an expected long run), or undefined. */
  warning(rows: number, features: number, params?: Partial<ForestParams>): string | undefined;
  /** The model as flat trees, for per-prediction contributions; absent when its trees are not flat. */
  ensemble?(model: M): TreeEnsemble;
}

export const forestEngine: ForestEngine<ForestModel> = {
  name: 'forest',
  fit: fitForest,
  predict: predictForest,
  predictAsync: (model, X, threads) => predictForestParallel(model, X, threads),
  toJSON: forestToJSON,
  fromJSON: forestFromJSON,
  warning: () => undefined,
  // The probability is the mean of the trees' leaf values.
  ensemble: (model) => ({ trees: model.trees, scale: 1 / model.trees.length, base: 0 }),
};

export const mlRandomForestEngine: ForestEngine<MlForestModel> = {
  name: 'ml-random-forest',
  fit: fitMlForest,
  predict: predictMlForest,
  // ml-random-forest predicts in-process only.
  predictAsync: async (model, X) => predictMlForest(model, X),
  toJSON: mlForestToJSON,
  fromJSON: mlForestFromJSON,
  warning: (rows, features, params) => mlTrainingWarning(rows, features, params?.trees ?? 100),
};

export function getEngine(name: EngineName): ForestEngine {
  switch (name) {
    case 'forest':
      return forestEngine as ForestEngine;
    case 'ml-random-forest':
      return mlRandomForestEngine as ForestEngine;
    default:
      return assertUnreachable(name);
  }
}
