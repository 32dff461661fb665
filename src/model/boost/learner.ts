/**
 * Grows one regression tree on gradients, best-first (LightGBM's leaf-wise growth): the open leaf
 * whose best split gains most is split next, until the leaf budget is spent or no split gains enough.
 * Only the smaller child's histogram is built; the larger one's is the parent's minus it.
 */
import type { FlatTree } from '../grow.js';
import type { HistogramBuilder } from './builder.js';
import { type HistogramData, STRIDE } from './histogram.js';
import { type BestSplit, noSplit, type SplitLimits, searchFeature } from './split.js';

export interface TreeSettings extends SplitLimits {
  /**
   * The mean hessian per row at which `lambda` applies as given: a tree's penalty is lambda times its
   * rows' mean hessian over this one (0: lambda as given).
   */
  readonly lambdaAt: number;
  readonly maxLeaves: number;
  /** 0 = unlimited. */
  readonly maxDepth: number;
  readonly learningRate: number;
  /** Histogram slots that fit the memory budget (at most maxLeaves are ever needed). */
  readonly slots: number;
  /** Build the smaller child and subtract for its sibling (off only to test that it changes nothing). */
  readonly subtract: boolean;
}

/** The histograms' data (rows moved by partitions; the builder reads the same arrays) and the bins. */
export interface LearnerData extends HistogramData {
  /** Per feature, one bin code per row. */
  readonly codes: readonly Uint8Array[];
  readonly edges: readonly Float64Array[];
}

/** Scratch for stable partitions. */
export interface LearnerScratch {
  readonly rows: Uint32Array;
  readonly gh: Float64Array;
}

export function createLearnerScratch(nRows: number): LearnerScratch {
  return { rows: new Uint32Array(nRows), gh: new Float64Array(2 * nRows) };
}

export interface GrownBoostTree {
  /** Renumbered as the forest's trees: children in pairs (right = left + 1), depth-first. */
  readonly tree: FlatTree;
  /** Split bin per node of `tree`, to route binned rows. */
  readonly splitBin: Int32Array;
  /** Per leaf: its positions [start, end) in `rows` and its value (Float32-exact, shrunk). */
  readonly leafStart: Int32Array;
  readonly leafEnd: Int32Array;
  readonly leafValue: Float64Array;
  /** Gain of the splits on each feature. */
  readonly gain: Float64Array;
}

/** What one tree looks at: the first nFeatures of `features` for splits, built by the builder's first nUnits units. */
export interface TreeFeatures {
  readonly features: Int32Array;
  readonly nFeatures: number;
  readonly nUnits: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  slot: number;
  best: BestSplit | null;
}

/** A node's sums over positions [start, end). */
function sums(gh: Float64Array, start: number, end: number): [number, number] {
  let g = 0;
  let h = 0;
  for (let j = start << 1, e = end << 1; j < e; j += 2) {
    g += gh[j]!;
    h += gh[j + 1]!;
  }
  return [g, h];
}

/**
 * Stable partition of positions [start, end): rows going left keep their order at the front, those
 * going right follow in order. Returns the first right position and each side's sums, each summed
 * over its own rows in position order (not the parent's minus the other side).
 */
function partition(
  d: LearnerData,
  s: LearnerScratch,
  leaf: Leaf,
  split: BestSplit,
): { mid: number; G: number; H: number; GR: number; HR: number } {
  const { rows, gh } = d;
  const code = d.codes[split.feature]!;
  const missing = d.valueBins[split.feature]!;
  const { bin, missingLeft } = split;
  let w = leaf.start;
  let r = 0;
  let G = 0;
  let H = 0;
  let GR = 0;
  let HR = 0;
  for (let i = leaf.start; i < leaf.end; i++) {
    const row = rows[i]!;
    const b = code[row]!;
    const g = gh[2 * i]!;
    const h = gh[2 * i + 1]!;
    if (b === missing ? missingLeft : b <= bin) {
      rows[w] = row;
      gh[2 * w] = g;
      gh[2 * w + 1] = h;
      w++;
      G += g;
      H += h;
    } else {
      s.rows[r] = row;
      s.gh[2 * r] = g;
      s.gh[2 * r + 1] = h;
      r++;
      GR += g;
      HR += h;
    }
  }
  rows.set(s.rows.subarray(0, r), w);
  gh.set(s.gh.subarray(0, 2 * r), 2 * w);
  return { mid: w, G, H, GR, HR };
}

