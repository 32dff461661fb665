/**
 * What both training modes share: the training settings, fitting the engine(s) on the validation split
 * with the seed applied (under `auto`, both forest and boost, keeping the better validation
 * log-loss), the final refit on every row, the engine's warning given before any long step, and
 * ranking features.
 */
import { takeColumn, takeMatrix } from '../frame.js';
import { type ModelMetrics, modelMetrics } from '../model/metrics.js';
import type { EngineSelection } from '../model/persist.js';
import {
  type BoostParams,
  DEFAULT_BOOST_PARAMS,
  type EngineChoice,
  type EngineName,
  type FeatureMatrix,
  type ForestParams,
} from '../model/types.js';
import {
  type EngineFit,
  type EngineParams,
  engineWarning,
  fitWithEngine,
  type Phase,
} from './engine-model.js';

export interface TrainingSettings {
  readonly engine: EngineChoice;
  /** Engine parameters; the seed is not among them: `seed` below is the training's one seed. */
  readonly forest: Partial<Omit<ForestParams, 'seed'>>;
  readonly boost?: Partial<Omit<BoostParams, 'seed'>>;
  /** Seeds everything random in the training: segments, the validation split and the engines. */
  readonly seed: number;
  /** ISO time stamp written into the model (injected: the clock is the caller's). */
  readonly trainedAt: string;
  readonly command: string;
  readonly packageVersion: string;
  readonly onProgress?: (phase: Phase, done: number, total: number) => void;
  /** Something to tell the user before a long step (e.g. the reference engine on large data). */
  readonly onNotice?: (message: string) => void;
  /** Told as each phase starts (the caller times them; a phase ends where the next one starts). */
  readonly onPhase?: (phase: TrainingPhase) => void;
}

/** Phases of a training, in the order they run. */
export type TrainingPhase = 'features' | 'encode' | 'segments' | 'validate' | 'fit' | 'calibrate';

export interface RankedFeature {
  readonly name: string;
  readonly importance: number;
}

/** One engine measured on the validation rows. */
export interface EngineTrial {
  readonly engine: EngineName;
  readonly metrics: ModelMetrics;
  /** Boosting: the best validation round. */
  readonly rounds?: number;
  readonly seconds: number;
}

export interface ValidatedFit {
  /** The engine of the final model. */
  readonly engine: EngineName;
  /** The final model, refitted on every row. */
  readonly fit: EngineFit;
  /** One trial per engine fitted on the validation split (two under `auto`); empty without a split. */
  readonly trials: readonly EngineTrial[];
  /** The kept engine's validation metrics and scores (null without a split). */
  readonly validation: ModelMetrics | null;
  readonly validationScores: Float64Array | null;
  /** What the calibrator is fitted and measured on: the kept validation fit's rows (null without a split). */
  readonly held: HeldOut | null;
  /** The final model's out-of-bag metrics (null when the engine has none). */
  readonly outOfBag: ModelMetrics | null;
}

export interface HeldOut {
  /** The validation model's out-of-bag scores on its own training rows (NaN where none). */
  readonly oob: Float64Array;
  readonly yTrain: Uint8Array;
  /** Its predictions on the hold-out, and the hold-out's labels. */
  readonly scores: Float64Array;
  readonly y: Uint8Array;
}

/** Rows to validate on: the model is fitted on `train` and measured on `test`. */
export interface ValidationSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** The engine `auto` keeps when there is no validation split to compare on. */
export const AUTO_WITHOUT_VALIDATION: EngineName = 'boost';

const paramsOf = (run: TrainingSettings): EngineParams => ({
  forest: { ...run.forest, seed: run.seed },
  boost: { ...run.boost, seed: run.seed },
});

export function enginesOf(choice: EngineChoice): EngineName[] {
  return choice === 'auto' ? ['forest', 'boost'] : [choice];
}

/** Tells the user, before training starts, what the engine(s) expect of data this size. */
export function noticeEngine(run: TrainingSettings, X: FeatureMatrix): void {
  for (const name of enginesOf(run.engine)) {
    const warning = engineWarning(name, X.nRows, X.columns.length, paramsOf(run));
    if (warning) run.onNotice?.(warning);
  }
}

