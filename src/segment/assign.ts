/**
 * Assigning every row of a frame to its nearest centre, in blocks of rows scaled feature by feature
 * (memory does not grow with n × d, and each feature's scaling is decided once per block, not per
 * value). The same pass sums the scaled features per segment, which the profiles' z-scores need.
 */
import type { NumericColumn } from '../frame.js';
import { nearestCentroid } from './kmeans.js';
import { type Scaler, scaled } from './scale.js';

const BLOCK_ROWS = 4096;

export interface FrameAssignment {
  readonly assignment: Int32Array;
  /** Within-segment sum of squared scaled distances over all rows. */
  readonly inertia: number;
  /** Sum of each scaled feature over each segment's rows, row-major k × d, added in row order. */
  readonly sums: Float64Array;
  readonly sizes: Int32Array;
  /** Sum of each scaled feature over all rows, added in row order. */
  readonly total: Float64Array;
}

/** Rows [from, to) scaled into `out`, row-major: `scaleValue` of every value, one feature at a time. */
export function scaleBlock(
  scaler: Scaler,
  cols: readonly NumericColumn[],
  from: number,
  to: number,
  out: Float64Array,
): void {
  const d = scaler.features.length;
  for (let j = 0; j < d; j++) {
    const c = cols[j]!;
    const log = scaler.log[j]!;
    const mean = scaler.means[j]!;
    const std = scaler.stds[j]!;
    for (let i = from; i < to; i++) out[(i - from) * d + j] = scaled(c[i]!, log, mean, std);
  }
}

export function assignFrame(
  scaler: Scaler,
  cols: readonly NumericColumn[],
  n: number,
  centroids: Float64Array,
  k: number,
): FrameAssignment {
  const d = scaler.features.length;
  const block = new Float64Array(Math.min(n, BLOCK_ROWS) * d);
  const assignment = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  const total = new Float64Array(d);
  let inertia = 0;
  for (let from = 0; from < n; from += BLOCK_ROWS) {
    const to = Math.min(n, from + BLOCK_ROWS);
    scaleBlock(scaler, cols, from, to, block);
    for (let r = 0; r < to - from; r++) {
      const c = nearestCentroid(block, r * d, d, centroids, k);
      assignment[from + r] = c;
      sizes[c]!++;
      for (let j = 0; j < d; j++) {
        const v = block[r * d + j]!;
        const diff = v - centroids[c * d + j]!;
        inertia += diff * diff;
        sums[c * d + j]! += v;
        total[j]! += v;
      }
    }
  }
  return { assignment, inertia, sums, sizes, total };
}
