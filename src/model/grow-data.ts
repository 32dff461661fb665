/**
 * What a tree grows from: the binned training rows (GrowData) and the scratch buffers one thread
 * reuses from tree to tree (GrowScratch). Shared by the tree grower (grow.ts) and its split search
 * (split-search.ts).
 */
export interface GrowData {
  readonly nRows: number;
  readonly codes: readonly Uint8Array[];
  /** Value bins per feature; the missing bin of feature f is valueBins[f]. */
  readonly valueBins: Int32Array;
  /** Per feature, the upper edge of each value bin but the last (bins.ts). */
  readonly edges: readonly Float64Array[];
  readonly y: Uint8Array;
}

/** Scratch buffers reused from tree to tree (one set per thread). */
export interface GrowScratch {
  readonly counts: Int32Array;
  /** Per position in `rows` (moved with them): the row's weight and its weight if class 1, else 0. */
  readonly weight: Float64Array;
  readonly weight1: Float64Array;
  readonly rows: Uint32Array;
  readonly hw: Float64Array;
  readonly h1: Float64Array;
  readonly hc: Int32Array;
  readonly touched: Int32Array;
  readonly features: Int32Array;
}

export function createScratch(nRows: number, nFeatures: number): GrowScratch {
  return {
    counts: new Int32Array(nRows),
    weight: new Float64Array(nRows),
    weight1: new Float64Array(nRows),
    rows: new Uint32Array(nRows),
    hw: new Float64Array(256),
    h1: new Float64Array(256),
    hc: new Int32Array(256),
    touched: new Int32Array(256),
    features: new Int32Array(nFeatures),
  };
}
