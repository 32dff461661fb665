/**
 * Binned rows routed down a grown tree by their bin codes, for the rows a tree was not grown on: a
 * forest's out-of-bag rows (out-of-bag.ts), boosting's left-out and validation rows
 * (boost/binned-walk.ts). The missing bin takes the split's learned direction; a value bin goes left
 * when it is at most the split's bin.
 */
import type { FlatTree } from './grow.js';

/** A grown tree with each split node's bin: both engines' grown trees have this shape. */
export interface BinnedTree {
  readonly tree: FlatTree;
  readonly splitBin: Int32Array;
}

/** Bin codes per feature, and each feature's missing bin (`valueBins[f]`). */
export interface BinnedRows {
  readonly codes: readonly Uint8Array[];
  readonly valueBins: Int32Array;
}

/**
 * Parts the rows at positions [from, to) of `src` at split node `node` into `dst`: those going left
 * from `from` up, those going right from `to` down; returns where the right ones start. Branch-free:
 * a row's way is a 0 or 1 that moves one of the two write positions.
 */
export function partBinned(
  grown: BinnedTree,
  data: BinnedRows,
  node: number,
  src: Int32Array,
  dst: Int32Array,
  from: number,
  to: number,
): number {
  const f = grown.tree.feature[node]!;
  const codes = data.codes[f]!;
  const missing = data.valueBins[f]!;
  const missingLeft = grown.tree.missingLeft[node]! & 1;
  const bin = grown.splitBin[node]!;
  let lo = from;
  let hi = to - 1;
  for (let i = from; i < to; i++) {
    const r = src[i]!;
    const b = codes[r]!;
    const isMissing = +(b === missing);
    const goLeft = (+(b <= bin) & (isMissing ^ 1)) | (missingLeft & isMissing);
    dst[lo] = r;
    dst[hi] = r;
    lo += goLeft;
    hi += goLeft - 1;
  }
  return lo;
}

/** The leaf row `row` reaches from node `start`. */
export function binnedLeaf(grown: BinnedTree, data: BinnedRows, start: number, row: number): number {
  const { feature, left, right, missingLeft } = grown.tree;
  const { splitBin } = grown;
  let node = start;
  let f = feature[node]!;
  while (f >= 0) {
    const b = data.codes[f]![row]!;
    const goLeft = b === data.valueBins[f] ? missingLeft[node] === 1 : b <= splitBin[node]!;
    node = goLeft ? left[node]! : right[node]!;
    f = feature[node]!;
  }
  return node;
}
