/** A model file made ready to use: its envelope checked and every part loaded by its own loader. */
import { ModelError } from '../errors.js';
import { type ModelFile, parseModel } from '../model/persist.js';
import type { FeatureMatrix } from '../model/types.js';
import { type SegmentModel, segmentModelFromJSON } from '../segment/index.js';
import { loadPredictor } from './engine.js';

export interface LoadedModel {
  readonly file: ModelFile;
  /** Churn probability per row; the same numbers whatever the thread count. */
  readonly predict: (X: FeatureMatrix) => Promise<Float64Array>;
  readonly segments: SegmentModel | null;
}

/**
 * Refuses a model of the other mode: a `--table` model cannot score billing files, nor a billing
 * model a wide table.
 */
export function requireMode(model: LoadedModel, mode: 'subscriber' | 'table', source: string): void {
  if (model.file.training.mode === mode) return;
  throw new ModelError(
    mode === 'subscriber'
      ? `${source} was trained with --table on a wide table; it cannot score billing files. ` +
          'Score its kind of table with --table FILE, or use a model trained on billing files.'
      : `${source} was trained on billing files; it cannot score a wide table. ` +
          'Score billing files without --table, or use a model trained with --table.',
  );
}

export function loadModel(text: string, source: string, threads = 0): LoadedModel {
  const file = parseModel(text, source);
  const wrap = <T>(part: string, load: () => T): T => {
    try {
      return load();
    } catch (err) {
      throw new ModelError(`${source}: ${part}: ${(err as Error).message}`, { cause: err });
    }
  };
  const predict = wrap('forest', () => loadPredictor(file.engine, file.forest, threads));
  const segments =
    file.segments === null || file.segments === undefined
      ? null
      : wrap('segments', () => segmentModelFromJSON(file.segments));
  if (file.training.mode === 'subscriber' && segments === null)
    throw new ModelError(`${source}: segments are missing`);
  return { file, predict, segments };
}
