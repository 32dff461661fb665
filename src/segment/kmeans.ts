/**
 * k-means on scaled rows: restarts from seeded k-means++ starts (seeding.ts), each run by Lloyd's
 * iterations (lloyd.ts), keeping the run with the lowest inertia (within-segment sum of squared
 * distances); or one run from given centres.
 */
import { InputError } from '../errors.js';
import { createRandom } from '../random.js';
import { type LloydOptions, lloyd } from './lloyd.js';
import type { ScaledRows } from './scale.js';
import { kmeansPlusPlus } from './seeding.js';

export interface KMeansOptions extends LloydOptions {
  readonly restarts: number;
  readonly seed: number;
}

export interface KMeansFit {
  readonly k: number;
  /** Row-major k × d, in scaled units. */
  readonly centroids: Float64Array;
  /** Within-segment sum of squared distances over the rows it was fitted on. */
  readonly inertia: number;
  /** Lloyd iterations of the kept restart. */
  readonly iterations: number;
}

/** Seed streams, so restarts, the fit sample and the silhouette sample never share random numbers. */
export const STREAM = { restarts: 11, fitSample: 12, silhouetteSample: 13, choiceSample: 14 } as const;

/** Index of the nearest centroid to row `i` of `x` (first one on a tie, so results are reproducible). */
export function nearestCentroid(x: Float64Array, at: number, d: number, centroids: Float64Array, k: number) {
  let best = 0;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    let dist = 0;
    const base = c * d;
    for (let j = 0; j < d; j++) {
      const diff = x[at + j]! - centroids[base + j]!;
      dist += diff * diff;
    }
    if (dist < bestDist) {
      bestDist = dist;
      best = c;
    }
  }
  return best;
}

export function assignRows(x: ScaledRows, centroids: Float64Array, k: number): Int32Array {
  const out = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) out[i] = nearestCentroid(x.data, i * x.d, x.d, centroids, k);
  return out;
}

export function inertiaOf(x: ScaledRows, centroids: Float64Array, k: number): number {
  let total = 0;
  for (let i = 0; i < x.n; i++) {
    const c = nearestCentroid(x.data, i * x.d, x.d, centroids, k);
    for (let j = 0; j < x.d; j++) {
      const diff = x.data[i * x.d + j]! - centroids[c * x.d + j]!;
      total += diff * diff;
    }
  }
  return total;
}

/** Number of distinct rows, counting no further than `limit` (k-means++ needs at least k). */
export function distinctRowsUpTo(x: ScaledRows, limit: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < x.n && seen.size < limit; i++) {
    seen.add(x.data.subarray(i * x.d, (i + 1) * x.d).join(','));
  }
  return seen.size;
}

function run(x: ScaledRows, start: Float64Array, k: number, options: LloydOptions): KMeansFit {
  const { centroids, iterations } = lloyd(x, start, k, options);
  return { k, centroids, inertia: inertiaOf(x, centroids, k), iterations };
}

function checkDistinct(x: ScaledRows, k: number): void {
  if (k < 1 || k > x.n) throw new InputError(`cannot form ${k} segments from ${x.n} subscriber-months`);
  const distinct = distinctRowsUpTo(x, k);
  if (distinct < k)
    throw new InputError(
      `cannot form ${k} segments: only ${distinct} distinct behaviour profiles in the data`,
    );
}

/** Best of `restarts` seeded k-means++ starts on `x`, each run to convergence; deterministic for a seed. */
export function fitKMeans(x: ScaledRows, k: number, options: KMeansOptions): KMeansFit {
  checkDistinct(x, k);
  const random = createRandom(options.seed, STREAM.restarts);
  let best: KMeansFit | null = null;
  for (let r = 0; r < options.restarts; r++) {
    const rows = kmeansPlusPlus(x, k, random);
    const start = new Float64Array(k * x.d);
    rows.forEach((row, c) => {
      start.set(x.data.subarray(row * x.d, (row + 1) * x.d), c * x.d);
    });
    const fit = run(x, start, k, options);
    if (best === null || fit.inertia < best.inertia) best = fit;
  }
  return best!;
}

/** k-means on `x` started from given centres (e.g. those fitted on a smaller sample). */
export function refineKMeans(
  x: ScaledRows,
  start: Float64Array,
  k: number,
  options: LloydOptions,
): KMeansFit {
  checkDistinct(x, k);
  return run(x, start, k, options);
}
