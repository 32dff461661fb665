/**
 * Exclusive feature bundling (the idea of LightGBM's EFB, with no conflicts allowed, so it loses
 * nothing): features that are almost always at one bin, their "default" bin (one-hot columns, flags,
 * rare counts), and whose other bins never occur on the same row, share one byte per row and one pass
 * over the rows. The bundle's code for a row says which of its features is off its default bin and at
 * which bin; rows where all of them are at their default go to a spare bin. After the pass, a bundled
 * feature's default bin is the node's total minus its other bins.
 *
 * The layout of a histogram slot follows the build units: a unit is one feature on its own codes, or
 * a bundle whose features' bins lie side by side with the spare bin after them, so a bundle code is
 * the bin's place in the unit. Split search reads every feature at its own offset, as without bundles.
 * Bundles are a training-time thing: the trees split on the original features.
 *
 * Features of few bins left alone (flags, small counts) are crossed: a crossed unit's code is the
 * combination of its features' bins (a flag's 3 bins times a count's 33 make 99 codes), so one pass
 * over a large node's rows fills the combinations, and each feature's own bins are then summed from
 * them (histogram.ts; a small node's features are built one by one, as the combinations would cost
 * more than its rows). That too loses nothing but rounding, which can tip an exact tie between two
 * splits. On the generated operators' tables it cut a large node's passes over its rows from 55 to 37
 * (2% churn) and from 54 to 36 (20% churn).
 */

/** Bins one unit may span: a bundle's or crossed unit's code is a byte. */
export const UNIT_BINS = 256;
/** Bundles a feature is tried against before it stays alone (bounds the planning time). */
const MAX_TRIES = 16;

export interface HistogramLayout {
  /** Per feature, its first bin in a slot; a feature spans valueBins[f] + 1 bins (the missing bin last). */
  readonly offsets: Int32Array;
  /** Bins per slot. */
  readonly slotBins: number;
  /**
   * Build units: unit f < nFeatures is feature f alone on its own codes; units from nFeatures on are
   * the bundles. Per unit its codes, its first bin and its bins.
   */
  readonly unitCodes: readonly Uint8Array[];
  readonly unitBase: Int32Array;
  readonly unitBins: Int32Array;
  /** Features of unit u whose default bin is derived: derived[derivedStart[u] .. derivedStart[u + 1]). */
  readonly derivedStart: Int32Array;
  readonly derived: Int32Array;
  readonly defaultBin: Int32Array;
  /**
   * Per unit, the combinations of a crossed unit's bins (0 for other units). They are counted in a
   * scratch histogram while a node is built, not kept in the slot, whose unit spans only its features'
   * own bins.
   */
  readonly combinations: Int32Array;
  /**
   * Features of crossed unit u, its code's digits from the most significant:
   * crossed[crossedStart[u] .. crossedStart[u + 1]).
   */
  readonly crossedStart: Int32Array;
  readonly crossed: Int32Array;
  /** Units that cover every feature once: the bundles, the crossed units and the features left alone. */
  readonly allUnits: Int32Array;
}

/** Per feature, its most frequent bin and how many rows are off it. */
function defaults(codes: readonly Uint8Array[], nRows: number): { bin: Int32Array; off: Int32Array } {
  const bin = new Int32Array(codes.length);
  const off = new Int32Array(codes.length);
  const counts = new Int32Array(UNIT_BINS);
  for (let f = 0; f < codes.length; f++) {
    countBins(codes[f]!, nRows, counts);
    let best = 0;
    for (let b = 1; b < UNIT_BINS; b++) if (counts[b]! > counts[best]!) best = b;
    bin[f] = best;
    off[f] = nRows - counts[best]!;
  }
  return { bin, off };
}

/** Rows per bin (a loop of its own, so it is compiled on its own early). */
function countBins(code: Uint8Array, nRows: number, counts: Int32Array): void {
  counts.fill(0);
  for (let i = 0; i < nRows; i++) counts[code[i]!]!++;
}

