/**
 * Per-prediction feature contributions over the shared flat trees, for any tree ensemble whose raw
 * output is `base + scale · Σ trees` (a forest: base 0, scale 1/T; boosting: its initial score and 1).
 *
 * Path attribution (Saabas, "Interpreting random forests", 2014): each node's expected output is the
 * cover-weighted mean of its leaves, and every split on a row's path credits its feature with the
 * change in expected output from the node to the child the row takes. The credits telescope, so they
 * sum to the raw output minus the expected output at the roots, exactly, whatever the covers.
 *
 * Chosen over exact TreeSHAP (Lundberg et al., 2018), which is O(T·L·D²) a row: the shipped forest
 * has about 470 leaves a tree at a mean leaf depth of 17, some 14 million steps a row for 100 trees,
 * where a path walk is 1,700, the cost of predicting. Saabas credit depends on the order features are
 * split along a path (for an AND of two features the deeper split gets more), an error a forest
 * dilutes by drawing features afresh at every split of every tree.
 *
 * Covers are the training rows that reach each node, counted once after training and stored in the
 * model file (NODE_COVERS_FORMAT), so a subscriber's contributions do not depend on who else is scored.
 *
 * The walk that credits the features also reaches the row's leaves, so it gives the raw output too,
 * added as prediction adds it (tree.ts): scoring and explaining a row cost one walk of the trees.
 */
import { ModelError } from '../errors.js';
import { coversFromLeafHits } from './covers.js';
import { allRows, type Explainer, forBlocks } from './explain-walk.js';
import type { FlatTree } from './grow.js';
import { packForest, packNodes, predictPacked } from './tree.js';
import type { FeatureMatrix } from './types.js';

export type { Explainer } from './explain-walk.js';

export interface TreeEnsemble {
  readonly trees: readonly FlatTree[];
  /** Multiplies the sum of the trees' outputs. */
  readonly scale: number;
  /** Added to the scaled sum. */
  readonly base: number;
  /**
   * The engine's scores from raw outputs, in place (boosting: the sigmoid); absent when the raw
   * output is the score (a forest's mean).
   */
  readonly toScores?: (raw: Float64Array) => Float64Array;
}

/**
 * Rows of X reaching each node of each tree: the leaves they reach, counted in the packed walk that
 * predicts (covers.ts), summed up to the roots.
 */
export function nodeCovers(trees: readonly FlatTree[], X: FeatureMatrix): Uint32Array[] {
  const forest = packForest(trees);
  const hits = new Uint32Array(forest.leaves.length);
  predictPacked(forest, X.columns, 0, X.nRows, new Float64Array(X.nRows), hits);
  return coversFromLeafHits(trees, hits);
}

export const NODE_COVERS_FORMAT = 'retain-node-covers';
export const NODE_COVERS_VERSION = 1;

export interface NodeCoversJSON {
  format: typeof NODE_COVERS_FORMAT;
  version: typeof NODE_COVERS_VERSION;
  /** Rows counted. */
  rows: number;
  /** Per tree, little-endian base64 Uint32: the root's cover, then each split node's left child's. */
  trees: string[];
}

/** The right child's cover is its parent's less its sibling's, so only left children are stored. */
export function nodeCoversToJSON(trees: readonly FlatTree[], covers: readonly Uint32Array[]): NodeCoversJSON {
  const encoded = trees.map((t, k) => {
    const c = covers[k]!;
    const out: number[] = [c[0]!];
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i]! >= 0) out.push(c[t.left[i]!]!);
    const bytes = Buffer.alloc(out.length * 4);
    out.forEach((v, j) => {
      bytes.writeUInt32LE(v, j * 4);
    });
    return bytes.toString('base64');
  });
  return {
    format: NODE_COVERS_FORMAT,
    version: NODE_COVERS_VERSION,
    rows: covers[0]?.[0] ?? 0,
    trees: encoded,
  };
}

