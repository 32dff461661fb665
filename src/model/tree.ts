/** Flat trees: prediction on raw features and a compact base64 encoding for the model file. */
import { ModelError } from '../errors.js';
import type { FlatTree } from './grow.js';

/** Rows per block: every tree walks one block before the next, so the block's columns stay in cache. */
const BLOCK_ROWS = 4096;

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
  for (let start = 0; start < nRows; start += BLOCK_ROWS) {
    const end = Math.min(nRows, start + BLOCK_ROWS);
    for (const tree of trees) {
      const { feature, threshold, left, right, missingLeft, value } = tree;
      for (let i = start; i < end; i++) {
        let node = 0;
        let f = feature[0]!;
        while (f >= 0) {
          const v = columns[f]![i]!;
          const goLeft = v <= threshold[node]! || (missingLeft[node] === 1 && Number.isNaN(v));
          node = goLeft ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        out[i]! += value[node]!;
      }
    }
  }
  const scale = 1 / trees.length;
  for (let i = 0; i < nRows; i++) out[i]! *= scale;
  return out;
}

/**
 * A tree in the model file, as little-endian base64: per node its feature (Int16, -1 = leaf); per split
 * node, in node order, its left child (the right one is left + 1), missing-goes-left flag and
 * threshold; per leaf its class-1 share as Float32. About 10 bytes a node instead of 29.
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
