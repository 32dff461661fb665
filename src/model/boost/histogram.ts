/**
 * Gradient histograms: per feature and bin, the sums of the gradients, the hessians and the row count
 * of a node's rows. One histogram (all features) fills a slot of a pool; a node's rows are positions
 * [start, end) of `rows`, with their gradient and hessian stored by position beside them.
 */
import { type HistogramLayout, UNIT_BINS } from './bundle.js';

/** Numbers per bin: gradient sum, hessian sum, rows. */
export const STRIDE = 3;

export interface HistogramData {
  /** Where each feature's bins lie in a slot, and the units that build them (see bundle.ts). */
  readonly layout: HistogramLayout;
  /** Value bins per feature; the missing bin of feature f is valueBins[f]. */
  readonly valueBins: Int32Array;
  /** Training row at each position. */
  readonly rows: Uint32Array;
  /** By position: gradient at 2i, hessian at 2i + 1. */
  readonly gh: Float64Array;
  /** Histogram slots, each layout.slotBins · STRIDE numbers. */
  readonly pool: Float64Array;
}

/** Units whose histograms one pass over the rows fills (the rows and gradients are read once). */
export const GROUP = 4;

function clear(pool: Float64Array, l: HistogramLayout, slotBase: number, u: number): number {
  const base = slotBase + l.unitBase[u]! * STRIDE;
  pool.fill(0, base, base + l.unitBins[u]! * STRIDE);
  return base;
}

function subtract(
  pool: Float64Array,
  l: HistogramLayout,
  u: number,
  into: number,
  from: number,
  slotSize: number,
): void {
  const base = into * slotSize + l.unitBase[u]! * STRIDE;
  const parent = from * slotSize + l.unitBase[u]! * STRIDE;
  const size = l.unitBins[u]! * STRIDE;
  // A bin no row of the child fell in is all zeros (see deriveDefaults): the parent's stays as it is.
  for (let k = 0; k < size; k += STRIDE) {
    if (pool[base + k + 2] === 0) continue;
    pool[parent + k]! -= pool[base + k]!;
    pool[parent + k + 1]! -= pool[base + k + 1]!;
    pool[parent + k + 2]! -= pool[base + k + 2]!;
  }
}

/**
 * A bundle's features' default bins, which no row was added to: the node's total (every bin of the
 * unit, the spare one included) minus the feature's other bins. An empty bin stays all zeros, as an
 * empty bin of a feature built alone is.
 */
function deriveDefaults(pool: Float64Array, d: HistogramData, u: number, slotBase: number): void {
  const l = d.layout;
  const first = l.derivedStart[u]!;
  const last = l.derivedStart[u + 1]!;
  if (first === last) return;
  const base = slotBase + l.unitBase[u]! * STRIDE;
  const [G, H, C] = binSums(pool, base, l.unitBins[u]!);
  for (let j = first; j < last; j++) {
    const f = l.derived[j]!;
    const fb = slotBase + l.offsets[f]! * STRIDE;
    const [g, h, c] = binSums(pool, fb, d.valueBins[f]! + 1);
    const k = fb + l.defaultBin[f]! * STRIDE;
    // No row at the default: its sums are zero, not what rounding leaves of the difference.
    const none = C === c;
    pool[k] = none ? 0 : G - g;
    pool[k + 1] = none ? 0 : H - h;
    pool[k + 2] = C - c;
  }
}

/** Digits of a combination of a crossed unit's bins (at most 8 features: each has 2 bins or more). */
const digits = new Int32Array(8);

/**
 * A crossed unit's combinations, counted at `at` in `combos`, summed into its features' own bins in the
 * slot at slotBase (cleared before). A combination no row fell in adds nothing, so a feature's empty
 * bin stays all zeros, as it is when built alone.
 */
function sumCrossed(
  pool: Float64Array,
  d: HistogramData,
  u: number,
  slotBase: number,
  combos: Float64Array,
  at: number,
): void {
  const l = d.layout;
  const first = l.crossedStart[u]!;
  const k = l.crossedStart[u + 1]! - first;
  const end = at + l.combinations[u]! * STRIDE;
  digits.fill(0, 0, k);
  for (; at < end; at += STRIDE) {
    if (combos[at + 2] !== 0) {
      const g = combos[at]!;
      const h = combos[at + 1]!;
      const c = combos[at + 2]!;
      for (let j = 0; j < k; j++) {
        const b = slotBase + (l.offsets[l.crossed[first + j]!]! + digits[j]!) * STRIDE;
        pool[b]! += g;
        pool[b + 1]! += h;
        pool[b + 2]! += c;
      }
    }
    // The next combination: the last digit turns fastest.
    for (let j = k - 1; j >= 0; j--) {
      if (++digits[j]! <= d.valueBins[l.crossed[first + j]!]!) break;
      digits[j] = 0;
    }
  }
}

function binSums(pool: Float64Array, base: number, bins: number): [number, number, number] {
  let g = 0;
  let h = 0;
  let c = 0;
  for (let k = base, e = base + bins * STRIDE; k < e; k += STRIDE) {
    g += pool[k]!;
    h += pool[k + 1]!;
    c += pool[k + 2]!;
  }
  return [g, h, c];
}

