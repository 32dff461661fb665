/**
 * What both training modes share: the run's settings, fitting the validation and final forests with the
 * seed applied and the engine's warning given before any long step, and ranking features.
 */
import { evaluate, type ModelMetrics } from '../model/metrics.js';
import type { EngineName, FeatureMatrix, ForestParams } from '../model/types.js';
import { type EngineFit, engineWarning, fitWithEngine, type Phase } from './engine.js';

export interface TrainingRun {
  readonly engine: EngineName;
  readonly forest: Partial<ForestParams>;
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

const paramsOf = (run: TrainingRun): Partial<ForestParams> => ({ ...run.forest, seed: run.seed });

/** Tells the user, before training starts, what the engine expects of data this size. */
export function noticeEngine(run: TrainingRun, X: FeatureMatrix): void {
  const warning = engineWarning(run.engine, X.nRows, X.columns.length, paramsOf(run));
  if (warning) run.onNotice?.(warning);
}

export function fitPhase(
  run: TrainingRun,
  phase: Phase,
  X: FeatureMatrix,
  y: Uint8Array,
): Promise<EngineFit> {
  return fitWithEngine(run.engine, X, y, paramsOf(run), (done, total) =>
    run.onProgress?.(phase, done, total),
  );
}

/** The final forest on every row, with its out-of-bag metrics (null when the engine has none). */
export async function fitFinal(
  run: TrainingRun,
  X: FeatureMatrix,
  y: Uint8Array,
): Promise<{ fit: EngineFit; outOfBag: ModelMetrics | null }> {
  const fit = await fitPhase(run, 'fit', X, y);
  const outOfBag = fit.oobScores.some((v) => !Number.isNaN(v)) ? evaluate(fit.oobScores, y) : null;
  return { fit, outOfBag };
}

/** Features by importance, highest first, ties by name. */
export function rankFeatures(importances: Readonly<Record<string, number>>): RankedFeature[] {
  return Object.entries(importances)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, importance]) => ({ name, importance }));
}

/** The given rows of a feature matrix. */
export function sub(X: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  return {
    nRows: rows.length,
    names: X.names,
    columns: X.columns.map((c) => Float64Array.from(rows, (r) => c[r]!)),
  };
}

/** The given rows of a label column. */
export function pick(y: Uint8Array, rows: Int32Array): Uint8Array {
  return Uint8Array.from(rows, (r) => y[r]!);
}
