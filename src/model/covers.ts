/**
 * Node covers (the rows reaching each node of each tree, for per-subscriber reasons) counted in the
 * same walk that scores the rows (predictPacked with leaf hits, tree.ts): a row's path ends in one
 * leaf a tree, so counting the leaves it reaches is enough, and a split node's cover is the sum of
 * its children's. One walk of the packed forest then gives the training reference both its scores
 * (for drift) and its covers (for reasons).
 */
import type { FlatTree } from './grow.js';

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
