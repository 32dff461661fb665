/**
 * Node covers (the rows reaching each node of each tree, for per-subscriber reasons) counted in the
 * same walk that scores the rows: a row's path ends in one leaf a tree, so counting the leaves it
 * reaches is enough, and a split node's cover is the sum of its children's. One walk of the packed
 * forest then gives the training reference both its scores (for drift) and its covers (for reasons).
 */
import type { FlatTree } from './grow.js';
import type { PackedForest } from './tree.js';

/** Rows per block, as predictPacked (tree.ts) copies them: a row's features share a few cache lines. */
const BLOCK_ROWS = 8192;

/**
 * predictPacked's walk (tree.ts), adding to `leafHits` (indexed like forest.leaves) the leaf each row
 * reaches in each tree: out[start..end-1] gets the same bits predictPacked writes there.
 */
export function predictCounting(
  forest: PackedForest,
  columns: readonly Float64Array[],
  start: number,
  end: number,
  out: Float64Array,
  leafHits: Uint32Array,
): void {
  const { nTrees, bias, scale, roots, nodes, thresholds, leaves } = forest;
  const nF = columns.length;
  const rows = Math.max(0, Math.min(BLOCK_ROWS, end - start));
  const block = new Float64Array(rows * nF);
  const sums = new Float64Array(rows);
  for (let from = start; from < end; from += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, end - from);
    for (let f = 0; f < nF; f++) {
      const col = columns[f]!;
      for (let r = 0, j = f; r < n; r++, j += nF) block[j] = col[from + r]!;
    }
    sums.fill(bias);
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t]!;
      for (let r = 0, base = 0; r < n; r++, base += nF) {
        let node = root;
        while (node >= 0) {
          const k = node << 2;
          const v = block[base + nodes[k]!]!;
          node = Number.isNaN(v)
            ? nodes[k + 2 - nodes[k + 3]!]!
            : nodes[k + (v <= thresholds[node]! ? 1 : 2)]!;
        }
        sums[r]! += leaves[~node]!;
        leafHits[~node]!++;
      }
    }
    for (let r = 0; r < n; r++) out[from + r] = sums[r]! * scale;
  }
}

/**
 * Per tree, the rows reaching each node (flat node order) from the leaf hits of the packed form of
 * `trees` (packForest numbers the leaves tree by tree, in node order).
 */
export function coversFromLeafHits(trees: readonly FlatTree[], leafHits: Uint32Array): Uint32Array[] {
  let l = 0;
  return trees.map((t) => {
    const cover = new Uint32Array(t.feature.length);
    for (let i = 0; i < cover.length; i++) if (t.feature[i]! < 0) cover[i] = leafHits[l++]!;
    // Parents before children (a preorder from the root), then summed from the last back.
    const order: number[] = [];
    const stack = [0];
    while (stack.length > 0) {
      const i = stack.pop()!;
      order.push(i);
      if (t.feature[i]! >= 0) stack.push(t.right[i]!, t.left[i]!);
    }
    for (let k = order.length - 1; k >= 0; k--) {
      const i = order[k]!;
      if (t.feature[i]! >= 0) cover[i] = cover[t.left[i]!]! + cover[t.right[i]!]!;
    }
    return cover;
  });
}