export function nodeCoversFromJSON(json: unknown, trees: readonly FlatTree[]): Uint32Array[] {
  const bad = (why: string) => new ModelError(`explanation: ${why}`);
  const j = json as Partial<NodeCoversJSON> | null;
  if (typeof j !== 'object' || j === null) throw bad('not a JSON object');
  if (j.format !== NODE_COVERS_FORMAT || j.version !== NODE_COVERS_VERSION) {
    throw bad(
      `format ${JSON.stringify(j.format)} version ${JSON.stringify(j.version)}, expected "${NODE_COVERS_FORMAT}" ${NODE_COVERS_VERSION}`,
    );
  }
  if (!Array.isArray(j.trees) || j.trees.length !== trees.length)
    throw bad(`covers for ${j.trees?.length ?? 0} trees, the model has ${trees.length}`);
  return trees.map((t, k) => {
    const text = j.trees![k];
    let splits = 0;
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i]! >= 0) splits++;
    const bytes = typeof text === 'string' ? Buffer.from(text, 'base64') : Buffer.alloc(0);
    if (bytes.length !== (splits + 1) * 4)
      throw bad(`tree ${k} has ${bytes.length} bytes of covers, expected ${(splits + 1) * 4}`);
    const cover = new Uint32Array(t.feature.length);
    cover[0] = bytes.readUInt32LE(0);
    let s = 1;
    for (let i = 0; i < t.feature.length; i++) {
      if (t.feature[i]! < 0) continue;
      const left = bytes.readUInt32LE(4 * s++);
      if (left > cover[i]!) throw bad(`tree ${k} node ${i}: a child covers more rows than its parent`);
      cover[t.left[i]!] = left;
      cover[t.right[i]!] = cover[i]! - left;
    }
    return cover;
  });
}

/** Expected output of every node: leaves their value, splits the cover-weighted mean of their children. */
export function nodeExpectations(t: FlatTree, cover: Uint32Array): Float64Array {
  const e = new Float64Array(t.feature.length);
  // Children follow their parent in node order, so one backward pass sees children first.
  for (let i = t.feature.length - 1; i >= 0; i--) {
    if (t.feature[i]! < 0) {
      e[i] = t.value[i]!;
      continue;
    }
    const l = t.left[i]!;
    const r = t.right[i]!;
    const cl = cover[l]!;
    const cr = cover[r]!;
    e[i] = cl + cr > 0 ? (cl * e[l]! + cr * e[r]!) / (cl + cr) : (e[l]! + e[r]!) / 2;
  }
  return e;
}

export function makeExplainer(
  ensemble: TreeEnsemble,
  covers: readonly Uint32Array[],
  nFeatures: number,
): Explainer {
  const { trees, scale } = ensemble;
  const { roots, nodes, thresholds, leaves, at } = packNodes(trees);
  const toLeft = new Float64Array(thresholds.length);
  const toRight = new Float64Array(thresholds.length);
  let expected = ensemble.base;
  trees.forEach((t, k) => {
    const e = nodeExpectations(t, covers[k]!);
    expected += scale * e[0]!;
    const index = at[k]!;
    for (let i = 0; i < index.length; i++) {
      const n = index[i]!;
      if (n < 0) continue;
      toLeft[n] = scale * (e[t.left[i]!]! - e[i]!);
      toRight[n] = scale * (e[t.right[i]!]! - e[i]!);
    }
  });
  const bias = ensemble.base / scale;
  return { nFeatures, expected, roots, nodes, thresholds, toLeft, toRight, leaves, bias, scale };
}

/**
 * Contributions of every feature for the given rows (default all), row-major: rows × (F + 1), the
 * last column holding the expected value, so each row sums to its raw output.
 */
export function contributions(ex: Explainer, X: FeatureMatrix, rows = allRows(X.nRows)): Float64Array {
  const F = ex.nFeatures;
  const out = new Float64Array(rows.length * (F + 1));
  forBlocks(ex, X, rows, (start, phi, _output, n, stride) => {
    for (let r = 0; r < n; r++) {
      const o = (start + r) * (F + 1);
      for (let f = 0; f < F; f++) out[o + f] = phi[f * stride + r]!;
      out[o + F] = ex.expected;
    }
  });
  return out;
}
