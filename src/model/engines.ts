/** One interface over the tree engines, so `--engine forest|boost|ml-random-forest` picks one. */
import { assertUnreachable } from '../errors.js';
import { fitBoost } from './boost/fit.js';
import {
  type BoostModel,
  boostFromJSON,
  boostToJSON,
  predictBoost,
  predictBoostParallel,
  toProbabilities,
} from './boost/model.js';
import type { TreeEnsemble } from './contributions.js';
import {
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
import type { BoostParams, EngineName, FeatureMatrix, FitOptions, ForestParams } from './types.js';

/** What every engine reports about a fit; boosting adds its rounds. */
export interface EngineStats extends Omit<ForestStats, 'nodes'> {
  /** Boosting: trees kept (the best validation round) and rounds grown. */
  readonly rounds?: number;
  readonly grown?: number;
}

export interface ForestEngine<M = unknown, P = unknown> {
  readonly name: EngineName;
  fit(
    X: FeatureMatrix,
    y: Uint8Array,
    params?: Partial<P>,
    options?: FitOptions,
  ): Promise<{ model: M; stats: EngineStats }>;
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
  warning(rows: number, features: number, params?: Partial<P>): string | undefined;
  /** The model as flat trees, for per-prediction contributions; absent when its trees are not flat. */
  ensemble?(model: M): TreeEnsemble;
}

export const forestEngine: ForestEngine<ForestModel, ForestParams> = {
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

export const mlRandomForestEngine: ForestEngine<MlForestModel, ForestParams> = {
  name: 'ml-random-forest',
  fit: fitMlForest,
  predict: predictMlForest,
  // ml-random-forest predicts in-process only.
  predictAsync: async (model, X) => predictMlForest(model, X),
  toJSON: mlForestToJSON,
  fromJSON: mlForestFromJSON,
  warning: (rows, features, params) => mlTrainingWarning(rows, features, params?.trees ?? 100),
};

export const boostEngine: ForestEngine<BoostModel, BoostParams> = {
  name: 'boost',
  fit: fitBoost,
  predict: predictBoost,
  predictAsync: (model, X, threads) => predictBoostParallel(model, X, threads),
  toJSON: boostToJSON,
  fromJSON: boostFromJSON,
  warning: () => undefined,
  // Contributions to the raw score (log-odds): the base score plus every tree's leaf value.
  ensemble: (model) => ({ trees: model.trees, scale: 1, base: model.baseScore, toScores: toProbabilities }),
};

/** Parameters of the engine `name`: the boosting ones for boost, the forest ones otherwise. */
export type ParamsOf<E extends EngineName> = E extends 'boost' ? BoostParams : ForestParams;

export function getEngine(name: EngineName): ForestEngine {
  switch (name) {
    case 'forest':
      return forestEngine as ForestEngine;
    case 'ml-random-forest':
      return mlRandomForestEngine as ForestEngine;
    case 'boost':
      return boostEngine as ForestEngine;
    default:
      return assertUnreachable(name);
  }
}