function fitPhase(
  run: TrainingSettings,
  name: EngineName,
  phase: Phase,
  X: FeatureMatrix,
  y: Uint8Array,
  params: EngineParams,
  validation?: { X: FeatureMatrix; y: Uint8Array },
): Promise<EngineFit> {
  return fitWithEngine(name, X, y, params, (done, total) => run.onProgress?.(phase, done, total), validation);
}

/**
 * Boosting rounds for the refit on every row: the best validation round, scaled by how many more rows
 * the refit sees (more rows support more rounds before they overfit).
 */
export function refitRounds(rounds: number, validationTrainRows: number, allRows: number): number {
  return Math.max(1, Math.round((rounds * allRows) / validationTrainRows));
}

/**
 * Fits each engine of `run.engine` on split.train, measured on split.test (boosting stops early on
 * those rows), keeps the one with the lower validation log-loss (ties: the first of forest, boost),
 * and refits it on every row. Without a split (or with one class in the training part) nothing is
 * measured and `auto` means AUTO_WITHOUT_VALIDATION.
 */
export async function fitValidated(
  run: TrainingSettings,
  X: FeatureMatrix,
  y: Uint8Array,
  split: ValidationSplit | null,
): Promise<ValidatedFit> {
  const params = paramsOf(run);
  const trials: EngineTrial[] = [];
  let validationScores: Float64Array | null = null;
  let held: HeldOut | null = null;
  let chosen: EngineName = run.engine === 'auto' ? AUTO_WITHOUT_VALIDATION : run.engine;
  let rounds: number | undefined;
  const yTrain = split ? takeColumn(y, split.train) : new Uint8Array(0);
  if (split && yTrain.includes(0) && yTrain.includes(1) && split.test.length > 0) {
    run.onPhase?.('validate');
    const XTrain = takeMatrix(X, split.train);
    const valid = { X: takeMatrix(X, split.test), y: takeColumn(y, split.test) };
    let bestLoss = Number.POSITIVE_INFINITY;
    for (const name of enginesOf(run.engine)) {
      const fit = await fitPhase(run, name, 'validate', XTrain, yTrain, params, valid);
      const scores = fit.predict(valid.X);
      const metrics = modelMetrics(scores, valid.y);
      trials.push({
        engine: name,
        metrics,
        ...(fit.rounds === undefined ? {} : { rounds: fit.rounds }),
        seconds: fit.seconds,
      });
      if (metrics.logLoss < bestLoss || trials.length === 1) {
        bestLoss = metrics.logLoss;
        chosen = name;
        rounds = fit.rounds;
        validationScores = scores;
        held = { oob: fit.oobScores, yTrain, scores, y: valid.y };
      }
    }
  }
  const finalParams =
    chosen === 'boost' && rounds !== undefined
      ? {
          ...params,
          boost: {
            ...params.boost,
            trees: Math.min(
              refitRounds(rounds, split!.train.length, X.nRows),
              params.boost.trees ?? DEFAULT_BOOST_PARAMS.trees,
            ),
            earlyStopping: 0,
          },
        }
      : params;
  run.onPhase?.('fit');
  const fit = await fitPhase(run, chosen, 'fit', X, y, finalParams);
  const outOfBag = fit.oobScores.some((v) => !Number.isNaN(v)) ? modelMetrics(fit.oobScores, y) : null;
  const kept = trials.find((t) => t.engine === chosen);
  return {
    engine: chosen,
    fit,
    trials,
    validation: kept?.metrics ?? null,
    validationScores,
    held,
    outOfBag,
  };
}

/** What the model file records of the choice (no timings: equal models must give equal files). */
export function engineSelection(run: TrainingSettings, v: ValidatedFit): EngineSelection {
  return {
    requested: run.engine,
    chosen: v.engine,
    trials: v.trials.map((t) => ({
      engine: t.engine,
      logLoss: t.metrics.logLoss,
      auc: t.metrics.auc,
      topDecileLift: t.metrics.topDecileLift,
      brier: t.metrics.brier,
      ...(t.rounds === undefined ? {} : { rounds: t.rounds }),
    })),
  };
}

/** Features by importance, highest first, ties by name. */
export function rankByImportance(importances: Readonly<Record<string, number>>): RankedFeature[] {
  return Object.entries(importances)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, importance]) => ({ name, importance }));
}
