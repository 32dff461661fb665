/**
 * k-means on scaled rows. ml-kmeans runs one seeded kmeans++ start; we restart it with seeds derived
 * from ours and keep the run with the lowest inertia (within-segment sum of squared distances).
 */
import { kmeans } from 'ml-kmeans';
import { InputError } from '../errors.js';
import { createRandom } from '../random.js';
import type { ScaledRows } from './scale.js';

export interface KMeansOptions {
  readonly restarts: number;
  readonly seed: number;
  readonly maxIterations: number;
  readonly tolerance: number;
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
export const STREAM = { restarts: 11, fitSample: 12, silhouetteSample: 13 } as const;

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

function toPoints(x: ScaledRows): number[][] {
  const points = new Array<number[]>(x.n);
  for (let i = 0; i < x.n; i++) points[i] = Array.from(x.data.subarray(i * x.d, (i + 1) * x.d));
  return points;
}

/** Best of `restarts` seeded kmeans++ runs on `x`; deterministic for a seed. */
export function fitKMeans(x: ScaledRows, k: number, options: KMeansOptions): KMeansFit {
  if (k < 1 || k > x.n) throw new InputError(`cannot form ${k} segments from ${x.n} subscriber-months`);
  const distinct = distinctRowsUpTo(x, k);
  if (distinct < k)
    throw new InputError(
      `cannot form ${k} segments: only ${distinct} distinct behaviour profiles in the data`,
    );
  const points = toPoints(x);
  const seeds = createRandom(options.seed, STREAM.restarts);
  let best: KMeansFit | null = null;
  for (let r = 0; r < options.restarts; r++) {
    const result = kmeans(points, k, {
      initialization: 'kmeans++',
      seed: seeds.uint32(),
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
    });
    const centroids = new Float64Array(k * x.d);
    for (let c = 0; c < k; c++) centroids.set(result.centroids[c]!, c * x.d);
    const inertia = inertiaOf(x, centroids, k);
    if (best === null || inertia < best.inertia)
      best = { k, centroids, inertia, iterations: result.iterations };
  }
  return best!;
}