interface Bundle {
  readonly features: number[];
  /** Rows some feature of the bundle is off its default on, one bit each. */
  /** Rows some feature of the bundle is off its default on, one bit each; null until a second feature may join. */
  used: Uint32Array | null;
  rows: number;
  bins: number;
}

/** Whether the rows of `mine` are all free in the bundle's `used` (a word of 32 rows at a time). */
function fits(used: Uint32Array, mine: Uint32Array): boolean {
  for (let w = 0; w < mine.length; w++) if ((used[w]! & mine[w]!) !== 0) return false;
  return true;
}

/** One bit per row where the feature is off its default bin. */
function offRows(code: Uint8Array, def: number, out: Uint32Array): Uint32Array {
  out.fill(0);
  for (let i = 0; i < code.length; i++) if (code[i] !== def) out[i >>> 5]! |= 1 << (i & 31);
  return out;
}

/**
 * Greedy bundling, the features with most rows off their default first (as LightGBM orders them): each
 * joins the first bundle it shares no row with and fits in, or starts one. Returns the bundles of two
 * or more features.
 */
function bundle(
  codes: readonly Uint8Array[],
  valueBins: Int32Array,
  nRows: number,
  bin: Int32Array,
  off: Int32Array,
) {
  const order = Array.from(codes.keys()).sort((a, b) => off[b]! - off[a]! || a - b);
  const bundles: Bundle[] = [];
  const words = (nRows + 31) >>> 5;
  const mine = new Uint32Array(words);
  for (const f of order) {
    const bins = valueBins[f]! + 1;
    // A feature never off its default has nothing to share.
    if (off[f] === 0 || bins + 1 > UNIT_BINS) continue;
    // Rows are marked only for features that could share a bundle (dense ones never pass the count).
    let marked = false;
    let into: Bundle | undefined;
    for (let k = 0, tried = 0; k < bundles.length && tried < MAX_TRIES; k++) {
      const b = bundles[k]!;
      if (b.bins + bins + 1 > UNIT_BINS || b.rows + off[f]! > nRows) continue;
      tried++;
      if (!marked) offRows(codes[f]!, bin[f]!, mine);
      marked = true;
      if (!b.used) {
        const first = b.features[0]!;
        b.used = offRows(codes[first]!, bin[first]!, new Uint32Array(words));
      }
      if (fits(b.used, mine)) {
        into = b;
        break;
      }
    }
    if (!into) {
      bundles.push({ features: [f], used: null, rows: off[f]!, bins });
      continue;
    }
    if (!marked) offRows(codes[f]!, bin[f]!, mine);
    const used = into.used!;
    for (let w = 0; w < words; w++) used[w]! |= mine[w]!;
    into.features.push(f);
    into.rows += off[f]!;
    into.bins += bins;
  }
  return bundles.filter((b) => b.features.length > 1).map((b) => b.features.sort((x, y) => x - y));
}

/**
 * Groups of the features left alone whose bins (the missing bin included) multiply to at most a unit's
 * bins, formed first fit, the features of most bins first. Returns the groups of two or more.
 */
function cross(valueBins: Int32Array, alone: readonly number[]): number[][] {
  const order = [...alone].sort((a, b) => valueBins[b]! - valueBins[a]! || a - b);
  const groups: { features: number[]; bins: number }[] = [];
  for (const f of order) {
    const bins = valueBins[f]! + 1;
    if (2 * bins > UNIT_BINS) continue;
    const into = groups.find((g) => g.bins * bins <= UNIT_BINS);
    if (into) {
      into.features.push(f);
      into.bins *= bins;
    } else groups.push({ features: [f], bins });
  }
  return groups.filter((g) => g.features.length > 1).map((g) => g.features.sort((x, y) => x - y));
}

/** A crossed unit's code per row: its features' bins as the digits of one number. */
function crossCodes(
  codes: readonly Uint8Array[],
  valueBins: Int32Array,
  features: readonly number[],
  out: Uint8Array,
): void {
  out.fill(0);
  for (const f of features) {
    const bins = valueBins[f]! + 1;
    const c = codes[f]!;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * bins + c[i]!;
  }
}

