/**
 * Out-of-bag predictions while a forest grows: each tree's prediction for the rows its bootstrap left
 * out, added up per row, so the forest is measured without a hold-out fit.
 */
import { type GrownTree, OOB_SCALE } from './grow.js';
import type { GrowData } from './grow-data.js';
import type { NodeWalk } from './node-walk.js';

/**
 * Adds the tree's predictions for its out-of-bag rows (bootstrap count 0) to `sum` (fixed point,
 * OOB_SCALE, so the order rows are added in does not matter) and `count`. The rows go down the tree
 * together (node-walk.ts), each split node parting them by one column of bin codes. `walk` holds
 * buffers of the table's rows, reused from tree to tree.
 */
export function addOutOfBag(
  data: GrowData,
  grown: GrownTree,
  counts: Int32Array,
  sum: Float64Array,
  count: Int32Array,
  walk: NodeWalk,
): void {
  const { feature, left, right, value } = grown.tree;
  const first = walk.rows[0];
  let n = 0;
  for (let i = 0; i < data.nRows; i++) if (counts[i] === 0) first[n++] = i;
  walk.run(0, n, {
    splits: (node) => feature[node]! >= 0,
    left: (node) => left[node]!,
    right: (node) => right[node]!,
    leaf: (node, rows, from, to) => addLeaf(rows, from, to, Math.round(value[node]! * OOB_SCALE), sum, count),
    few: (node, rows, from, to) => walkRows(data, grown, rows, from, to, node, sum, count),
    part: (node, src, dst, from, to) => partRows(data, grown, node, src, dst, from, to),
  });
}

function addLeaf(
  rows: Int32Array,
  from: number,
  to: number,
  fixed: number,
  sum: Float64Array,
  count: Int32Array,
): void {
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    sum[r]! += fixed;
    count[r]!++;
  }
}

/**
 * Parts the rows at positions [from, to) of `src` at split node `node` into `dst`: those going left
 * from `from` up, those going right from `to` down; returns where the right ones start. The missing
 * bin takes the learned direction; a value bin compares with the split's bin.
 */
function partRows(
  data: GrowData,
  grown: GrownTree,
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

/** Walks each row at positions [from, to) of `rows` from `start` down to its leaf. */
function walkRows(
  data: GrowData,
  grown: GrownTree,
  rows: Int32Array,
  from: number,
  to: number,
  start: number,
  sum: Float64Array,
  count: Int32Array,
): void {
  const { feature, left, right, missingLeft, value } = grown.tree;
  const { splitBin } = grown;
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    let node = start;
    let f = feature[node]!;
    while (f >= 0) {
      const b = data.codes[f]![r]!;
      const goLeft = b === data.valueBins[f] ? missingLeft[node] === 1 : b <= splitBin[node]!;
      node = goLeft ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    sum[r]! += Math.round(value[node]! * OOB_SCALE);
    count[r]!++;
  }
}
