/**
 * Calibrated churn probabilities: a monotone map from the engine's score to the churn rate observed
 * among rows with that score, fitted on scores the model did not train on (out-of-bag or held out).
 *
 * The method follows the data size (Niculescu-Mizil & Caruana, "Predicting good probabilities with
 * supervised learning", ICML 2005: isotonic regression overfits below about a thousand calibration
 * rows, where Platt's two-parameter sigmoid does better):
 * - isotonic (pool-adjacent-violators) with at least ISOTONIC_MIN_ROWS rows and ISOTONIC_MIN_CLASS of
 *   each class. Every isotonic step but the first holds at least one churner, so the number of
 *   churners bounds the map's resolution: with fewer than ~50 the steps are too coarse to trust.
 * - Platt scaling otherwise, on the score's log-odds, so a model that is already calibrated maps to
 *   itself (a = 1, b = 0) and a boosted engine's sigmoid output is handled as naturally as a forest's.
 *
 * Neither method returns exactly 0 or 1. The isotonic steps are interpolated between the blocks' mean
 * scores (so scores that differ keep their order, and the risk deciles keep their resolution), and an
 * end block with no churner (or no stayer) gets the Jeffreys estimate (k + ½) / (m + 1) instead of
 * 0 (or 1): of m rows none left, so about half a churner is the honest guess. Platt's output is kept
 * within [½ / (n + 1), 1 − ½ / (n + 1)], the same estimate for the whole calibration set.
 */
import { ModelError } from '../errors.js';

export type CalibrationMethod = 'isotonic' | 'platt';

export type Calibrator =
  | { readonly method: 'identity' }
  /** Knots: mean score of each isotonic block (strictly increasing) and its churn rate (strictly increasing). */
  | { readonly method: 'isotonic'; readonly x: Float64Array; readonly p: Float64Array }
  /** p = σ(a · logit(s) + b), the score clamped to [clip, 1 − clip] first and the result after. */
  | { readonly method: 'platt'; readonly a: number; readonly b: number; readonly clip: number };

export const IDENTITY: Calibrator = { method: 'identity' };

/** Calibration rows (both classes) from which isotonic regression is preferred to Platt scaling. */
export const ISOTONIC_MIN_ROWS = 1000;
/** Rows of each class isotonic regression needs besides (its steps are bounded by the rarer class). */
export const ISOTONIC_MIN_CLASS = 50;

export function chooseMethod(rows: number, positives: number): CalibrationMethod {
  const rarer = Math.min(positives, rows - positives);
  return rows >= ISOTONIC_MIN_ROWS && rarer >= ISOTONIC_MIN_CLASS ? 'isotonic' : 'platt';
}

/** The distinct scores ascending, with their row count and churners (NaN scores left out). */
export interface ScoreGroups {
  readonly x: Float64Array;
  readonly w: Float64Array;
  readonly k: Float64Array;
  readonly rows: number;
  readonly positives: number;
}

/** Groups rows by distinct score: each class sorted on its own with the typed-array sort, then merged. */
export function groupScores(scores: Float64Array, y: Uint8Array): ScoreGroups {
  if (scores.length !== y.length)
    throw new RangeError(`scores have ${scores.length} rows but labels have ${y.length}`);
  let n1 = 0;
  let n0 = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(scores[i]!)) continue;
    if (y[i]! > 1) throw new RangeError(`label at row ${i} is ${y[i]}, expected 0 or 1`);
    if (y[i] === 1) n1++;
    else n0++;
  }
  const pos = new Float64Array(n1);
  const neg = new Float64Array(n0);
  let a = 0;
  let b = 0;
  for (let i = 0; i < y.length; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    if (y[i] === 1) pos[a++] = s;
    else neg[b++] = s;
  }
  pos.sort();
  neg.sort();
  const x: number[] = [];
  const w: number[] = [];
  const k: number[] = [];
  let p = 0;
  let q = 0;
  while (p < n1 || q < n0) {
    const v = q >= n0 || (p < n1 && pos[p]! <= neg[q]!) ? pos[p]! : neg[q]!;
    let m = 0;
    let c = 0;
    while (p < n1 && pos[p] === v) {
      p++;
      m++;
      c++;
    }
    while (q < n0 && neg[q] === v) {
      q++;
      m++;
    }
    x.push(v);
    w.push(m);
    k.push(c);
  }
  return {
    x: Float64Array.from(x),
    w: Float64Array.from(w),
    k: Float64Array.from(k),
    rows: n0 + n1,
    positives: n1,
  };
}

/** A run of adjacent distinct scores pooled into one step: rows, churners, and Σ score × rows. */
export interface IsotonicBlock {
  readonly w: number;
  readonly k: number;
  readonly sx: number;
}

