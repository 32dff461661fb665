/**
 * Flat trees: prediction on raw features and a compact base64 encoding for the model file. The forest
 * averages its trees, boosting adds its trees to a base score: one packed walk serves both.
 */
import { ModelError } from '../errors.js';
import type { FlatTree } from './grow.js';
import { addToRows, type NodeSteps, NodeWalk } from './node-walk.js';

/**
 * A forest packed for prediction: every tree's split nodes in one Int32Array (4 slots a node: feature,
 * left child, right child, missing-goes-left), thresholds and leaf values in one Float64Array each. A
 * child or root >= 0 is a split node index; a negative one is ~(leaf index). One set of arrays for
 * all trees keeps the walk monomorphic and lets workers receive the forest as three buffers.
 */
export interface PackedForest {
  readonly nTrees: number;
  /** A row's result is (bias + its leaf values added in tree order) · scale. */
  readonly bias: number;
  readonly scale: number;
  readonly roots: Int32Array;
  readonly nodes: Int32Array;
  readonly thresholds: Float64Array;
  readonly leaves: Float64Array;
}

/** How the trees' leaf values combine: their mean (a forest), or a sum added to a base score (boosting). */
export type Combine = { kind: 'mean' } | { kind: 'sum'; bias: number };

/** The trees' nodes packed into the arrays of a PackedForest, and where each node went. */
export interface PackedNodes {
  readonly roots: Int32Array;
  readonly nodes: Int32Array;
  readonly thresholds: Float64Array;
  readonly leaves: Float64Array;
  /** Per tree, the packed index of each of its nodes: split index, or ~leaf index. */
  readonly at: readonly Int32Array[];
}

export function packNodes(trees: readonly FlatTree[]): PackedNodes {
  let s = 0;
  let l = 0;
  const at = trees.map((t) => {
    const index = new Int32Array(t.feature.length);
    for (let i = 0; i < index.length; i++) index[i] = t.feature[i]! >= 0 ? s++ : ~l++;
    return index;
  });
  const roots = new Int32Array(trees.length);
  const nodes = new Int32Array(s * 4);
  const thresholds = new Float64Array(s);
  const leaves = new Float64Array(l);
  trees.forEach((t, k) => {
    const index = at[k]!;
    for (let i = 0; i < index.length; i++) {
      const n = index[i]!;
      if (n < 0) {
        leaves[~n] = t.value[i]!;
        continue;
      }
      nodes[4 * n] = t.feature[i]!;
      nodes[4 * n + 1] = index[t.left[i]!]!;
      nodes[4 * n + 2] = index[t.right[i]!]!;
      nodes[4 * n + 3] = t.missingLeft[i]!;
      thresholds[n] = t.threshold[i]!;
    }
    roots[k] = index[0]!;
  });
  return { roots, nodes, thresholds, leaves, at };
}

export function packForest(trees: readonly FlatTree[], combine: Combine = { kind: 'mean' }): PackedForest {
  const { roots, nodes, thresholds, leaves } = packNodes(trees);
  const bias = combine.kind === 'sum' ? combine.bias : 0;
  const scale = combine.kind === 'sum' ? 1 : 1 / trees.length;
  return { nTrees: trees.length, bias, scale, roots, nodes, thresholds, leaves };
}

/**
 * Rows per block: each column's values for the block copied together. Every tree takes the whole
 * block before the next, so the tree's nodes serve many rows while cached.
 */
const BLOCK_ROWS = 8192;

/**
 * Writes (bias + each tree's leaf value, added in tree order) · scale for rows start..end-1 into
 * out[start..end-1]: the mean over trees for a forest, the raw score for boosting. Any split of the rows
 * gives the same bits. With `leafHits` (indexed like forest.leaves), the same walk also counts the leaf
 * each row reaches in each tree: the node covers of the explanation (covers.ts). A tree takes a
 * block's rows node by node (node-walk.ts).
 */