/**
 * The layout of the histograms of binned features; with `sharing`, exclusive features share units
 * and features of few bins are crossed. With `shared`, the units' codes live in SharedArrayBuffers
 * for the worker threads.
 */
export function planHistograms(
  codes: readonly Uint8Array[],
  valueBins: Int32Array,
  nRows: number,
  sharing: boolean,
  shared = false,
): HistogramLayout {
  const nF = codes.length;
  const { bin, off } = sharing
    ? defaults(codes, nRows)
    : { bin: new Int32Array(nF), off: new Int32Array(nF) };
  const bundles = sharing ? bundle(codes, valueBins, nRows, bin, off) : [];
  const inGroup = new Uint8Array(nF);
  for (const g of bundles) for (const f of g) inGroup[f] = 1;
  const crosses = sharing
    ? cross(
        valueBins,
        Array.from(codes.keys()).filter((f) => !inGroup[f]),
      )
    : [];
  for (const g of crosses) for (const f of g) inGroup[f] = 1;
  const nU = nF + bundles.length + crosses.length;
  const offsets = new Int32Array(nF);
  const unitCodes: Uint8Array[] = [...codes];
  const unitBase = new Int32Array(nU);
  const unitBins = new Int32Array(nU);
  const combinations = new Int32Array(nU);
  const derivedStart = new Int32Array(nU + 1);
  const crossedStart = new Int32Array(nU + 1);
  const allUnits: number[] = [];
  const newCodes = () => (shared ? new Uint8Array(new SharedArrayBuffer(nRows)) : new Uint8Array(nRows));
  let next = 0;
  for (let f = 0; f < nF; f++) {
    if (inGroup[f]) continue;
    offsets[f] = next;
    next += valueBins[f]! + 1;
    allUnits.push(f);
  }
  bundles.forEach((g, k) => {
    const u = nF + k;
    const base = next;
    const spare = g.reduce((s, f) => s + valueBins[f]! + 1, 0);
    // Rows at every feature's default go to the spare bin, after the features' bins.
    const code = newCodes();
    code.fill(spare);
    for (const f of g) {
      offsets[f] = next;
      const local = next - base;
      const c = codes[f]!;
      const def = bin[f]!;
      for (let i = 0; i < nRows; i++) if (c[i] !== def) code[i] = local + c[i]!;
      next += valueBins[f]! + 1;
    }
    next++;
    unitCodes.push(code);
    unitBase[u] = base;
    unitBins[u] = next - base;
    allUnits.push(u);
  });
  crosses.forEach((g, k) => {
    const u = nF + bundles.length + k;
    const base = next;
    for (const f of g) {
      offsets[f] = next;
      next += valueBins[f]! + 1;
    }
    combinations[u] = g.reduce((p, f) => p * (valueBins[f]! + 1), 1);
    const code = newCodes();
    crossCodes(codes, valueBins, g, code);
    unitCodes.push(code);
    unitBase[u] = base;
    unitBins[u] = next - base;
    allUnits.push(u);
  });
  // A feature alone is its own unit at its offset (used when a tree draws a subset of the features).
  for (let f = 0; f < nF; f++) {
    unitBase[f] = offsets[f]!;
    unitBins[f] = valueBins[f]! + 1;
  }
  const derived: number[] = [];
  const crossed: number[] = [];
  for (let u = 0; u < nU; u++) {
    const k = u - nF;
    if (k >= 0 && k < bundles.length) for (const f of bundles[k]!) derived.push(f);
    if (k >= bundles.length) for (const f of crosses[k - bundles.length]!) crossed.push(f);
    derivedStart[u + 1] = derived.length;
    crossedStart[u + 1] = crossed.length;
  }
  return {
    offsets,
    slotBins: next,
    unitCodes,
    unitBase,
    unitBins,
    derivedStart,
    derived: Int32Array.from(derived),
    defaultBin: bin,
    combinations,
    crossedStart,
    crossed: Int32Array.from(crossed),
    allUnits: Int32Array.from(allUnits),
  };
}