function merge(a: IsotonicBlock, b: IsotonicBlock): IsotonicBlock {
  return { w: a.w + b.w, k: a.k + b.k, sx: a.sx + b.sx };
}

/** a's churn rate ≥ b's, compared exactly on integer counts. */
const notBelow = (a: IsotonicBlock, b: IsotonicBlock): boolean => a.k * b.w >= b.k * a.w;

/**
 * Pool-adjacent-violators over the distinct scores, pooling ties too, so the blocks' churn rates
 * strictly increase: the least-squares non-decreasing fit, with equal neighbours merged.
 */
export function poolAdjacentViolators(groups: ScoreGroups): IsotonicBlock[] {
  const stack: IsotonicBlock[] = [];
  for (let j = 0; j < groups.x.length; j++) {
    let b: IsotonicBlock = { w: groups.w[j]!, k: groups.k[j]!, sx: groups.w[j]! * groups.x[j]! };
    while (stack.length > 0 && notBelow(stack[stack.length - 1]!, b)) b = merge(stack.pop()!, b);
    stack.push(b);
  }
  return stack;
}

/** Jeffreys estimate for an end block with no churner or no stayer; the plain rate otherwise. */
function rate(b: IsotonicBlock): number {
  if (b.k === 0) return 0.5 / (b.w + 1);
  if (b.k === b.w) return (b.w + 0.5) / (b.w + 1);
  return b.k / b.w;
}

/**
 * Isotonic calibration: pool-adjacent-violators, then the end blocks' Jeffreys estimates (only the
 * first block can have no churner and only the last no stayer); an estimate that meets its
 * neighbour's rate is pooled with it. Knots at the blocks' mean scores.
 */
export function fitIsotonic(groups: ScoreGroups): Calibrator {
  const blocks = poolAdjacentViolators(groups);
  if (blocks.length >= 2 && rate(blocks[0]!) >= rate(blocks[1]!))
    blocks.splice(0, 2, merge(blocks[0]!, blocks[1]!));
  const last = blocks.length - 1;
  if (last >= 1 && rate(blocks[last]!) <= rate(blocks[last - 1]!))
    blocks.splice(last - 1, 2, merge(blocks[last - 1]!, blocks[last]!));
  return {
    method: 'isotonic',
    x: Float64Array.from(blocks, (b) => b.sx / b.w),
    p: Float64Array.from(blocks, rate),
  };
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** ½ / (n + 1): the Jeffreys estimate of a rate never seen in n rows, the least a probability is given. */
export const jeffreysFloor = (rows: number): number => 0.5 / (rows + 1);

/**
 * Platt's map with a = 1 and b = 0: the model's own probabilities, only kept within the Jeffreys floor
 * of `rows` calibration rows (so none is exactly 0 or 1). A file any version reads as Platt scaling.
 */
export const unchangedCalibrator = (rows: number): Calibrator => ({
  method: 'platt',
  a: 1,
  b: 0,
  clip: jeffreysFloor(rows),
});

/** What a calibrator does, in a word: its method, or `unchanged` for Platt's identity. */
export function calibratorName(c: Calibrator): CalibrationMethod | 'identity' | 'unchanged' {
  return c.method === 'platt' && c.a === 1 && c.b === 0 ? 'unchanged' : c.method;
}

/**
 * Platt scaling on logit(score) by Newton's method with a backtracking line search (Lin, Lin & Weng,
 * "A note on Platt's probabilistic outputs for support vector machines", 2007), with Platt's targets
 * (N₊ + 1) / (N₊ + 2) and 1 / (N₋ + 2) in place of 1 and 0.
 */
export function fitPlatt(groups: ScoreGroups): Calibrator {
  const clip = jeffreysFloor(groups.rows);
  const n1 = groups.positives;
  const n0 = groups.rows - n1;
  const hi = (n1 + 1) / (n1 + 2);
  const lo = 1 / (n0 + 2);
  const f = Float64Array.from(groups.x, (s) => logit(Math.min(1 - clip, Math.max(clip, s))));
  // Per distinct score: the target summed over its rows.
  const t = Float64Array.from(groups.k, (k, j) => k * hi + (groups.w[j]! - k) * lo);
  const { w } = groups;
  const loss = (a: number, b: number): number => {
    let sum = 0;
    for (let j = 0; j < f.length; j++) {
      const z = a * f[j]! + b;
      // −[t log σ(z) + (w − t) log(1 − σ(z))], written to stay finite for large |z|.
      const log1pExp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      sum += w[j]! * log1pExp - t[j]! * z;
    }
    return sum;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let j = 0; j < f.length; j++) {
      const p = sigmoid(a * f[j]! + b);
      const r = w[j]! * p - t[j]!;
      const h = w[j]! * p * (1 - p);
      ga += r * f[j]!;
      gb += r;
      haa += h * f[j]! * f[j]!;
      hab += h * f[j]!;
      hbb += h;
    }
    if (Math.abs(ga) < 1e-9 * groups.rows && Math.abs(gb) < 1e-9 * groups.rows) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a + step * da, b + step * db);
    while (next > current + 1e-4 * step * (ga * da + gb * db) && step > 1e-10) {
      step /= 2;
      next = loss(a + step * da, b + step * db);
    }
    if (step <= 1e-10) break;
    a += step * da;
    b += step * db;
    current = next;
  }
  return { method: 'platt', a, b, clip };
}