/** Leaf value: the Newton step −G / (H + λ), shrunk, Float32-exact so the model file keeps it whole. */
function leafValue(G: number, H: number, t: TreeSettings): number {
  return Math.fround((-t.learningRate * G) / (H + t.lambda));
}

/** The settings with the penalty this tree's rows carry (their hessians sum to H over n rows). */
function scaledLambda(settings: TreeSettings, H: number, n: number): TreeSettings {
  if (settings.lambdaAt === 0) return settings;
  return { ...settings, lambda: (settings.lambda * (H / n)) / settings.lambdaAt };
}

export function growBoostTree(
  d: LearnerData,
  scratch: LearnerScratch,
  builder: HistogramBuilder,
  tree: TreeFeatures,
  nIn: number,
  settings: TreeSettings,
  represented = nIn,
): GrownBoostTree {
  const { features, nFeatures, nUnits } = tree;
  const [G0, H0] = sums(d.gh, 0, nIn);
  // Sampled by gradient, the rows' scaled hessians sum to an estimate over the `represented` rows.
  const t = scaledLambda(settings, H0, represented);
  const offsets = d.layout.offsets;
  const slotSize = d.layout.slotBins * STRIDE;
  const free: number[] = [];
  for (let k = t.slots - 1; k >= 0; k--) free.push(k);
  const gain = new Float64Array(d.codes.length);
  // Nodes as they are created: children come in pairs (left, left + 1).
  const feature: number[] = [-1];
  const splitBin: number[] = [0];
  const missingLeft: number[] = [0];
  const left: number[] = [-1];
  const value: number[] = [0];
  const leaves: Leaf[] = [];

  const splittable = (l: Leaf) =>
    (t.maxDepth === 0 || l.depth < t.maxDepth) && l.end - l.start >= 2 * t.minLeaf && l.H >= 2 * t.minHessian;
  const release = (l: Leaf) => {
    if (l.slot >= 0) free.push(l.slot);
    l.slot = -1;
  };
  /** A free slot; when none is, the histogram of the open leaf least likely to split is dropped. */
  const take = (keep: readonly Leaf[]): number => {
    const k = free.pop();
    if (k !== undefined) return k;
    let victim: Leaf | undefined;
    for (const l of leaves)
      if (l.slot >= 0 && !keep.includes(l) && (!victim || (l.best?.gain ?? 0) < (victim.best?.gain ?? 0)))
        victim = l;
    if (!victim) throw new Error('no histogram slot left');
    const slot = victim.slot;
    victim.slot = -1;
    return slot;
  };
  const search = (l: Leaf) => {
    const best = noSplit(t);
    const base = l.slot * slotSize;
    const count = l.end - l.start;
    for (let j = 0; j < nFeatures; j++) {
      const f = features[j]!;
      searchFeature(d.pool, base + offsets[f]! * STRIDE, f, d.valueBins[f]!, l.G, l.H, count, t, best);
    }
    l.best = best.feature >= 0 ? best : null;
    if (!l.best) release(l);
  };

  const root: Leaf = { node: 0, start: 0, end: nIn, depth: 0, G: G0, H: H0, slot: -1, best: null };
  leaves.push(root);
  if (splittable(root)) {
    root.slot = take([]);
    builder.build(nUnits, 0, nIn, root.slot, -1);
    search(root);
  }
  while (leaves.length < t.maxLeaves) {
    let at = -1;
    for (let i = 0; i < leaves.length; i++) {
      const b = leaves[i]!.best;
      if (b && (at < 0 || b.gain > leaves[at]!.best!.gain)) at = i;
    }
    if (at < 0) break;
    const parent = leaves[at]!;
    const split = parent.best!;
    const { mid, G, H, GR, HR } = partition(d, scratch, parent, split);
    const l = feature.length;
    for (let k = 0; k < 2; k++) {
      feature.push(-1);
      splitBin.push(0);
      missingLeft.push(0);
      left.push(-1);
      value.push(0);
    }
    const id = parent.node;
    feature[id] = split.feature;
    splitBin[id] = split.bin;
    missingLeft[id] = split.missingLeft ? 1 : 0;
    left[id] = l;
    gain[split.feature]! += split.gain;
    const depth = parent.depth + 1;
    const a: Leaf = { node: l, start: parent.start, end: mid, depth, G, H, slot: -1, best: null };
    const b: Leaf = { node: l + 1, start: mid, end: parent.end, depth, G: GR, H: HR, slot: -1, best: null };
    leaves[at] = a;
    leaves.push(b);
    if (leaves.length >= t.maxLeaves) {
      release(parent);
      break;
    }
    const small = a.end - a.start <= b.end - b.start ? a : b;
    const large = small === a ? b : a;
    if (parent.slot >= 0 && t.subtract && splittable(large)) {
      large.slot = parent.slot;
      small.slot = take([large]);
      builder.build(nUnits, small.start, small.end, small.slot, large.slot);
    } else {
      release(parent);
      for (const c of [a, b]) {
        if (!splittable(c)) continue;
        c.slot = take([a, b]);
        builder.build(nUnits, c.start, c.end, c.slot, -1);
      }
    }
    for (const c of [a, b]) {
      if (splittable(c) && c.slot >= 0) search(c);
      else release(c);
    }
  }

  const leafStart = new Int32Array(leaves.length);
  const leafEnd = new Int32Array(leaves.length);
  const leafValues = new Float64Array(leaves.length);
  leaves.forEach((leaf, k) => {
    release(leaf);
    leafStart[k] = leaf.start;
    leafEnd[k] = leaf.end;
    leafValues[k] = leafValue(leaf.G, leaf.H, t);
    value[leaf.node] = leafValues[k]!;
  });
  return {
    ...renumber(feature, splitBin, missingLeft, left, value, d.edges),
    leafStart,
    leafEnd,
    leafValue: leafValues,
    gain,
  };
}

