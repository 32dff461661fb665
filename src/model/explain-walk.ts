/**
 * The walk that explains: a block of rows taken through every tree of an Explainer, crediting each
 * split's feature with the change in expected output along the branch each row takes (path
 * attribution; see contributions.ts), and adding each row's leaves as prediction does.
 */
import { addToRows, type NodeSteps, NodeWalk } from './node-walk.js';
import type { FeatureMatrix } from './types.js';

/**
 * An ensemble ready to attribute: split nodes of every tree packed as in tree.ts (feature, left,
 * right, missing-goes-left; a child < 0 is ~(leaf index)), with the scaled change in expected output
 * along each branch, and the leaf values. Plain data, so it goes to worker threads as it is.
 */
export interface Explainer {
  readonly nFeatures: number;
  /** The raw output's expected value: base + scale · Σ trees' expected output at the root. */
  readonly expected: number;
  readonly roots: Int32Array;
  readonly nodes: Int32Array;
  readonly thresholds: Float64Array;
  readonly toLeft: Float64Array;
  readonly toRight: Float64Array;
  readonly leaves: Float64Array;
  /**
   * A row's raw output is (bias + its leaf values added in tree order) · scale, as PackedForest
   * computes it: bias = base / scale (0 for a forest, the base score for boosting's scale 1).
   */
  readonly bias: number;
  readonly scale: number;
}

/**
 * Steps a row takes in the walk, for sizing it: each tree's mean leaf depth (nodes passed), summed
 * over the trees, plus one per feature (the row copied into its block and its contributions ranked).
 */
export function walkSteps(ex: Explainer): number {
  const { roots, nodes } = ex;
  let steps = ex.nFeatures;
  const stack = new Int32Array(2 * (ex.thresholds.length + 1));
  for (let t = 0; t < roots.length; t++) {
    let leaves = 0;
    let depths = 0;
    let top = 0;
    stack[top++] = roots[t]!;
    stack[top++] = 0;
    while (top > 0) {
      const depth = stack[--top]!;
      const node = stack[--top]!;
      if (node < 0) {
        leaves++;
        depths += depth;
        continue;
      }
      stack[top++] = nodes[4 * node + 1]!;
      stack[top++] = depth + 1;
      stack[top++] = nodes[4 * node + 2]!;
      stack[top++] = depth + 1;
    }
    steps += depths / leaves;
  }
  return steps;
}

/** Rows per block: each column's values for the block copied together, every tree walks the block. */
const BLOCK_ROWS = 4096;

/**
 * Calls `each(start, phi, output, n, stride)` for consecutive blocks of `rows`: phi[f · stride + r]
 * is feature f's contribution to the raw output of rows[start + r], output[r] that raw output, the
 * same bits as prediction's (predictPacked, tree.ts: the leaves added in tree order from the bias,
 * then scaled).
 *
 * A tree takes the block's rows node by node (node-walk.ts), each split crediting its feature as the
 * rows part, so a node's rows read one column and write one column of phi. Every row still meets its
 * path's nodes root first, tree after tree: each contribution is the same sum in the same order as a
 * walk of that row alone.
 */
export function forBlocks(
  ex: Explainer,
  X: FeatureMatrix,
  rows: Int32Array,
  each: (start: number, phi: Float64Array, output: Float64Array, n: number, stride: number) => void,
): void {
  const F = ex.nFeatures;
  if (X.columns.length !== F)
    throw new RangeError(`${X.columns.length} feature columns, the explainer has ${F}`);
  const { roots, nodes, leaves, bias, scale } = ex;
  const size = Math.min(BLOCK_ROWS, rows.length);
  const block = new Float64Array(size * F);
  const phi = new Float64Array(size * F);
  const sums = new Float64Array(size);
  const walk = new NodeWalk(size);
  // A split node is >= 0, a leaf ~(leaf index).
  const steps: NodeSteps = {
    splits: (node) => node >= 0,
    left: (node) => nodes[(node << 2) + 1]!,
    right: (node) => nodes[(node << 2) + 2]!,
    leaf: (node, at, from, end) => addToRows(sums, at, from, end, leaves[~node]!),
    few: (node, at, from, end) => walkRows(ex, block, phi, size, at, from, end, node, sums),
    part: (node, src, dst, from, end) => part(ex, node, block, phi, size, src, dst, from, end),
  };
  for (let start = 0; start < rows.length; start += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, rows.length - start);
    for (let f = 0; f < F; f++) {
      const col = X.columns[f]!;
      const o = f * size;
      for (let r = 0; r < n; r++) block[o + r] = col[rows[start + r]!]!;
    }
    phi.fill(0);
    sums.fill(bias);
    for (let t = 0; t < roots.length; t++) walk.all(n).run(roots[t]!, n, steps);
    for (let r = 0; r < n; r++) sums[r] = sums[r]! * scale;
    each(start, phi, sums, n, size);
  }
}

/**
 * Parts the rows at positions [from, end) of `src` at split node `node` into `dst`: those going left
 * from `from` up, those going right from `end` down. Returns where the right ones start. Each row's
 * contribution for the node's feature moves by the branch it takes. Branch-free: a row's way is a
 * 0 or 1 that moves one of the two write positions.
 */
function part(
  ex: Explainer,
  node: number,
  block: Float64Array,
  phi: Float64Array,
  stride: number,
  src: Int32Array,
  dst: Int32Array,
  from: number,
  end: number,
): number {
  const k = node << 2;
  const o = ex.nodes[k]! * stride;
  const missingLeft = ex.nodes[k + 3]! & 1;
  const threshold = ex.thresholds[node]!;
  way[0] = ex.toRight[node]!;
  way[1] = ex.toLeft[node]!;
  let lo = from;
  let hi = end - 1;
  for (let i = from; i < end; i++) {
    const r = src[i]!;
    const v = block[o + r]!;
    const left = +(v <= threshold) | (missingLeft & +Number.isNaN(v));
    phi[o + r]! += way[left]!;
    dst[lo] = r;
    dst[hi] = r;
    lo += left;
    hi += left - 1;
  }
  return lo;
}

/** Walks each row at positions [from, end) of `at` from `start` down to its leaf, crediting as it goes. */
function walkRows(
  ex: Explainer,
  block: Float64Array,
  phi: Float64Array,
  stride: number,
  at: Int32Array,
  from: number,
  end: number,
  start: number,
  sums: Float64Array,
): void {
  const { nodes, thresholds, toLeft, toRight, leaves } = ex;
  for (let i = from; i < end; i++) {
    const r = at[i]!;
    let node = start;
    while (node >= 0) {
      const k = node << 2;
      const o = nodes[k]! * stride + r;
      const v = block[o]!;
      const left = Number.isNaN(v) ? nodes[k + 3] === 1 : v <= thresholds[node]!;
      phi[o]! += left ? toLeft[node]! : toRight[node]!;
      node = nodes[k + (left ? 1 : 2)]!;
    }
    sums[r]! += leaves[~node]!;
  }
}

/** A split's credit by way taken: right at 0, left at 1 (an index, so no branch). */
const way = new Float64Array(2);

/** Every row index of a matrix of n rows, in order. */
export const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
