/**
 * Grows one classification tree on binned features: bootstrap counts as row weights, Gini split
 * search over per-bin class-weighted histograms, features sampled afresh at every split, and the
 * missing bin sent to whichever side scores better.
 */
import { createRandom } from '../random.js';
import { CLASS1_UNIT, COUNT_UNIT, type GrowData, type GrowScratch } from './grow-data.js';
import { type NodeRange, partition, type Split, searchFeature } from './split-search.js';

export { createScratch, type GrowData, type GrowScratch } from './grow-data.js';

/** Fixed-point scale for out-of-bag sums: integer sums are exact, so any thread order gives one result. */
export const OOB_SCALE = 2 ** 24;

export interface GrowSettings {
  readonly minLeaf: number;
  /** 0 = unlimited. */
  readonly maxDepth: number;
  readonly minImpurityDecrease: number;
  /** Features tried at each split. */
  readonly mtry: number;
  /** Rows drawn (with replacement) per tree. */
  readonly drawRows: number;
  /** Weight of a class-0 and a class-1 row. */
  readonly weight0: number;
  readonly weight1: number;
  readonly seed: number;
}

/**
 * A tree as flat arrays; feature -1 marks a leaf. Nodes are in depth-first order, root first, and a
 * right child always follows its left sibling (right = left + 1).
 */
export interface FlatTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly missingLeft: Uint8Array;
  /** Weighted class-1 share of the training rows in a leaf, Float32-exact (0 for split nodes). */
  readonly value: Float64Array;
}

export interface GrownTree {
  readonly tree: FlatTree;
  /** Split bin per node, for predicting binned rows (out-of-bag). */
  readonly splitBin: Int32Array;
  /** Weighted impurity decrease per feature, not normalised. */
  readonly importance: Float64Array;
}

/**
 * Grows tree `treeIndex`: its bootstrap and feature draws come from createRandom(seed, treeIndex), so
 * the tree does not depend on which thread grows it. Leaves `s.counts` holding the bootstrap counts.
 */
export function growTree(
  data: GrowData,
  settings: GrowSettings,
  treeIndex: number,
  s: GrowScratch,
): GrownTree {
  const random = createRandom(settings.seed, treeIndex);
  const n = data.nRows;
  const nFeatures = data.codes.length;
  const { counts, packed, rows, features } = s;
  counts.fill(0);
  for (let i = 0; i < settings.drawRows; i++) counts[random.int(n)]!++;
  const y = data.y;
  let nIn = 0;
  let rootD0 = 0;
  let rootD1 = 0;
  for (let i = 0; i < n; i++) {
    const k = counts[i]!;
    if (k === 0) continue;
    rows[nIn] = i;
    if (y[i] === 1) {
      packed[nIn] = COUNT_UNIT + k * CLASS1_UNIT;
      rootD1 += k;
    } else {
      packed[nIn] = COUNT_UNIT + k;
      rootD0 += k;
    }
    nIn++;
  }
  const { weight0, weight1 } = settings;
  const rootWeight = rootD0 * weight0 + rootD1 * weight1;
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const missingLeft: number[] = [];
  const value: number[] = [];
  const splitBin: number[] = [];
  const importance = new Float64Array(nFeatures);
  const addNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    missingLeft.push(0);
    value.push(0);
    splitBin.push(0);
    return feature.length - 1;
  };
  // Pending nodes: id, start, end, depth, d0, d1 (bootstrap draws per class; rows = end - start).
  const stack: number[] = [addNode(), 0, nIn, 0, rootD0, rootD1];
  const best: Split = { score: 0, feature: -1, bin: 0, missingLeft: false, l0: 0, l1: 0, lc: 0 };
  const { minLeaf, maxDepth, mtry } = settings;
  const node: NodeRange = { start: 0, end: 0, d0: 0, d1: 0, weight0, weight1, minLeaf };
  while (stack.length > 0) {
    const d1 = stack.pop()!;
    const d0 = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const id = stack.pop()!;
    const c = end - start;
    const w0 = d0 * weight0;
    const w1 = d1 * weight1;
    const w = w0 + w1;
    // Float32-exact, so the model file can store leaves in 4 bytes and still predict identically.
    value[id] = Math.fround(w > 0 ? w1 / w : 0);
    const pure = w0 <= 1e-12 * w || w1 <= 1e-12 * w;
    if (pure || c < 2 * minLeaf || (maxDepth > 0 && depth >= maxDepth)) continue;
    const parentScore = (w0 * w0 + w1 * w1) / w;
    best.score = parentScore;
    best.feature = -1;
    node.start = start;
    node.end = end;
    node.d0 = d0;
    node.d1 = d1;
    // Partial Fisher-Yates: features drawn one at a time until mtry are tried (constant ones count
    // only once a varying one was seen, as in scikit-learn).
    for (let f = 0; f < nFeatures; f++) features[f] = f;
    let visited = 0;
    let varying = 0;
    for (let drawn = 0; drawn < nFeatures && (visited < mtry || varying === 0); drawn++) {
      const j = drawn + random.int(nFeatures - drawn);
      const f = features[j]!;
      features[j] = features[drawn]!;
      features[drawn] = f;
      visited++;
      if (searchFeature(data, s, f, node, best) > 1) varying++;
    }
    if (best.feature < 0) continue;
    const gain = best.score - parentScore;
    if (gain <= 1e-12 * w || gain / rootWeight + 1e-7 < settings.minImpurityDecrease) continue;
    importance[best.feature]! += gain;
    const f = best.feature;
    const mid = partition(data, s, f, start, end, best.bin, best.missingLeft);
    const edges = data.edges[f]!;
    feature[id] = f;
    splitBin[id] = best.bin;
    threshold[id] = best.bin < edges.length ? edges[best.bin]! : Number.POSITIVE_INFINITY;
    missingLeft[id] = best.missingLeft ? 1 : 0;
    const l = addNode();
    const r = addNode();
    left[id] = l;
    right[id] = r;
    const l0 = best.l0;
    const l1 = best.l1;
    stack.push(r, mid, end, depth + 1, d0 - l0, d1 - l1);
    stack.push(l, start, mid, depth + 1, l0, l1);
  }
  return {
    tree: {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      missingLeft: Uint8Array.from(missingLeft),
      value: Float64Array.from(value),
    },
    splitBin: Int32Array.from(splitBin),
    importance,
  };
}
