/**
 * Model quality over churn scores: pure functions of a Float64Array of scores (probabilities for
 * `brier`/`logLoss`; any monotone score for the ranking metrics) and a Uint8Array of 0/1 labels.
 *
 * Conventions shared by every function:
 * - A NaN score (a row never out-of-bag, a subscriber not scored) is left out; `modelMetrics` reports
 *   how many were skipped.
 * - A label other than 0/1 or arrays of different lengths is a programming error: RangeError.
 * - A metric that needs both classes (AUC, PR AUC, lift) returns NaN when only one class is left,
 *   as it is undefined there; callers show it as "n/a" and JSON stores it as null.
 * - Sorting uses the engines' numeric typed-array sort on copies, never a comparator over row
 *   indices, so ten million rows stay in the seconds.
 */
import { riskDecileCutsSorted, riskDeciles } from '../deciles.js';

export interface DecileCalibration {
  /** 1 = riskiest tenth … 10 (the rule of deciles.ts). */
  decile: number;
  n: number;
  meanPredicted: number;
  observedRate: number;
}

export interface ModelMetrics {
  /** Rows with a score, used by every metric below. */
  n: number;
  /** Rows left out because their score is NaN. */
  skipped: number;
  positives: number;
  negatives: number;
  /** Share of positives (churners) among the scored rows. */
  baseRate: number;
  auc: number;
  prAuc: number;
  /** `liftAt(scores, y, 0.1)`. */
  topDecileLift: number;
  brier: number;
  logLoss: number;
  calibration: DecileCalibration[];
}

interface Scored {
  scores: Float64Array;
  y: Uint8Array;
  skipped: number;
}

/** Checks lengths and labels and drops NaN scores (without copying when there are none). */
function scored(scores: Float64Array, y: Uint8Array): Scored {
  if (scores.length !== y.length) {
    throw new RangeError(`scores have ${scores.length} rows but labels have ${y.length}`);
  }
  let skipped = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i]! > 1) throw new RangeError(`label at row ${i} is ${y[i]}, expected 0 or 1`);
    if (Number.isNaN(scores[i]!)) skipped++;
  }
  if (skipped === 0) return { scores, y, skipped };
  const s = new Float64Array(scores.length - skipped);
  const l = new Uint8Array(s.length);
  let at = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) continue;
    s[at] = scores[i]!;
    l[at++] = y[i]!;
  }
  return { scores: s, y: l, skipped };
}

/** Scores of one class, sorted ascending. */
function sortedClass(s: Scored, label: 0 | 1): Float64Array {
  let n = 0;
  for (let i = 0; i < s.y.length; i++) if (s.y[i] === label) n++;
  const out = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < s.y.length; i++) if (s.y[i] === label) out[at++] = s.scores[i]!;
  return out.sort();
}

/** The scored rows' class scores sorted ascending, and all scores sorted (merged, not re-sorted). */
interface Sorted {
  pos: Float64Array;
  neg: Float64Array;
  all: Float64Array;
}

function sortScored(s: Scored): Sorted {
  const pos = sortedClass(s, 1);
  const neg = sortedClass(s, 0);
  const all = new Float64Array(pos.length + neg.length);
  let p = 0;
  let q = 0;
  for (let i = 0; i < all.length; i++) {
    all[i] = q >= neg.length || (p < pos.length && pos[p]! <= neg[q]!) ? pos[p++]! : neg[q++]!;
  }
  return { pos, neg, all };
}

function aucSorted({ pos, neg }: Sorted): number {
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  // One ascending walk over both classes (a binary search per row thrashes the cache at 10M rows).
  let wins = 0;
  let below = 0;
  let ties = 0;
  for (let i = 0; i < pos.length; i++) {
    const v = pos[i]!;
    if (i === 0 || v !== pos[i - 1]) {
      below += ties;
      while (below < neg.length && neg[below]! < v) below++;
      ties = 0;
      while (below + ties < neg.length && neg[below + ties] === v) ties++;
    }
    wins += below + ties / 2;
  }
  return wins / (pos.length * neg.length);
}

/**
 * ROC AUC: the probability that a random churner scores above a random stayer, a tie counting
 * one half (the midrank Mann–Whitney statistic, as sklearn's roc_auc_score).
 */
export function auc(scores: Float64Array, y: Uint8Array): number {
  return aucSorted(sortScored(scored(scores, y)));
}