/**
 * Adds positions [start, end) to the bins of four features at once (the row and its gradient are read
 * once). The loops live in functions of their own that end with the loop: V8 compiles a long first
 * loop on the fly (on-stack replacement), and code after such a loop that had not run yet would send
 * every later call back to the interpreter.
 */
function addRows4(
  rows: Uint32Array,
  gh: Float64Array,
  start: number,
  end: number,
  t0: Float64Array,
  c0: Uint8Array,
  b0: number,
  t1: Float64Array,
  c1: Uint8Array,
  b1: number,
  t2: Float64Array,
  c2: Uint8Array,
  b2: number,
  t3: Float64Array,
  c3: Uint8Array,
  b3: number,
): void {
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    const g = gh[i << 1]!;
    const h = gh[(i << 1) + 1]!;
    let k = b0 + c0[row]! * STRIDE;
    t0[k]! += g;
    t0[k + 1]! += h;
    t0[k + 2]!++;
    k = b1 + c1[row]! * STRIDE;
    t1[k]! += g;
    t1[k + 1]! += h;
    t1[k + 2]!++;
    k = b2 + c2[row]! * STRIDE;
    t2[k]! += g;
    t2[k + 1]! += h;
    t2[k + 2]!++;
    k = b3 + c3[row]! * STRIDE;
    t3[k]! += g;
    t3[k + 1]! += h;
    t3[k + 2]!++;
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
 * Whether a node of `rows` rows fills crossed unit u's combinations in one pass, rather than each of
 * its k features in a pass of its own: one pass saves k − 1 passes over the rows, and costs clearing
 * and summing the combinations.
 */
export function crossedPass(l: HistogramLayout, u: number, rows: number): boolean {
  const k = l.crossedStart[u + 1]! - l.crossedStart[u]!;
  return (k - 1) * rows >= 2 * l.combinations[u]!;
}

/** Combinations of the crossed units of the group a thread is building (GROUP units at most). */
const combos = new Float64Array(GROUP * UNIT_BINS * STRIDE);

/**
 * One build's passes over the rows, at most 8 a unit: each adds every row, by the codes of unit
 * `passUnit` (a feature alone is its own unit), to bin `passBase + code · STRIDE` of the slot pool, or
 * of `combos` where `passIn` is 1. Numbers only, so nothing of a fit outlives it.
 */
const passIn = new Uint8Array(GROUP * 8);
const passUnit = new Int32Array(GROUP * 8);
const passBase = new Int32Array(GROUP * 8);

/**
 * Fills the histograms of units[j], j in [j0, j1) (at most GROUP), in slot `into` from positions
 * [start, end); when `from` >= 0, also subtracts them from slot `from` (the parent's histogram becomes
 * the sibling's). A unit's bins receive the same additions in the same order whichever group or
 * thread fills them, so histograms do not depend on the thread count.
 */
export function buildGroup(
  d: HistogramData,
  units: Int32Array,
  j0: number,
  j1: number,
  start: number,
  end: number,
  into: number,
  from: number,
): void {
  const { layout: l, rows, gh, pool } = d;
  const codes = l.unitCodes;
  const slotSize = l.slotBins * STRIDE;
  const slotBase = into * slotSize;
  let n = 0;
  const pass = (inCombos: boolean, unit: number, base: number) => {
    passIn[n] = inCombos ? 1 : 0;
    passUnit[n] = unit;
    passBase[n++] = base;
  };
  // Per unit of the group, whether its combinations were filled (to be summed into its features).
  let combined = 0;
  for (let j = j0; j < j1; j++) {
    const u = units[j]!;
    const base = clear(pool, l, slotBase, u);
    if (l.combinations[u] === 0) pass(false, u, base);
    else if (crossedPass(l, u, end - start)) {
      const at = (j - j0) * UNIT_BINS * STRIDE;
      combos.fill(0, at, at + l.combinations[u]! * STRIDE);
      pass(true, u, at);
      combined |= 1 << (j - j0);
    } else
      for (let c = l.crossedStart[u]!; c < l.crossedStart[u + 1]!; c++) {
        const f = l.crossed[c]!;
        pass(false, f, slotBase + l.offsets[f]! * STRIDE);
      }
  }
  const target = (k: number) => (passIn[k] === 1 ? combos : pool);
  let k = 0;
  for (; k + GROUP <= n; k += GROUP)
    addRows4(
      rows,
      gh,
      start,
      end,
      target(k),
      codes[passUnit[k]!]!,
      passBase[k]!,
      target(k + 1),
      codes[passUnit[k + 1]!]!,
      passBase[k + 1]!,
      target(k + 2),
      codes[passUnit[k + 2]!]!,
      passBase[k + 2]!,
      target(k + 3),
      codes[passUnit[k + 3]!]!,
      passBase[k + 3]!,
    );
  for (; k < n; k++) addRows1(target(k), rows, gh, start, end, codes[passUnit[k]!]!, passBase[k]!);
  for (let j = j0; j < j1; j++) {
    const u = units[j]!;
    deriveDefaults(pool, d, u, slotBase);
    if (combined & (1 << (j - j0))) sumCrossed(pool, d, u, slotBase, combos, (j - j0) * UNIT_BINS * STRIDE);
  }
  if (from >= 0) for (let j = j0; j < j1; j++) subtract(pool, l, units[j]!, into, from, slotSize);
}
