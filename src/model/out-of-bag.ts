/**
 * Out-of-bag predictions while a forest grows: each tree's prediction for the rows its bootstrap left
 * out, added up per row, so the forest is measured without a hold-out fit.
 */
import { binnedLeaf, partBinned } from './binned-route.js';
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
    few: (node, rows, from, to) => {
      for (let i = from; i < to; i++) {
        const r = rows[i]!;
        sum[r]! += Math.round(value[binnedLeaf(grown, data, node, r)]! * OOB_SCALE);
        count[r]!++;
      }
    },
    part: (node, src, dst, from, to) => partBinned(grown, data, node, src, dst, from, to),
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