export function predictPacked(
  forest: PackedForest,
  columns: readonly Float64Array[],
  start: number,
  end: number,
  out: Float64Array,
  leafHits: Uint32Array | null = null,
): void {
  const { nTrees, bias, scale, roots, nodes, leaves } = forest;
  const nF = columns.length;
  const size = Math.max(0, Math.min(BLOCK_ROWS, end - start));
  const block = new Float64Array(size * nF);
  const sums = new Float64Array(size);
  const walk = new NodeWalk(size);
  // A split node is >= 0, a leaf ~(leaf index).
  const steps: NodeSteps = {
    splits: (node) => node >= 0,
    left: (node) => nodes[(node << 2) + 1]!,
    right: (node) => nodes[(node << 2) + 2]!,
    leaf(node, rows, from, to) {
      addToRows(sums, rows, from, to, leaves[~node]!);
      if (leafHits !== null) leafHits[~node]! += to - from;
    },
    few: (node, rows, from, to) => walkRows(forest, block, size, rows, from, to, node, sums, leafHits),
    part: (node, src, dst, from, to) => partRows(forest, node, block, size, src, dst, from, to),
  };
  for (let from = start; from < end; from += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, end - from);
    for (let f = 0; f < nF; f++) {
      const col = columns[f]!;
      const o = f * size;
      for (let r = 0; r < n; r++) block[o + r] = col[from + r]!;
    }
    sums.fill(bias);
    for (let t = 0; t < nTrees; t++) walk.all(n).run(roots[t]!, n, steps);
    for (let r = 0; r < n; r++) out[from + r] = sums[r]! * scale;
  }
}

/**
 * Parts the rows at positions [from, to) of `src` at split node `node` into `dst`: those going left
 * from `from` up, those going right from `to` down; returns where the right ones start. A NaN takes
 * the learned direction (slot 3: missing goes left); a value compares.
 */
function partRows(
  forest: PackedForest,
  node: number,
  block: Float64Array,
  stride: number,
  src: Int32Array,
  dst: Int32Array,
  from: number,
  to: number,
): number {
  const k = node << 2;
  const o = forest.nodes[k]! * stride;
  const missingLeft = forest.nodes[k + 3]! & 1;
  const threshold = forest.thresholds[node]!;
  let lo = from;
  let hi = to - 1;
  for (let i = from; i < to; i++) {
    const r = src[i]!;
    const v = block[o + r]!;
    const left = +(v <= threshold) | (missingLeft & +Number.isNaN(v));
    dst[lo] = r;
    dst[hi] = r;
    lo += left;
    hi += left - 1;
  }
  return lo;
}

/** Walks each row at positions [from, to) of `at` from `node` down to its leaf. */
function walkRows(
  forest: PackedForest,
  block: Float64Array,
  stride: number,
  at: Int32Array,
  from: number,
  to: number,
  start: number,
  sums: Float64Array,
  leafHits: Uint32Array | null,
): void {
  const { nodes, thresholds, leaves } = forest;
  for (let i = from; i < to; i++) {
    const r = at[i]!;
    let node = start;
    while (node >= 0) {
      const k = node << 2;
      const v = block[nodes[k]! * stride + r]!;
      node = Number.isNaN(v) ? nodes[k + 2 - nodes[k + 3]!]! : nodes[k + (v <= thresholds[node]! ? 1 : 2)]!;
    }
    sums[r]! += leaves[~node]!;
    if (leafHits !== null) leafHits[~node]!++;
  }
}

/**
 * Mean over trees of each tree's leaf value for every row. `columns` must be in the trees' feature
 * order; NaN follows the split's learned missing direction.
 */
export function predictTrees(
  trees: readonly FlatTree[],
  columns: readonly Float64Array[],
  nRows: number,
): Float64Array {
  const out = new Float64Array(nRows);
  if (trees.length === 0) return out;
  predictPacked(packForest(trees), columns, 0, nRows, out);
  return out;
}

/**
 * A tree in the model file, as little-endian base64: per node its feature (Int16, -1 = leaf); per split
 * node, in node order, its left child (the right one is left + 1), missing-goes-left flag and
 * threshold; per leaf its value as Float32 (a forest's class-1 share, a boosted tree's score step). About
 * 10 bytes a node instead of 29.
 */
