/**
 * Rows taken down a tree node by node, together: each split node parts its rows into those going left
 * and right, and each part goes on down its child. The rows of a node are independent of each other,
 * so the core overlaps them, where a walk row by row waits on each node before the next; and a node's
 * rows read one column. A node left with fewer than WALK_BELOW rows walks them one by one instead.
 *
 * Every row meets its path's nodes root first, so what a walk adds up per row (leaf values, credits)
 * it adds in the order a walk of that row alone would: the same bits. The prediction walk (tree.ts),
 * the explaining walk (explain-walk.ts) and the out-of-bag walk of a growing forest (out-of-bag.ts)
 * each say what happens at a node; this drives them.
 */

/** Below this many rows a node's rows walk on one by one: parting them costs more per row than it saves (2, 8, 16 and 32 measured). */
export const WALK_BELOW = 8;

/** What a walk does at each node. Nodes are the caller's own numbers. */
export interface NodeSteps {
  /** Whether `node` splits (else it is a leaf). */
  splits(node: number): boolean;
  left(node: number): number;
  right(node: number): number;
  /** The rows at positions [from, to) of `rows` reached leaf `node`. */
  leaf(node: number, rows: Int32Array, from: number, to: number): void;
  /** Walks each of the few rows at positions [from, to) of `rows` on from split node `node`, one by one. */
  few(node: number, rows: Int32Array, from: number, to: number): void;
  /**
   * Parts the rows at positions [from, to) of `src` into `dst` at split node `node`: those going left
   * from `from` up, those going right from `to` down. Returns where the right ones start.
   */
  part(node: number, src: Int32Array, dst: Int32Array, from: number, to: number): number;
}

/** Adds `value` (a leaf's) to the sums of the rows at positions [from, to) of `rows`. */
export function addToRows(
  sums: Float64Array,
  rows: Int32Array,
  from: number,
  to: number,
  value: number,
): void {
  for (let i = from; i < to; i++) sums[rows[i]!]! += value;
}

/** Buffers reused from tree to tree: the rows, parted between the two by the parity of a node's depth. */
export class NodeWalk {
  readonly rows: readonly [Int32Array, Int32Array];
  /** Pending nodes: the node, its depth, then its positions [from, to). */
  #stack = new Int32Array(256);

  constructor(size: number) {
    this.rows = [new Int32Array(size), new Int32Array(size)];
  }

  /** Rows 0 … n − 1, the rows a walk takes unless the caller put others in `rows[0]`. */
  all(n: number): this {
    const first = this.rows[0];
    for (let r = 0; r < n; r++) first[r] = r;
    return this;
  }

  /** Takes the rows at positions [0, n) of `rows[0]` down from `root`. */
  run(root: number, n: number, steps: NodeSteps): void {
    let stack = this.#stack;
    let top = 0;
    stack[top++] = root;
    stack[top++] = 0;
    stack[top++] = 0;
    stack[top++] = n;
    while (top > 0) {
      const to = stack[--top]!;
      const from = stack[--top]!;
      const depth = stack[--top]!;
      const node = stack[--top]!;
      const src = this.rows[depth & 1];
      if (!steps.splits(node)) {
        steps.leaf(node, src, from, to);
        continue;
      }
      if (to - from < WALK_BELOW) {
        steps.few(node, src, from, to);
        continue;
      }
      const mid = steps.part(node, src, this.rows[(depth + 1) & 1], from, to);
      if (top + 8 > stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
        this.#stack = stack;
      }
      stack[top++] = steps.right(node);
      stack[top++] = depth + 1;
      stack[top++] = mid;
      stack[top++] = to;
      stack[top++] = steps.left(node);
      stack[top++] = depth + 1;
      stack[top++] = from;
      stack[top++] = mid;
    }
  }
}