export interface CalibratorFit {
  readonly calibrator: Calibrator;
  readonly rows: number;
  readonly positives: number;
}

/**
 * Fits the calibrator the data size calls for (`method` forces one; training asks
 * calibration-choice.ts, which also measures the two methods). Identity when the scored rows hold only
 * one class: nothing can be learned about the other.
 */
export function fitCalibrator(
  scores: Float64Array,
  y: Uint8Array,
  method?: CalibrationMethod,
): CalibratorFit {
  return fitGroups(groupScores(scores, y), method);
}

/** fitCalibrator on rows already grouped by score (groupScores). */
export function fitGroups(groups: ScoreGroups, method?: CalibrationMethod): CalibratorFit {
  const { rows, positives } = groups;
  if (positives === 0 || positives === rows) return { calibrator: IDENTITY, rows, positives };
  const chosen = method ?? chooseMethod(rows, positives);
  const calibrator = chosen === 'isotonic' ? fitIsotonic(groups) : fitPlatt(groups);
  return { calibrator, rows, positives };
}

/** Index of the last knot ≤ s (the knots strictly increase; s is within them). */
function knotBelow(x: Float64Array, s: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= s) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The calibrated probability of every score; NaN stays NaN. */
export function calibrate(c: Calibrator, scores: Float64Array): Float64Array {
  switch (c.method) {
    case 'identity':
      return scores;
    case 'isotonic': {
      const { x, p } = c;
      const last = x.length - 1;
      return scores.map((s) => {
        if (Number.isNaN(s)) return s;
        if (s <= x[0]!) return p[0]!;
        if (s >= x[last]!) return p[last]!;
        const j = knotBelow(x, s);
        return p[j]! + ((p[j + 1]! - p[j]!) * (s - x[j]!)) / (x[j + 1]! - x[j]!);
      });
    }
    case 'platt': {
      const { a, b, clip } = c;
      return scores.map((s) => {
        if (Number.isNaN(s)) return s;
        const p = sigmoid(a * logit(Math.min(1 - clip, Math.max(clip, s))) + b);
        return Math.min(1 - clip, Math.max(clip, p));
      });
    }
  }
}

/** The calibrator in the model file: plain JSON numbers (a double survives JSON exactly). */
export function calibratorToJSON(c: Calibrator): Record<string, unknown> {
  switch (c.method) {
    case 'identity':
      return { method: 'identity' };
    case 'isotonic':
      return { method: 'isotonic', x: Array.from(c.x), p: Array.from(c.p) };
    case 'platt':
      return { method: 'platt', a: c.a, b: c.b, clip: c.clip };
  }
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads and checks a calibrator; undefined or null (a model from before calibration) is the identity. */
export function calibratorFromJSON(json: unknown): Calibrator {
  if (json === undefined || json === null) return IDENTITY;
  const j = json as Record<string, unknown>;
  const bad = (why: string) => new ModelError(`calibration: ${why}`);
  if (typeof j !== 'object') throw bad('not a JSON object');
  if (j.method === 'identity') return IDENTITY;
  if (j.method === 'platt') {
    if (!finite(j.a) || !finite(j.b)) throw bad('platt needs finite numbers a and b');
    if (!finite(j.clip) || !(j.clip > 0 && j.clip < 0.5)) throw bad('platt clip must be in (0, 0.5)');
    return { method: 'platt', a: j.a, b: j.b, clip: j.clip };
  }
  if (j.method === 'isotonic') {
    const { x, p } = j;
    if (!Array.isArray(x) || !Array.isArray(p) || x.length === 0 || x.length !== p.length)
      throw bad('isotonic needs lists x and p of the same non-zero length');
    if (!x.every(finite) || !p.every((v) => finite(v) && v > 0 && v < 1))
      throw bad('isotonic x must be finite numbers and p probabilities strictly between 0 and 1');
    for (let i = 1; i < x.length; i++)
      if (!(x[i] > x[i - 1] && p[i] > p[i - 1]))
        throw bad(`isotonic knots ${i - 1} and ${i} do not increase`);
    return { method: 'isotonic', x: Float64Array.from(x), p: Float64Array.from(p) };
  }
  throw bad(`method ${JSON.stringify(j.method)} is unknown (identity, isotonic or platt)`);
}
