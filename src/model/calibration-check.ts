/**
 * How well probabilities match what happened, before and after calibration: Brier score, log-loss,
 * expected calibration error over equal-frequency bins, and the share of probabilities at exactly 0
 * or 1 (a subscriber at 0 carries no revenue at risk, however likely to leave).
 */
import { groupScores } from './calibrate.js';
import { brier, logLoss } from './metrics.js';

export interface CalibrationQuality {
  /** Rows with a probability (NaN left out). */
  readonly rows: number;
  readonly brier: number;
  readonly logLoss: number;
  /** Expected calibration error over ECE_BINS equal-frequency bins. */
  readonly ece: number;
  /** Share of rows whose probability is exactly 0, and exactly 1. */
  readonly atZero: number;
  readonly atOne: number;
}

export const ECE_BINS = 10;

/**
 * Σ over bins of (rows in bin / rows) · |mean probability − churn rate|, the rows sorted by probability
 * and cut into `bins` bins of equal size. A run of equal probabilities that straddles a cut is shared
 * between the two bins in proportion, each part carrying the run's churn rate, so the result does not
 * depend on the order of tied rows (as metrics.ts treats ties in the lift).
 */
export function expectedCalibrationError(p: Float64Array, y: Uint8Array, bins = ECE_BINS): number {
  const g = groupScores(p, y);
  const n = g.rows;
  if (n === 0) return Number.NaN;
  const size = n / bins;
  let error = 0;
  let filled = 0;
  let sumP = 0;
  let sumY = 0;
  for (let j = 0; j < g.x.length; j++) {
    let left = g.w[j]!;
    const share = g.k[j]! / g.w[j]!;
    while (left > 0) {
      const take = Math.min(left, size - filled);
      filled += take;
      sumP += take * g.x[j]!;
      sumY += take * share;
      left -= take;
      if (filled >= size - 1e-9 * size) {
        error += Math.abs(sumP - sumY);
        filled = 0;
        sumP = 0;
        sumY = 0;
      }
    }
  }
  error += Math.abs(sumP - sumY);
  return error / n;
}

export function calibrationQuality(p: Float64Array, y: Uint8Array): CalibrationQuality {
  let rows = 0;
  let zeros = 0;
  let ones = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (Number.isNaN(v)) continue;
    rows++;
    if (v === 0) zeros++;
    else if (v === 1) ones++;
  }
  return {
    rows,
    brier: brier(p, y),
    logLoss: logLoss(p, y),
    ece: expectedCalibrationError(p, y),
    atZero: rows > 0 ? zeros / rows : Number.NaN,
    atOne: rows > 0 ? ones / rows : Number.NaN,
  };
}
