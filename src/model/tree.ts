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

/** A tree in the model file: its node arrays as little-endian base64. */
export interface TreeJSON {
  nodes: number;
  feature: string;
  threshold: string;
  left: string;
  right: string;
  missingLeft: string;
  value: string;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Typed = Int32Array | Float64Array | Uint8Array;

function encode(a: Typed): string {
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (littleEndian || a.BYTES_PER_ELEMENT === 1) return bytes.toString('base64');
  const copy = Buffer.from(bytes);
  if (a.BYTES_PER_ELEMENT === 4) copy.swap32();
  else copy.swap64();
  return copy.toString('base64');
}

function decode<T extends Typed>(
  text: unknown,
  make: new (buffer: ArrayBuffer) => T,
  size: number,
  nodes: number,
  what: string,
): T {
  if (typeof text !== 'string') throw new ModelError(`forest model: ${what} is not a base64 string`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== nodes * size) {
    throw new ModelError(
      `forest model: ${what} holds ${bytes.length} bytes, expected ${nodes * size} (${nodes} nodes)`,
    );
  }
  if (!littleEndian && size === 4) bytes.swap32();
  if (!littleEndian && size === 8) bytes.swap64();
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return new make(buffer);
}

export function treeToJSON(tree: FlatTree): TreeJSON {
  return {
    nodes: tree.feature.length,
    feature: encode(tree.feature),
    threshold: encode(tree.threshold),
    left: encode(tree.left),
    right: encode(tree.right),
    missingLeft: encode(tree.missingLeft),
    value: encode(tree.value),
  };
}

/** Decodes and checks one tree: child indices point forward inside the tree, features exist. */
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
  const tree: FlatTree = {
    feature: decode(t.feature, Int32Array, 4, nodes, `${where} feature`),
    threshold: decode(t.threshold, Float64Array, 8, nodes, `${where} threshold`),
    left: decode(t.left, Int32Array, 4, nodes, `${where} left`),
    right: decode(t.right, Int32Array, 4, nodes, `${where} right`),
    missingLeft: decode(t.missingLeft, Uint8Array, 1, nodes, `${where} missingLeft`),
    value: decode(t.value, Float64Array, 8, nodes, `${where} value`),
  };
  for (let i = 0; i < nodes; i++) {
    const f = tree.feature[i]!;
    if (f === -1) continue;
    const l = tree.left[i]!;
    const r = tree.right[i]!;
    if (f < -1 || f >= nFeatures)
      throw new ModelError(`forest model: ${where} node ${i} uses feature ${f} of ${nFeatures}`);
    if (l <= i || l >= nodes || r <= i || r >= nodes) {
      throw new ModelError(
        `forest model: ${where} node ${i} has children ${l}, ${r} outside ${i + 1}..${nodes - 1}`,
      );
    }
  }
  return tree;
}
