/**
 * A grown tree's leaf values added to the scores of binned rows it was not grown on: the rows a round
 * left out of its draw, and the validation rows. The rows go down the tree together (node-walk.ts),
 * each split node parting them by one column of bin codes, where a walk row by row reads a column
 * per node for every row.
 */
import { addToRows, type NodeWalk } from '../node-walk.js';
import type { GrownBoostTree } from './learner.js';

/**
 * Adds the tree's leaf value of each of the rows at positions [0, n) of `walk.rows[0]` to its
 * `score`. The missing bin (`valueBins[f]`) takes the learned direction; a value bin compares with
 * the split's bin.
 */
export function addTreeToRows(
  grown: GrownBoostTree,
  codes: readonly Uint8Array[],
  valueBins: Int32Array,
  walk: NodeWalk,
  n: number,
  score: Float64Array,
): void {
  const { feature, left, right, missingLeft, value } = grown.tree;
  const { splitBin } = grown;
  walk.run(0, n, {
    splits: (node) => feature[node]! >= 0,
    left: (node) => left[node]!,
    right: (node) => right[node]!,
    leaf: (node, rows, from, to) => addToRows(score, rows, from, to, value[node]!),
    few: (start, rows, from, to) => {
      for (let i = from; i < to; i++) {
        const r = rows[i]!;
        let node = start;
        let f = feature[node]!;
        while (f >= 0) {
          const b = codes[f]![r]!;
          const goLeft = b === valueBins[f] ? missingLeft[node] === 1 : b <= splitBin[node]!;
          node = goLeft ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        score[r]! += value[node]!;
      }
    },
    part: (node, src, dst, from, to) => {
      const f = feature[node]!;
      const code = codes[f]!;
      const missing = valueBins[f]!;
      const toLeftIfMissing = missingLeft[node]! & 1;
      const bin = splitBin[node]!;
      let lo = from;
      let hi = to - 1;
      for (let i = from; i < to; i++) {
        const r = src[i]!;
        const b = code[r]!;
        const isMissing = +(b === missing);
        const goLeft = (+(b <= bin) & (isMissing ^ 1)) | (toLeftIfMissing & isMissing);
        dst[lo] = r;
        dst[hi] = r;
        lo += goLeft;
        hi += goLeft - 1;
      }
      return lo;
    },
  });
}
