/** The binary log-loss on raw scores (log-odds): base score, gradients and hessians, and the loss. */

/** Smallest hessian kept, so a leaf of confident rows still has a finite Newton step. */
const MIN_HESSIAN = 1e-16;

export function sigmoid(score: number): number {
  return 1 / (1 + Math.exp(-score));
}

/** The log-odds of the training churn rate: the best constant score, where boosting starts. */
export function baseScore(y: Uint8Array): number {
  let n1 = 0;
  for (let i = 0; i < y.length; i++) n1 += y[i]!;
  const p = Math.min(1 - 1e-12, Math.max(1e-12, n1 / y.length));
  return Math.log(p / (1 - p));
}

/** The hessian p · (1 − p) of a row of probability p, kept from 0. */
function hessianOf(p: number): number {
  return Math.max(p * (1 - p), MIN_HESSIAN);
}

/** The hessian of a row at raw score `score` (every row's, at the base score). */
export function hessianAt(score: number): number {
  return hessianOf(sigmoid(score));
}

/** Gradient p − y and hessian p · (1 − p) of each in-bag row, written by position. */
export function gradients(
  score: Float64Array,
  y: Uint8Array,
  rows: Uint32Array,
  nIn: number,
  gh: Float64Array,
): void {
  for (let i = 0; i < nIn; i++) {
    const r = rows[i]!;
    const p = sigmoid(score[r]!);
    gh[2 * i] = p - y[r]!;
    gh[2 * i + 1] = hessianOf(p);
  }
}

/** Mean log-loss of raw scores, computed stably: log(1 + e^s) − y·s. */
export function logLossOfScores(score: Float64Array, y: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const s = score[i]!;
    sum += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - (y[i] === 1 ? s : 0);
  }
  return sum / y.length;
}
