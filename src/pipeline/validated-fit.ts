/**
 * What both training modes share: the training settings, measuring the engine(s) on the validation split
 * with the seed applied (under `auto`, both forest and boost, keeping the better calibrated
 * validation log-loss), the final model on every row, the engine's warning given before any long
 * step, and ranking features.
 */

import { takeColumn, takeMatrix } from '../frame.js';
import { crossCalibrate } from '../model/calibration-choice.js';
import { type ModelMetrics, modelMetrics } from '../model/metrics.js';
import type { EngineSelection } from '../model/persist.js';
import type {
  BoostParams,
  EngineChoice,
  EngineName,
  FeatureMatrix,
  FitOptions,
  ForestParams,
} from '../model/types.js';
import { planBoostRefit } from './boost-refit.js';
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

/**
 * Phases of a training, in the order they are told (billing mode starts with `features`, table mode
 * with `encode`; train-finish.ts tells the four after the fit).
 */
export type TrainingPhase =
  | 'features'
  | 'encode'
  | 'validate'
  | 'fit'
  | 'calibrate'
  | 'drift'
  | 'segments'
  | 'explain';

export interface RankedFeature {
  readonly name: string;
  readonly importance: number;
}

/** One engine measured on the validation rows. */
export interface EngineTrial {
  readonly engine: EngineName;
  readonly metrics: ModelMetrics;
  /** Log-loss on the validation rows after calibration (what `auto` compares engines on). */
  readonly calibratedLogLoss: number;
  /** Boosting: the best validation round. */
  readonly rounds?: number;
  readonly seconds: number;
}

export interface ValidatedFit {
  /** The engine of the final model. */
  readonly engine: EngineName;
  /** The final model, refitted on every row. */
  readonly fit: EngineFit;
  /** One trial per engine measured on the validation split (two under `auto`); empty without a split. */
  readonly trials: readonly EngineTrial[];
  /**
   * The kept engine's validation metrics and scores (null without a split); a forest measured out of
   * bag is scored on the validation rows that have an out-of-bag score.
   */
  readonly validation: ModelMetrics | null;
  readonly validationScores: Float64Array | null;
  /** What the calibrator is fitted and measured on: the kept engine's validation rows (null without a split). */
  readonly held: HeldOut | null;
  /** The final model's out-of-bag metrics (null when the engine has none). */
  readonly outOfBag: ModelMetrics | null;
}

export interface HeldOut {
  /**
   * Out-of-bag scores on the validation model's training rows (NaN where none); for a forest measured
   * out of bag, the final forest's on split.train.
   */
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
  options: Omit<FitOptions, 'onProgress'> = {},
): Promise<EngineFit> {
  const onProgress = (done: number, total: number) => run.onProgress?.(phase, done, total);
  return fitWithEngine(name, X, y, params, { ...options, onProgress });
}

/** Log-loss of scores after calibration, each row calibrated by a calibrator that did not see it. */
export function calibratedLogLoss(scores: Float64Array, y: Uint8Array): number {
  return modelMetrics(crossCalibrate(scores, y).calibrated, y).logLoss;
}

/**
 * The validation rows that have an out-of-bag score, and their scores; null when fewer than half do
 * (a forest of a few trees), and the engine must be measured otherwise.
 */
function outOfBagOf(fit: EngineFit, rows: Int32Array): { rows: Int32Array; scores: Float64Array } | null {
  const scored = rows.filter((r) => !Number.isNaN(fit.oobScores[r]!));
  if (scored.length === 0 || scored.length < rows.length / 2) return null;
  return { rows: scored, scores: takeColumn(fit.oobScores, scored) };
}

/**
 * Fits each engine of `run.engine` and measures it on split.test, then keeps the one with the lower
 * calibrated log-loss there (the model's probabilities are calibrated before use, so an engine is
 * not judged on a miscalibration the calibrator removes; ties: the first of forest, boost).
 * - boosting is fitted on split.train, stopping early on split.test, then refitted on every row;
 * - an engine with out-of-bag scores (the forest) is fitted once, on every row, and measured by the
 *   out-of-bag scores of split.test (the rows that have one, when at least half do): each row scored
 *   by the trees that did not see it, an honest estimate without a second forest. An engine without
 *   them is also fitted on split.train to be measured.
 * Without a split (or with one class in the training part) nothing is measured and `auto` means
 * AUTO_WITHOUT_VALIDATION.
 */
