/**
 * Fitting an uplift model by evidence: both learners (learners.ts) are fitted on part of the
 * campaign's subscribers and measured by the Qini coefficient on the rest (held out in each arm
 * and outcome in the same proportion); the better one is refitted on every subscriber.
 */
import { takeColumn, takeMatrix } from '../frame.js';
import { stratifiedSplit } from '../model/holdout.js';
import {
  type FittedLearner,
  fitLearner,
  UPLIFT_METHODS,
  type UpliftFitSettings,
  type UpliftMethod,
  type UpliftRows,
} from './learners.js';
import { qiniCurve } from './qini.js';

export interface UpliftTrial {
  readonly method: UpliftMethod;
  /** On the held-out subscribers, ordered by the learner's uplift. */
  readonly qiniCoefficient: number;
  readonly auuc: number;
  /** Subscribers kept by calling the whole held-out group (the same for every learner). */
  readonly total: number;
  readonly heldOut: number;
  /** Time the fit took; in the training output, not in the model file. */
  readonly seconds?: number;
}

export interface UpliftSelection {
  /** Share of each arm held out to compare the learners. */
  readonly heldOutShare: number;
  /** Rule: the higher held-out Qini coefficient; two-model on a tie. */
  readonly chosen: UpliftMethod;
  readonly trials: readonly UpliftTrial[];
}

export interface UpliftFit {
  readonly learner: FittedLearner;
  readonly selection: UpliftSelection;
}

export const DEFAULT_HELD_OUT_SHARE = 0.3;

function pickRows(rows: UpliftRows, at: Int32Array): UpliftRows {
  return {
    X: takeMatrix(rows.X, at),
    treated: takeColumn(rows.treated, at),
    churned: takeColumn(rows.churned, at),
  };
}

/** Held-out rows: each arm split by churn in the same proportion (a stratified split per arm). */
export function heldOutSplit(
  rows: Pick<UpliftRows, 'treated' | 'churned'>,
  share: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (const arm of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < rows.treated.length; i++) if (rows.treated[i] === arm) members.push(i);
    const y = takeColumn(rows.churned, members);
    const split = stratifiedSplit(y, share, seed + arm);
    for (const k of split.train) train.push(members[k]!);
    for (const k of split.test) test.push(members[k]!);
  }
  const asc = (a: number, b: number) => a - b;
  return { train: Int32Array.from(train.sort(asc)), test: Int32Array.from(test.sort(asc)) };
}

export interface UpliftFitOptions extends UpliftFitSettings {
  /** Learners to compare; default both. */
  readonly methods?: readonly UpliftMethod[];
  readonly heldOutShare?: number;
  /** Called as each learner is fitted, for the command's log. */
  readonly onStep?: (step: string) => void;
}

/** Compares the learners on a held-out part, then refits the better on every row. */
export async function fitUplift(rows: UpliftRows, o: UpliftFitOptions): Promise<UpliftFit> {
  const methods = o.methods ?? UPLIFT_METHODS;
  const share = o.heldOutShare ?? DEFAULT_HELD_OUT_SHARE;
  const split = heldOutSplit(rows, share, o.seed);
  const train = pickRows(rows, split.train);
  const test = pickRows(rows, split.test);
  const trials: UpliftTrial[] = [];
  for (const method of methods) {
    o.onStep?.(`held-out comparison: ${method}`);
    const started = performance.now();
    const learner = await fitLearner(method, train, o);
    const q = qiniCurve({ score: learner.predict(test.X), treated: test.treated, churned: test.churned });
    trials.push({
      method,
      qiniCoefficient: q.qiniCoefficient,
      auuc: q.auuc,
      total: q.total,
      heldOut: test.X.nRows,
      seconds: (performance.now() - started) / 1000,
    });
  }
  let best = trials[0]!;
  for (const t of trials) if (t.qiniCoefficient > best.qiniCoefficient) best = t;
  o.onStep?.(`final fit: ${best.method}`);
  const learner = await fitLearner(best.method, rows, o);
  return { learner, selection: { heldOutShare: share, chosen: best.method, trials } };
}
