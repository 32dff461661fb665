/**
 * Gradient histograms: per feature and bin, the sums of the gradients, the hessians and the row count
 * of a node's rows. One histogram (all features) fills a slot of a pool; a node's rows are positions
 * [start, end) of `rows`, with their gradient and hessian stored by position beside them.
 */

/** Numbers per bin: gradient sum, hessian sum, rows. */
export const STRIDE = 3;

export interface HistogramData {
  readonly codes: readonly Uint8Array[];
  /** Per feature, its first bin in a histogram; offsets[nFeatures] = bins in all. */
  readonly offsets: Int32Array;
  /** Training row at each position. */
  readonly rows: Uint32Array;
  /** By position: gradient at 2i, hessian at 2i + 1. */
  readonly gh: Float64Array;
  /** Histogram slots, each offsets[nFeatures] · STRIDE numbers. */
  readonly pool: Float64Array;
}

/** Bin offsets of features whose missing bin is valueBins[f] (so valueBins[f] + 1 bins each). */
export function binOffsets(valueBins: Int32Array): Int32Array {
  const offsets = new Int32Array(valueBins.length + 1);
  for (let f = 0; f < valueBins.length; f++) offsets[f + 1] = offsets[f]! + valueBins[f]! + 1;
  return offsets;
}

/**
 * Fills feature f's part of slot `into` from positions [start, end); when `from` >= 0, also subtracts
 * it from slot `from` (the parent's histogram becomes the sibling's). Each feature is always built by
 * this one loop, whichever thread runs it, so histograms do not depend on the thread count.
 */
export function buildFeature(
  d: HistogramData,
  f: number,
  start: number,
  end: number,
  into: number,
  from: number,
): void {
  const { codes, offsets, rows, gh, pool } = d;
  const slotSize = offsets[offsets.length - 1]! * STRIDE;
  const base = into * slotSize + offsets[f]! * STRIDE;
  const size = (offsets[f + 1]! - offsets[f]!) * STRIDE;
  pool.fill(0, base, base + size);
  const code = codes[f]!;
  for (let i = start; i < end; i++) {
    const k = base + code[rows[i]!]! * STRIDE;
    const j = i << 1;
    pool[k]! += gh[j]!;
    pool[k + 1]! += gh[j + 1]!;
    pool[k + 2]!++;
  }
  if (from < 0) return;
  const parent = from * slotSize + offsets[f]! * STRIDE;
  for (let k = 0; k < size; k++) pool[parent + k]! -= pool[base + k]!;
}
