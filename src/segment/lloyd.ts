/**
 * Lloyd's k-means iterations with Hamerly's bounds (G. Hamerly, "Making k-means even faster", SDM 2010).
 *
 * Each row keeps an upper bound on its distance to its own centre and a lower bound on its distance to
 * every other centre. After the centres move, the bounds move by as much; a row whose upper bound stays
 * below both its lower bound and half the distance from its centre to the nearest other centre cannot
 * change segment, so its k distances are not computed. Late iterations, where few rows move, then cost
 * O(n) instead of O(n · k · d).
 *
 * The result is Lloyd's (and ml-kmeans's) to the last bit: the same steps (assign, then average each
 * segment's rows in row order, an empty segment keeping its centre), the same stopping rule (no centre
 * moved by more than `tolerance` squared), the first centre winning a tie. A row is only skipped when
 * its bounds clear by a relative margin far above their rounding error; near-ties are computed in full.
 */
import type { ScaledRows } from './scale.js';

export interface LloydOptions {
  readonly maxIterations: number;
  /** Converged when no centre moves by more than this squared distance (scaled units) in an iteration. */
  readonly tolerance: number;
}

export interface LloydRun {
  /** Row-major k × d. */
  readonly centroids: Float64Array;
  /** Assign-and-average steps taken (the last one moved no centre by more than the tolerance, if converged). */
  readonly iterations: number;
  /** Whether the last step moved no centre by more than the tolerance (else maxIterations stopped it). */
  readonly converged: boolean;
}

/** Relative margin a bound must clear by to skip a row: bounds drift by ~1e-16 per update. */
const MARGIN = 1 + 1e-9;

/** Squared distance from row `i` to centre `c`. */
function squared(data: Float64Array, i: number, centres: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = data[i * d + j]! - centres[c * d + j]!;
    s += diff * diff;
  }
  return s;
}

/** Nearest centre of row i (first on a tie) and its bounds, from all k distances. */
function full(x: ScaledRows, i: number, centres: Float64Array, k: number, b: Bounds): void {
  let best = 0;
  let bestSq = Number.POSITIVE_INFINITY;
  let secondSq = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const s = squared(x.data, i, centres, c, x.d);
    if (s < bestSq) {
      secondSq = bestSq;
      bestSq = s;
      best = c;
    } else if (s < secondSq) secondSq = s;
  }
  b.label[i] = best;
  b.upper[i] = Math.sqrt(bestSq);
  b.lower[i] = Math.sqrt(secondSq);
}

interface Bounds {
  readonly label: Int32Array;
  /** Upper bound on the distance of each row to its centre. */
  readonly upper: Float64Array;
  /** Lower bound on the distance of each row to any other centre. */
  readonly lower: Float64Array;
}

/** Half the distance from each centre to its nearest other centre. */
function halfGaps(centres: Float64Array, k: number, d: number, half: Float64Array): void {
  for (let c = 0; c < k; c++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let o = 0; o < k; o++) {
      if (o === c) continue;
      const s = squared(centres, c, centres, o, d);
      if (s < nearest) nearest = s;
    }
    half[c] = Math.sqrt(nearest) / 2;
  }
}

export function lloyd(x: ScaledRows, start: Float64Array, k: number, options: LloydOptions): LloydRun {
  const { n, d, data } = x;
  const centres = Float64Array.from(start);
  const b: Bounds = { label: new Int32Array(n), upper: new Float64Array(n), lower: new Float64Array(n) };
  const { label, upper, lower } = b;
  const half = new Float64Array(k);
  const move = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);

  for (let i = 0; i < n; i++) full(x, i, centres, k, b);
  let iterations = 0;
  for (;;) {
    iterations++;
    if (iterations > 1) {
      halfGaps(centres, k, d, half);
      for (let i = 0; i < n; i++) {
        const bound = Math.max(half[label[i]!]!, lower[i]!);
        if (upper[i]! * MARGIN < bound) continue;
        upper[i] = Math.sqrt(squared(data, i, centres, label[i]!, d));
        if (upper[i]! * MARGIN < bound) continue;
        full(x, i, centres, k, b);
      }
    }

    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = label[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += data[i * d + j]!;
    }
    let converged = true;
    let maxMove = 0;
    let maxAt = -1;
    let secondMove = 0;
    for (let c = 0; c < k; c++) {
      let shift = 0;
      for (let j = 0; j < d; j++) {
        const old = centres[c * d + j]!;
        const v = counts[c]! > 0 ? sums[c * d + j]! / counts[c]! : old;
        centres[c * d + j] = v;
        shift += (v - old) * (v - old);
      }
      if (shift > options.tolerance) converged = false;
      move[c] = Math.sqrt(shift);
      if (move[c]! > maxMove) {
        secondMove = maxMove;
        maxMove = move[c]!;
        maxAt = c;
      } else if (move[c]! > secondMove) secondMove = move[c]!;
    }
    if (converged || iterations >= options.maxIterations)
      return { centroids: centres, iterations, converged };
    for (let i = 0; i < n; i++) {
      const c = label[i]!;
      upper[i]! += move[c]!;
      lower[i]! -= c === maxAt ? secondMove : maxMove;
    }
  }
}
