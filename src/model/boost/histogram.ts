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

/** Features whose histograms one pass over the rows fills (the rows and gradients are read once). */
export const GROUP = 4;

function clear(pool: Float64Array, d: HistogramData, slotBase: number, f: number): number {
  const base = slotBase + d.offsets[f]! * STRIDE;
  pool.fill(0, base, base + (d.offsets[f + 1]! - d.offsets[f]!) * STRIDE);
  return base;
}

function subtract(d: HistogramData, f: number, into: number, from: number, slotSize: number): void {
  const { offsets, pool } = d;
  const base = into * slotSize + offsets[f]! * STRIDE;
  const parent = from * slotSize + offsets[f]! * STRIDE;
  const size = (offsets[f + 1]! - offsets[f]!) * STRIDE;
  for (let k = 0; k < size; k++) pool[parent + k]! -= pool[base + k]!;
}

/**
 * Adds positions [start, end) to the bins of four features at once (the row and its gradient are read
 * once). The loops live in functions of their own that end with the loop: V8 compiles a long first
 * loop on the fly (on-stack replacement), and code after such a loop that had not run yet would send
 * every later call back to the interpreter.
 */
function addRows4(
  pool: Float64Array,
  rows: Uint32Array,
  gh: Float64Array,
  start: number,
  end: number,
  c0: Uint8Array,
  b0: number,
  c1: Uint8Array,
  b1: number,
  c2: Uint8Array,
  b2: number,
  c3: Uint8Array,
  b3: number,
): void {
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    const g = gh[i << 1]!;
    const h = gh[(i << 1) + 1]!;
    let k = b0 + c0[row]! * STRIDE;
    pool[k]! += g;
    pool[k + 1]! += h;
    pool[k + 2]!++;
    k = b1 + c1[row]! * STRIDE;
    pool[k]! += g;
    pool[k + 1]! += h;
    pool[k + 2]!++;
    k = b2 + c2[row]! * STRIDE;
    pool[k]! += g;
    pool[k + 1]! += h;
    pool[k + 2]!++;
    k = b3 + c3[row]! * STRIDE;
    pool[k]! += g;
    pool[k + 1]! += h;
    pool[k + 2]!++;
  }
}

/** Adds positions [start, end) to the bins of one feature (see addRows4). */
function addRows1(
  pool: Float64Array,
  rows: Uint32Array,
  gh: Float64Array,
  start: number,
  end: number,
  code: Uint8Array,
  base: number,
): void {
  for (let i = start; i < end; i++) {
    const k = base + code[rows[i]!]! * STRIDE;
    pool[k]! += gh[i << 1]!;
    pool[k + 1]! += gh[(i << 1) + 1]!;
    pool[k + 2]!++;
  }
}

/**
 * Fills the histograms of features[j], j in [j0, j1) (at most GROUP), in slot `into` from positions
 * [start, end); when `from` >= 0, also subtracts them from slot `from` (the parent's histogram becomes
 * the sibling's). A feature's bins receive the same additions in the same order whichever group or
 * thread fills them, so histograms do not depend on the thread count.
 */
export function buildGroup(
  d: HistogramData,
  features: Int32Array,
  j0: number,
  j1: number,
  start: number,
  end: number,
  into: number,
  from: number,
): void {
  const { codes, rows, gh, pool } = d;
  const slotSize = d.offsets[d.offsets.length - 1]! * STRIDE;
  const slotBase = into * slotSize;
  if (j1 - j0 === GROUP) {
    const f0 = features[j0]!;
    const f1 = features[j0 + 1]!;
    const f2 = features[j0 + 2]!;
    const f3 = features[j0 + 3]!;
    addRows4(
      pool,
      rows,
      gh,
      start,
      end,
      codes[f0]!,
      clear(pool, d, slotBase, f0),
      codes[f1]!,
      clear(pool, d, slotBase, f1),
      codes[f2]!,
      clear(pool, d, slotBase, f2),
      codes[f3]!,
      clear(pool, d, slotBase, f3),
    );
  } else {
    for (let j = j0; j < j1; j++) {
      const f = features[j]!;
      addRows1(pool, rows, gh, start, end, codes[f]!, clear(pool, d, slotBase, f));
    }
  }
  if (from >= 0) for (let j = j0; j < j1; j++) subtract(d, features[j]!, into, from, slotSize);
}
