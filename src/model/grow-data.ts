/**
 * What a tree grows from: the binned training rows (GrowData) and the scratch buffers one thread
 * reuses from tree to tree (GrowScratch). Shared by the tree grower (grow.ts) and its split search
 * (split-search.ts).
 */
export interface GrowData {
  readonly nRows: number;
  readonly codes: readonly Uint8Array[];
  /** The same codes row-major (bins.ts rowMajorCodes), read by small nodes; null for very large tables. */
  readonly rowCodes: Uint8Array | null;
  /** Value bins per feature; the missing bin of feature f is valueBins[f]. */
  readonly valueBins: Int32Array;
  /** Per feature, the upper edge of each value bin but the last (bins.ts). */
  readonly edges: readonly Float64Array[];
  readonly y: Uint8Array;
}

/**
 * A row's bootstrap draws packed into one double, so a histogram bin gathers a node's rows with one
 * addition: 1 (the row itself) times COUNT_UNIT, plus its draws times CLASS1_UNIT if it is churn, else
 * times 1. Each field holds up to 2^17 - 1, so a node drawn fewer than PACKED_MAX_DRAWS times sums
 * exactly (3 × 17 bits < 53).
 */
export const CLASS1_UNIT = 2 ** 17;
export const COUNT_UNIT = 2 ** 34;
export const PACKED_MAX_DRAWS = 2 ** 17;

/** Scratch buffers reused from tree to tree (one set per thread). */
export interface GrowScratch {
  /** Bootstrap draws per row. */
  readonly counts: Int32Array;
  /** In-bag rows; a node owns a contiguous range, ascending by row. */
  readonly rows: Uint32Array;
  /** Per position in `rows` (moved with them): the row's packed draws (COUNT_UNIT, CLASS1_UNIT). */
  readonly packed: Float64Array;
  /** Where a partition puts the right-going rows before copying them back. */
  readonly spareRows: Uint32Array;
  readonly sparePacked: Float64Array;
  /** Per bin: packed sum (small nodes). */
  readonly hp: Float64Array;
  /** Per bin: rows, and draws of class 0 at 2b and class 1 at 2b + 1. */
  readonly hc: Float64Array;
  readonly h01: Float64Array;
  /** Bins seen in a node, then the same in ascending order. */
  readonly touched: Int32Array;
  readonly seen: Int32Array;
  readonly features: Int32Array;
}

export function createScratch(nRows: number, nFeatures: number): GrowScratch {
  return {
    counts: new Int32Array(nRows),
    rows: new Uint32Array(nRows),
    packed: new Float64Array(nRows),
    spareRows: new Uint32Array(nRows),
    sparePacked: new Float64Array(nRows),
    hp: new Float64Array(256),
    hc: new Float64Array(256),
    h01: new Float64Array(512),
    touched: new Int32Array(256),
    seen: new Int32Array(8),
    features: new Int32Array(nFeatures),
  };
}