export async function fitValidated(
  run: TrainingSettings,
  X: FeatureMatrix,
  y: Uint8Array,
  split: ValidationSplit | null,
): Promise<ValidatedFit> {
  const params = paramsOf(run);
  const yTrain = split ? takeColumn(y, split.train) : new Uint8Array(0);
  const measured = split !== null && yTrain.includes(0) && yTrain.includes(1) && split.test.length > 0;
  if (!measured) {
    const chosen: EngineName = run.engine === 'auto' ? AUTO_WITHOUT_VALIDATION : run.engine;
    run.onPhase?.('fit');
    const fit = await fitPhase(run, chosen, 'fit', X, y, params);
    return {
      engine: chosen,
      fit,
      trials: [],
      validation: null,
      validationScores: null,
      held: null,
      outOfBag: outOfBagMetrics(fit, y),
    };
  }
  const valid = { X: takeMatrix(X, split.test), y: takeColumn(y, split.test) };
  let XTrain: FeatureMatrix | null = null;
  const trainRows = () => {
    XTrain ??= takeMatrix(X, split.train);
    return XTrain;
  };
  let told: TrainingPhase | null = null;
  const phase = (name: TrainingPhase) => {
    if (name !== told) run.onPhase?.(name);
    told = name;
  };
  interface Candidate {
    trial: EngineTrial;
    held: HeldOut;
    /** The model on every row, when fitting it was how the engine was measured. */
    final: EngineFit | null;
  }
  const candidates: Candidate[] = [];
  const names = enginesOf(run.engine);
  // Boosting's refit on every row: beside its validation fit when boosting is the only engine.
  const boostRefit = names.includes('boost')
    ? planBoostRefit(X, y, params, {
        beside: names.length === 1,
        onProgress: (done, total) => run.onProgress?.('fit', done, total),
      })
    : null;
  try {
    // Boosting first: its validation fit is the 'validate' phase; fits on every row are the 'fit' phase.
    const order = [...names].sort((a, b) => Number(b === 'boost') - Number(a === 'boost'));
    for (const name of order) {
      let held: HeldOut;
      let fit: EngineFit;
      let final: EngineFit | null = null;
      if (name !== 'boost') {
        phase('fit');
        final = await fitPhase(run, name, 'fit', X, y, params);
      }
      const oob = final;
      const measuredOob = oob ? outOfBagOf(oob, split.test) : null;
      if (oob && measuredOob) {
        fit = oob;
        held = {
          oob: takeColumn(oob.oobScores, split.train),
          yTrain,
          scores: measuredOob.scores,
          y: takeColumn(y, measuredOob.rows),
        };
      } else {
        phase('validate');
        fit = await fitPhase(
          run,
          name,
          'validate',
          trainRows(),
          yTrain,
          name === 'boost' && boostRefit ? boostRefit.validation : params,
          name === 'boost' ? { validation: valid, ...(boostRefit ? { onBest: boostRefit.onBest } : {}) } : {},
        );
        held = { oob: fit.oobScores, yTrain, scores: fit.predict(valid.X), y: valid.y };
      }
      candidates.push({
        trial: {
          engine: name,
          metrics: modelMetrics(held.scores, held.y),
          calibratedLogLoss: calibratedLogLoss(held.scores, held.y),
          ...(fit.rounds === undefined ? {} : { rounds: fit.rounds }),
          seconds: fit.seconds + (final && final !== fit ? final.seconds : 0),
        },
        held,
        final,
      });
    }
    // Trials in the order of enginesOf; the first of the lowest calibrated log-loss is kept.
    candidates.sort((a, b) => names.indexOf(a.trial.engine) - names.indexOf(b.trial.engine));
    let kept = candidates[0]!;
    for (const c of candidates) if (c.trial.calibratedLogLoss < kept.trial.calibratedLogLoss) kept = c;
    let fit = kept.final;
    if (fit === null) {
      phase('fit');
      const rounds = kept.trial.rounds;
      fit =
        kept.trial.engine === 'boost' && boostRefit && rounds !== undefined
          ? await boostRefit.refit(rounds)
          : await fitPhase(run, kept.trial.engine, 'fit', X, y, params);
    }
    return {
      engine: kept.trial.engine,
      fit,
      trials: candidates.map((c) => c.trial),
      validation: kept.trial.metrics,
      validationScores: kept.held.scores,
      held: kept.held,
      outOfBag: outOfBagMetrics(fit, y),
    };
  } finally {
    await boostRefit?.stop();
  }
}

function outOfBagMetrics(fit: EngineFit, y: Uint8Array): ModelMetrics | null {
  return fit.oobScores.some((v) => !Number.isNaN(v)) ? modelMetrics(fit.oobScores, y) : null;
}

/** What the model file records of the choice (no timings: equal models must give equal files). */
export function engineSelection(run: TrainingSettings, v: ValidatedFit): EngineSelection {
  return {
    requested: run.engine,
    chosen: v.engine,
    trials: v.trials.map((t) => ({
      engine: t.engine,
      logLoss: t.metrics.logLoss,
      calibratedLogLoss: t.calibratedLogLoss,
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
