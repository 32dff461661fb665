/** A model file made ready to use: its envelope checked and every part loaded by its own loader. */
import { ModelError } from '../errors.js';
import { type Calibrator, calibratorFromJSON } from '../model/calibrate.js';
import { type Explainer, makeExplainer, nodeCoversFromJSON } from '../model/contributions.js';
import { topDriversParallel } from '../model/contributions-threads.js';
import { type DriftReference, driftReferenceFromJSON } from '../model/drift.js';
import type { Drivers, FeatureGroups } from '../model/drivers.js';
import { checkFeatureNames, checkMatrix } from '../model/forest.js';
import { type ModelFile, parseModel } from '../model/persist.js';
import type { FeatureMatrix } from '../model/types.js';
import { type SegmentModel, segmentModelFromJSON } from '../segment/index.js';
import { loadEngineModel } from './engine-model.js';

/** Rows scored and explained together (LoadedModel.predictExplained). */
export interface ExplainedScores {
  /** predict's scores, bit for bit. */
  readonly scores: Float64Array;
  /** Each row's top drivers; null when the model has no explainer. */
  readonly drivers: Drivers | null;
}

export interface LoadedModel {
  readonly file: ModelFile;
  /** The engine's churn score per row, before calibration; the same numbers whatever the thread count. */
  readonly predict: (X: FeatureMatrix) => Promise<Float64Array>;
  /**
   * predict's scores and each row's k top driver groups from one walk of the trees (the walk that
   * explains a row reaches its leaves); predict alone when the model has no explainer.
   */
  readonly predictExplained: (X: FeatureMatrix, k: number, groups: FeatureGroups) => Promise<ExplainedScores>;
  /** Maps predict's scores to calibrated probabilities (the identity for a model without one). */
  readonly calibrator: Calibrator;
  /** Per-prediction contributions; null when the model has no node covers or no flat trees. */
  readonly explainer: Explainer | null;
  readonly segments: SegmentModel | null;
  /** Training distributions to measure drift against; null for a model trained before they were stored. */
  readonly drift: DriftReference | null;
  /** Worker threads for prediction and contributions (0 = all cores). */
  readonly threads: number;
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
  const { predict, ensemble } = wrap('forest', () => loadEngineModel(file.engine, file.forest, threads));
  const calibrator = wrap('calibration', () => calibratorFromJSON(file.calibration));
  const covers = file.explanation ?? null;
  const explainer =
    ensemble === null || covers === null
      ? null
      : wrap('explanation', () =>
          makeExplainer(
            ensemble,
            nodeCoversFromJSON(covers, ensemble.trees),
            file.featureSchema.features.length,
          ),
        );
  const names = file.featureSchema.features.map((f) => f.name);
  const predictExplained = async (X: FeatureMatrix, k: number, groups: FeatureGroups) => {
    if (explainer === null || ensemble === null) return { scores: await predict(X), drivers: null };
    checkFeatureNames(names, X);
    checkMatrix(X, 'prediction');
    const drivers = await topDriversParallel(explainer, X, k, groups, threads);
    const scores = Float64Array.from(drivers.output);
    return { scores: ensemble.toScores ? ensemble.toScores(scores) : scores, drivers };
  };
  const segments =
    file.segments === null || file.segments === undefined
      ? null
      : wrap('segments', () => segmentModelFromJSON(file.segments));
  if (file.training.mode === 'subscriber' && segments === null)
    throw new ModelError(`${source}: segments are missing`);
  const drift = wrap('drift', () =>
    driftReferenceFromJSON(
      file.drift,
      file.featureSchema.features.map((f) => f.name),
    ),
  );
  return { file, predict, predictExplained, calibrator, explainer, segments, drift, threads };
}
