/**
 * A grown tree's leaf values added to the scores of binned rows it was not grown on: the rows a round
 * left out of its draw, and the validation rows. The rows go down the tree together (node-walk.ts),
 * each split node parting them by one column of bin codes, where a walk row by row reads a column
 * per node for every row.
 */
import { binnedLeaf, partBinned } from '../binned-route.js';
import { addToRows, type NodeWalk } from '../node-walk.js';
import type { GrownBoostTree } from './learner.js';

/**
 * Adds the tree's leaf value of each of the rows at positions [0, n) of `walk.rows[0]` to its
 * `score` (binned-route.ts routes them).
 */
export function addTreeToRows(
  grown: GrownBoostTree,
  codes: readonly Uint8Array[],
  valueBins: Int32Array,
  walk: NodeWalk,
  n: number,
  score: Float64Array,
): void {
  const { feature, left, right, value } = grown.tree;
  const data = { codes, valueBins };
  walk.run(0, n, {
    splits: (node) => feature[node]! >= 0,
    left: (node) => left[node]!,
    right: (node) => right[node]!,
    leaf: (node, rows, from, to) => addToRows(score, rows, from, to, value[node]!),
    few: (node, rows, from, to) => {
      for (let i = from; i < to; i++) score[rows[i]!]! += value[binnedLeaf(grown, data, node, rows[i]!)]!;
    },
    part: (node, src, dst, from, to) => partBinned(grown, data, node, src, dst, from, to),
  });
}
