/**
 * The statistics of a campaign's measured effect, as pure functions: Wilson's interval for a rate,
 * Newcombe's hybrid score interval for the difference of two rates, Fieller's interval for a ratio
 * of two estimates, and the power of a two-group churn comparison with the group sizes it implies.
 */
import { errorFunction, probit } from 'simple-statistics';

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Standard normal distribution function (simple-statistics' erf, fractional error below 1.2e-7). */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/**
 * Standard normal quantile. simple-statistics' probit is a closed-form approximation that is off by
 * 0.003 at 0.975 (1.9572 for 1.9600); Newton steps on its accurate erf take it to full precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a normal quantile needs a probability in (0, 1), got ${p}`);
  let z = probit(p);
  for (let k = 0; k < 3; k++) {
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    z -= (normalCdf(z) - p) / density;
  }
  return z;
}

/** The two-sided critical value for confidence 1 − alpha (1.96 for alpha 0.05). */
export function criticalValue(alpha: number): number {
  return normalQuantile(1 - alpha / 2);
}

/** Wilson's score interval for x successes in n trials; [0, 1] when n is 0. */
export function wilson(x: number, n: number, z: number): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const z2 = z * z;
  const centre = (x + z2 / 2) / (n + z2);
  const half = (z * Math.sqrt((x * (n - x)) / n + z2 / 4)) / (n + z2);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface RateDifference extends Interval {
  /** x1/n1 − x2/n2. */
  readonly difference: number;
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for x1/n1 − x2/n2, from the two Wilson
 * intervals. It keeps its coverage near the nominal level for small groups and rates near 0, where
 * the Wald interval collapses; null when either group is empty.
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z: number): RateDifference | null {
  if (n1 === 0 || n2 === 0) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  const d = p1 - p2;
  return {
    difference: d,
    low: d - Math.hypot(p1 - w1.low, w2.high - p2),
    high: d + Math.hypot(w1.high - p1, p2 - w2.low),
  };
}

/**
 * Fieller's interval for the ratio a/b of two estimates with variances va, vb and covariance cov:
 * every θ with (a − θb)² ≤ z²(va − 2θ·cov + θ²vb). Null when b is not clearly away from 0
 * (b² ≤ z²·vb): the set is then unbounded and no interval can be given.
 */
export function fieller(
  a: number,
  b: number,
  va: number,
  vb: number,
  cov: number,
  z: number,
): Interval | null {
  const z2 = z * z;
  const qa = b * b - z2 * vb;
  if (!(qa > 0)) return null;
  const qb = a * b - z2 * cov;
  const qc = a * a - z2 * va;
  const root = Math.sqrt(Math.max(0, qb * qb - qa * qc));
  return { low: (qb - root) / qa, high: (qb + root) / qa };
}

/**
 * Power of the two-sided test at level alpha that the called group's churn differs from the control
 * group's, when the call lowers churn from `controlChurn` by `effect`: the normal approximation with
 * the pooled variance under no effect and each group's own variance under the effect (Fleiss).
 */
export function comparisonPower(
  called: number,
  control: number,
  controlChurn: number,
  effect: number,
  alpha: number,
): number {
  if (!(called > 0 && control > 0) || effect === 0) return 0;
  const p2 = clamp01(controlChurn);
  const p1 = clamp01(controlChurn - effect);
  const d = Math.abs(p2 - p1);
  const pooled = (called * p1 + control * p2) / (called + control);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / called + 1 / control));
  const se1 = Math.sqrt((p1 * (1 - p1)) / called + (p2 * (1 - p2)) / control);
  if (se1 === 0) return d > 0 ? 1 : 0;
  const z = criticalValue(alpha);
  return normalCdf((d - z * se0) / se1) + normalCdf((-d - z * se0) / se1);
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export interface PowerTarget {
  /** The churn reduction to detect, as a share (0.02 = 2 percentage points). */
  readonly effect: number;
  /** Two-sided significance level. */
  readonly alpha: number;
  /** Probability of detecting `effect` when it is there. */
  readonly power: number;
}

/** Largest group size searched: beyond it no campaign is measurable anyway. */
const MAX_GROUP = 1e9;

/**
 * The smallest control group that, beside `called` subscribers, detects the target effect when the
 * control group's churn is `controlChurn`. Null when no control group is enough, however large:
 * the called group is then too small itself.
 */
export function controlNeeded(called: number, controlChurn: number, t: PowerTarget): number | null {
  const power = (c: number) => comparisonPower(called, c, controlChurn, t.effect, t.alpha);
  if (power(MAX_GROUP) < t.power) return null;
  return smallestReaching(power, t.power);
}

/** The smallest size per group when both groups are the same size. Null when none up to 1e9 is. */
export function balancedGroupNeeded(controlChurn: number, t: PowerTarget): number | null {
  const power = (n: number) => comparisonPower(n, n, controlChurn, t.effect, t.alpha);
  if (power(MAX_GROUP) < t.power) return null;
  return smallestReaching(power, t.power);
}

/** Smallest n in [1, 1e9] with f(n) ≥ target, for f increasing in n and f(1e9) ≥ target. */
function smallestReaching(f: (n: number) => number, target: number): number {
  let lo = 1;
  let hi = MAX_GROUP;
  if (f(lo) >= target) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (f(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The smallest churn reduction detected with the target power by groups of these sizes, when the
 * called group churns at `calledChurn` (the control group's churn being that plus the effect).
 * Null when even the largest possible reduction is not detectable.
 */
export function minimumDetectableEffect(
  called: number,
  control: number,
  calledChurn: number,
  t: Omit<PowerTarget, 'effect'>,
): number | null {
  const p = clamp01(calledChurn);
  const power = (e: number) => comparisonPower(called, control, p + e, e, t.alpha);
  let hi = 1 - p;
  if (!(hi > 0) || power(hi) < t.power) return null;
  let lo = 0;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (power(mid) >= t.power) hi = mid;
    else lo = mid;
  }
  return hi;
}