function prAucSorted({ pos, neg }: Sorted): number {
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let p = pos.length - 1;
  let q = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  while (p >= 0) {
    const t = q >= 0 && neg[q]! > pos[p]! ? neg[q]! : pos[p]!;
    const before = tp;
    while (p >= 0 && pos[p] === t) {
      tp++;
      p--;
    }
    while (q >= 0 && neg[q] === t) {
      fp++;
      q--;
    }
    ap += ((tp - before) / pos.length) * (tp / (tp + fp));
  }
  return ap;
}

/**
 * Average precision as sklearn's average_precision_score: Σ (Rₖ − Rₖ₋₁) · Pₖ over the distinct
 * scores taken as thresholds from the highest down (tied rows enter together, no interpolation).
 */
export function prAuc(scores: Float64Array, y: Uint8Array): number {
  return prAucSorted(sortScored(scored(scores, y)));
}

function liftSorted(s: Scored, sorted: Sorted, share: number): number {
  if (!(share > 0 && share <= 1)) throw new RangeError(`lift share must be in (0, 1], got ${share}`);
  const n = s.scores.length;
  const positives = sorted.pos.length;
  if (positives === 0 || positives === n) return Number.NaN;
  const k = Math.max(1, Math.round(share * n));
  const cut = sorted.all[n - k]!;
  let above = 0;
  let aboveP = 0;
  let tied = 0;
  let tiedP = 0;
  for (let i = 0; i < n; i++) {
    const v = s.scores[i]!;
    if (v > cut) {
      above++;
      aboveP += s.y[i]!;
    } else if (v === cut) {
      tied++;
      tiedP += s.y[i]!;
    }
  }
  const topPositives = aboveP + ((k - above) * tiedP) / tied;
  return topPositives / k / (positives / n);
}

/**
 * Lift in the top `share` by score: the churn rate among the k = max(1, round(share · n)) highest
 * scores over the overall rate. Rows tied with the k-th score enter fractionally (each carries the
 * tied group's churn rate into the remaining slots), so the result does not depend on row order.
 */
export function liftAt(scores: Float64Array, y: Uint8Array, share = 0.1): number {
  const s = scored(scores, y);
  return liftSorted(s, sortScored(s), share);
}

/** Mean squared difference between the probability and the 0/1 outcome. NaN when no row is scored. */
export function brier(scores: Float64Array, y: Uint8Array): number {
  const s = scored(scores, y);
  let sum = 0;
  for (let i = 0; i < s.y.length; i++) sum += (s.scores[i]! - s.y[i]!) ** 2;
  return sum / s.y.length;
}

/** Mean negative log-likelihood; probabilities clipped to [1e-15, 1 − 1e-15] as sklearn's log_loss. */
export function logLoss(scores: Float64Array, y: Uint8Array): number {
  const s = scored(scores, y);
  const eps = 1e-15;
  let sum = 0;
  for (let i = 0; i < s.y.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, s.scores[i]!));
    sum -= s.y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / s.y.length;
}

function calibrationSorted(s: Scored, sorted: Sorted): DecileCalibration[] {
  const deciles = riskDeciles(s.scores, riskDecileCutsSorted(sorted.all));
  const n = new Float64Array(11);
  const sumP = new Float64Array(11);
  const sumY = new Float64Array(11);
  for (let i = 0; i < deciles.length; i++) {
    const d = deciles[i]!;
    n[d]++;
    sumP[d] += s.scores[i]!;
    sumY[d] += s.y[i]!;
  }
  const out: DecileCalibration[] = [];
  for (let d = 1; d <= 10; d++) {
    if (n[d] === 0) continue;
    out.push({ decile: d, n: n[d]!, meanPredicted: sumP[d]! / n[d]!, observedRate: sumY[d]! / n[d]! });
  }
  return out;
}

/** Mean score and churn rate per risk decile (deciles.ts), riskiest first; empty deciles left out. */
export function calibrationByDecile(scores: Float64Array, y: Uint8Array): DecileCalibration[] {
  const s = scored(scores, y);
  return calibrationSorted(s, sortScored(s));
}

/** Every metric above over the same scored rows, sorting them once. */
export function modelMetrics(scores: Float64Array, y: Uint8Array): ModelMetrics {
  const s = scored(scores, y);
  const sorted = sortScored(s);
  const n = s.y.length;
  const positives = sorted.pos.length;
  return {
    n,
    skipped: s.skipped,
    positives,
    negatives: n - positives,
    baseRate: positives / n,
    auc: aucSorted(sorted),
    prAuc: prAucSorted(sorted),
    topDecileLift: liftSorted(s, sorted, 0.1),
    brier: brier(s.scores, s.y),
    logLoss: logLoss(s.scores, s.y),
    calibration: calibrationSorted(s, sorted),
  };
}