export interface TreeJSON {
  nodes: number;
  feature: string;
  left: string;
  missingLeft: string;
  threshold: string;
  value: string;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Typed = Int16Array | Int32Array | Float32Array | Float64Array | Uint8Array;

function encode(a: Typed): string {
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (littleEndian || a.BYTES_PER_ELEMENT === 1) return bytes.toString('base64');
  const copy = Buffer.from(bytes);
  if (a.BYTES_PER_ELEMENT === 2) copy.swap16();
  else if (a.BYTES_PER_ELEMENT === 4) copy.swap32();
  else copy.swap64();
  return copy.toString('base64');
}

function decode<T extends Typed>(
  text: unknown,
  make: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
  what: string,
): T {
  if (typeof text !== 'string') throw new ModelError(`forest model: ${what} is not a base64 string`);
  const size = make.BYTES_PER_ELEMENT;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length * size) {
    throw new ModelError(`forest model: ${what} holds ${bytes.length} bytes, expected ${length * size}`);
  }
  if (!littleEndian && size === 2) bytes.swap16();
  if (!littleEndian && size === 4) bytes.swap32();
  if (!littleEndian && size === 8) bytes.swap64();
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return new make(buffer);
}

export function treeToJSON(tree: FlatTree): TreeJSON {
  const nodes = tree.feature.length;
  let splits = 0;
  for (let i = 0; i < nodes; i++) if (tree.feature[i]! >= 0) splits++;
  const left = new Int32Array(splits);
  const missingLeft = new Uint8Array(splits);
  const threshold = new Float64Array(splits);
  const value = new Float32Array(nodes - splits);
  let s = 0;
  let l = 0;
  for (let i = 0; i < nodes; i++) {
    if (tree.feature[i]! >= 0) {
      left[s] = tree.left[i]!;
      missingLeft[s] = tree.missingLeft[i]!;
      threshold[s++] = tree.threshold[i]!;
    } else value[l++] = tree.value[i]!;
  }
  return {
    nodes,
    feature: encode(Int16Array.from(tree.feature)),
    left: encode(left),
    missingLeft: encode(missingLeft),
    threshold: encode(threshold),
    value: encode(value),
  };
}

/** Decodes and checks one tree: children point forward inside the tree, features exist. */
export function treeFromJSON(json: unknown, nFeatures: number, index: number): FlatTree {
  const where = `tree ${index}`;
  if (typeof json !== 'object' || json === null)
    throw new ModelError(`forest model: ${where} is not an object`);
  const t = json as Record<string, unknown>;
  const nodes = t.nodes;
  if (typeof nodes !== 'number' || !Number.isInteger(nodes) || nodes < 1) {
    throw new ModelError(
      `forest model: ${where} has node count ${JSON.stringify(nodes)}, expected an integer >= 1`,
    );
  }
  const feature = Int32Array.from(decode(t.feature, Int16Array, nodes, `${where} feature`));
  let splits = 0;
  for (let i = 0; i < nodes; i++) {
    const f = feature[i]!;
    if (f < -1 || f >= nFeatures)
      throw new ModelError(`forest model: ${where} node ${i} uses feature ${f} of ${nFeatures}`);
    if (f >= 0) splits++;
  }
  const left = decode(t.left, Int32Array, splits, `${where} left`);
  const missingLeft = decode(t.missingLeft, Uint8Array, splits, `${where} missingLeft`);
  const threshold = decode(t.threshold, Float64Array, splits, `${where} threshold`);
  const value = decode(t.value, Float32Array, nodes - splits, `${where} value`);
  const tree = {
    feature,
    threshold: new Float64Array(nodes),
    left: new Int32Array(nodes).fill(-1),
    right: new Int32Array(nodes).fill(-1),
    missingLeft: new Uint8Array(nodes),
    value: new Float64Array(nodes),
  };
  let s = 0;
  let l = 0;
  for (let i = 0; i < nodes; i++) {
    if (feature[i]! < 0) {
      tree.value[i] = value[l++]!;
      continue;
    }
    const c = left[s]!;
    if (c <= i || c + 1 >= nodes) {
      throw new ModelError(
        `forest model: ${where} node ${i} has children ${c}, ${c + 1} outside ${i + 1}..${nodes - 1}`,
      );
    }
    tree.left[i] = c;
    tree.right[i] = c + 1;
    tree.missingLeft[i] = missingLeft[s]!;
    tree.threshold[i] = threshold[s++]!;
  }
  return tree;
}
