/**
 * Quantile binning: every feature value becomes one byte, so split search works on small histograms
 * instead of re-sorting rows. Missing values (NaN) get the last bin of their feature.
 */
import { sortNumbers } from '../radix-sort.js';
import { createRandom } from '../random.js';
import type { FeatureMatrix } from './types.js';

/** Rows used to find the quantiles; above it a seeded sample is enough (edges move by < 1/sample). */
export const QUANTILE_SAMPLE_ROWS = 200_000;

export interface BinnedFeatures {
  readonly nRows: number;
  readonly names: readonly string[];
  /** Per feature, one bin code per row (column-major). */
  readonly codes: readonly Uint8Array[];
  /**
   * Per feature, the upper edges of the value bins: value v goes to the first bin b with v <= edges[b],
   * or to the last value bin. Value bins are 0..edges.length; the missing bin is edges.length + 1.
   */
  readonly edges: readonly Float64Array[];
}

/** Number of value bins of a feature (the missing bin comes right after them). */
export function valueBins(edges: Float64Array): number {
  return edges.length + 1;
}

/**
 * Edges between the distinct values when they are few (each value its own bin, split halfway as
 * scikit-learn does), otherwise at quantiles of the sorted (sampled) values.
 */
export function findEdges(
  column: Float64Array,
  maxValueBins: number,
  seed: number,
  stream: number,
): Float64Array {
  const n = column.length;
  let sample: Float64Array;
  if (n > QUANTILE_SAMPLE_ROWS) {
    const random = createRandom(seed, stream);
    sample = new Float64Array(QUANTILE_SAMPLE_ROWS);
    let k = 0;
    for (let i = 0; i < QUANTILE_SAMPLE_ROWS; i++) {
      const v = column[random.int(n)]!;
      if (!Number.isNaN(v)) sample[k++] = v;
    }
    sample = sample.subarray(0, k);
  } else {
    sample = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const v = column[i]!;
      if (!Number.isNaN(v)) sample[k++] = v;
    }
    sample = sample.subarray(0, k);
  }
  const m = sample.length;
  const few = distinctUpTo(sample, maxValueBins);
  const edges: number[] = [];
  if (few !== null) {
    for (let i = 1; i < few.length; i++) edges.push((few[i - 1]! + few[i]!) / 2);
    return Float64Array.from(edges);
  }
  sortNumbers(sample);
  for (let b = 1; b < maxValueBins; b++) {
    const pos = (b * (m - 1)) / maxValueBins;
    const lo = Math.floor(pos);
    const a = sample[lo]!;
    const c = sample[Math.min(lo + 1, m - 1)]!;
    const q = a + (c - a) * (pos - lo);
    // The top of the range stays open: an edge at the maximum would leave an empty last bin.
    if (q < sample[m - 1]! && (edges.length === 0 || q > edges[edges.length - 1]!)) edges.push(q);
  }
  return Float64Array.from(edges);
}

/**
 * The distinct values of `sample`, ascending, when there are at most `limit`; otherwise null (found
 * without sorting: a column of a few codes needs no sort, a continuous one stops after limit + 1 values).
 * -0 and +0 count as one value, as the sorted walk counted them; every edge averages zero with a nonzero
 * value, so which zero is kept does not change an edge.
 */
function distinctUpTo(sample: Float64Array, limit: number): Float64Array | null {
  const seen = new Set<number>();
  for (let i = 0; i < sample.length; i++) {
    seen.add(sample[i]!);
    if (seen.size > limit) return null;
  }
  return Float64Array.from(seen).sort();
}

/** Bin code of one value: binary search over the edges; NaN goes to the missing bin. */
export function binOf(edges: Float64Array, v: number): number {
  if (Number.isNaN(v)) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Grid cells over a column's edge range: a value's cell gives its bin to within a step or two. */
const GRID_CELLS = 4096;

/**
 * binOf for a whole column: the value's cell in a uniform grid over [first edge, last edge] gives the
 * bins at the cell's ends, a binary search between them (usually one or two bins apart) the bin, and a
 * final check against the neighbouring edges makes it exactly binOf's answer whatever the rounding.
 */
export function binColumn(edges: Float64Array, column: Float64Array, out: Uint8Array): void {
  const n = column.length;
  const nE = edges.length;
  const missing = nE + 1;
  const lo = nE > 0 ? edges[0]! : 0;
  const hi = nE > 0 ? edges[nE - 1]! : 0;
  const inv = GRID_CELLS / (hi - lo);
  if (nE < 8 || !Number.isFinite(inv) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    for (let i = 0; i < n; i++) out[i] = binOf(edges, column[i]!);
    return;
  }
  const start = new Int32Array(GRID_CELLS + 1);
  for (let c = 0; c <= GRID_CELLS; c++) start[c] = binOf(edges, lo + (hi - lo) * (c / GRID_CELLS));
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    if (!(v > lo)) {
      out[i] = v <= lo ? 0 : missing;
      continue;
    }
    if (v > hi) {
      out[i] = nE;
      continue;
    }
    const cell = Math.min(GRID_CELLS - 1, Math.floor((v - lo) * inv));
    let a = Math.max(0, start[cell]! - 1);
    let z = Math.min(nE - 1, start[cell + 1]!);
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (v <= edges[mid]!) z = mid;
      else a = mid + 1;
    }
    while (a > 0 && v <= edges[a - 1]!) a--;
    while (a < nE && !(v <= edges[a]!)) a++;
    out[i] = a;
  }
}

/**
 * Bins every feature into at most `maxBins` codes (the missing bin included). With `shared`, the codes
 * live in SharedArrayBuffers so worker threads read them without copies.
 */
export function binFeatures(X: FeatureMatrix, maxBins: number, seed: number, shared = false): BinnedFeatures {
  const codes: Uint8Array[] = [];
  const edges: Float64Array[] = [];
  for (let f = 0; f < X.columns.length; f++) {
    const column = X.columns[f]!;
    const e = findEdges(column, maxBins - 1, seed, f);
    const out = shared ? new Uint8Array(new SharedArrayBuffer(X.nRows)) : new Uint8Array(X.nRows);
    binColumn(e, column.subarray(0, X.nRows), out);
    codes.push(out);
    edges.push(e);
  }
  return { nRows: X.nRows, names: X.names, codes, edges };
}

/** Codes of other rows (validation rows, say) on edges found before (binFeatures). */
export function binOnEdges(X: FeatureMatrix, edges: readonly Float64Array[]): Uint8Array[] {
  return X.columns.map((column, f) => {
    const out = new Uint8Array(X.nRows);
    binColumn(edges[f]!, column.subarray(0, X.nRows), out);
    return out;
  });
}

/**
 * The same codes row-major (row i's features at i·F..i·F+F-1): a small tree node reads a few cache
 * lines per row whatever feature it tries, where the column-major codes cost a line per row and feature.
 */
export function rowMajorCodes(codes: readonly Uint8Array[], nRows: number, shared = false): Uint8Array {
  const nF = codes.length;
  const size = nRows * nF;
  const out = shared ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size);
  // Blocks of rows, so the columns' slices and the block's output stay cached while transposing.
  const BLOCK = 4096;
  for (let a = 0; a < nRows; a += BLOCK) {
    const b = Math.min(nRows, a + BLOCK);
    for (let f = 0; f < nF; f++) {
      const col = codes[f]!;
      for (let i = a, j = a * nF + f; i < b; i++, j += nF) out[j] = col[i]!;
    }
  }
  return out;
}
