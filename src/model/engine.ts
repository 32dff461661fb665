/** One interface over both forest implementations, so `--engine forest|ml-random-forest` picks one. */
import { assertUnreachable } from '../errors.js';
import {
  type FitHooks,
  type ForestModel,
  type ForestStats,
  fitForest,
  forestFromJSON,
  forestToJSON,
  predictForest,
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
  toJSON(model: M): unknown;
  fromJSON(json: unknown): M;
  /** Something the command should log before training (e.g. an expected long run), or undefined. */
  warning(rows: number, features: number, params?: Partial<ForestParams>): string | undefined;
}

export const forestEngine: ForestEngine<ForestModel> = {
  name: 'forest',
  fit: fitForest,
  predict: predictForest,
  toJSON: forestToJSON,
  fromJSON: forestFromJSON,
  warning: () => undefined,
};

export const mlRandomForestEngine: ForestEngine<MlForestModel> = {
  name: 'ml-random-forest',
  fit: fitMlForest,
  predict: predictMlForest,
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