/** The forest's node order: a split's children get the next two numbers, left subtree first. */
function renumber(
  feature: number[],
  splitBin: number[],
  missingLeft: number[],
  left: number[],
  value: number[],
  edges: readonly Float64Array[],
): { tree: FlatTree; splitBin: Int32Array } {
  const n = feature.length;
  const tree = {
    feature: new Int32Array(n),
    threshold: new Float64Array(n),
    left: new Int32Array(n).fill(-1),
    right: new Int32Array(n).fill(-1),
    missingLeft: new Uint8Array(n),
    value: new Float64Array(n),
  };
  const bins = new Int32Array(n);
  let next = 1;
  // Pairs (old id, new id), the left child on top.
  const stack = [0, 0];
  while (stack.length > 0) {
    const to = stack.pop()!;
    const from = stack.pop()!;
    const f = feature[from]!;
    tree.feature[to] = f;
    if (f < 0) {
      tree.value[to] = value[from]!;
      continue;
    }
    const b = splitBin[from]!;
    const e = edges[f]!;
    bins[to] = b;
    tree.threshold[to] = b < e.length ? e[b]! : Number.POSITIVE_INFINITY;
    tree.missingLeft[to] = missingLeft[from]!;
    tree.left[to] = next;
    tree.right[to] = next + 1;
    stack.push(left[from]! + 1, next + 1, left[from]!, next);
    next += 2;
  }
  return { tree, splitBin: bins };
}
