/**
 * Split search on a gradient histogram (the second-order gain of XGBoost and LightGBM): a leaf with
 * gradient sum G and hessian sum H scores G² / (H + λ); a split gains the children's scores minus the
 * parent's. Every cut between value bins is tried with the missing bin on either side, so the
 * direction of missing values is learned.
 */
import { STRIDE } from './histogram.js';

export interface SplitLimits {
  readonly minLeaf: number;
  readonly minHessian: number;
  readonly lambda: number;
  /** Smallest gain worth a split. */
  readonly minGain: number;
}

/** Best split found so far at a node; feature -1 = none. */
export interface BestSplit {
  gain: number;
  feature: number;
  /** Value bins 0..bin go left. */
  bin: number;
  missingLeft: boolean;
}

export function noSplit(limits: SplitLimits): BestSplit {
  return { gain: limits.minGain, feature: -1, bin: 0, missingLeft: false };
}

/**
 * Tries every cut of feature f in the histogram at `base` (the feature's first bin) for a node with
 * sums G, H over C rows, updating `best` when one gains more. Ties keep the earlier candidate: lower
 * feature (callers go in feature order), lower bin, missing right before missing left.
 */
export function searchFeature(
  pool: Float64Array,
  base: number,
  f: number,
  valueBins: number,
  G: number,
  H: number,
  C: number,
  limits: SplitLimits,
  best: BestSplit,
): void {
  const { minLeaf, minHessian, lambda } = limits;
  const m = base + valueBins * STRIDE;
  const gm = pool[m]!;
  const hm = pool[m + 1]!;
  const cm = pool[m + 2]!;
  const parent = (G * G) / (H + lambda);
  let gl = 0;
  let hl = 0;
  let cl = 0;
  for (let b = 0; b < valueBins; b++) {
    const k = base + b * STRIDE;
    const c = pool[k + 2]!;
    if (c === 0) continue;
    gl += pool[k]!;
    hl += pool[k + 1]!;
    cl += c;
    let cr = C - cl;
    // Each later cut leaves fewer rows on the right (missing ones to the left leave fewer still), so
    // once this one leaves too few, none is left to try.
    if (cr < minLeaf) break;
    // Missing rows to the right (with none at this node: to the larger side, the likelier path).
    if (cl >= minLeaf) {
      const hr = H - hl;
      if (hl >= minHessian && hr >= minHessian) {
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > best.gain) {
          best.gain = gain;
          best.feature = f;
          best.bin = b;
          best.missingLeft = cm === 0 && cl >= cr;
        }
      }
    }
    if (cm === 0) continue;
    // Missing rows to the left.
    const ca = cl + cm;
    cr = C - ca;
    if (ca >= minLeaf && cr >= minLeaf) {
      const ha = hl + hm;
      const hr = H - ha;
      if (ha >= minHessian && hr >= minHessian) {
        const ga = gl + gm;
        const gr = G - ga;
        const gain = (ga * ga) / (ha + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > best.gain) {
          best.gain = gain;
          best.feature = f;
          best.bin = b;
          best.missingLeft = true;
        }
      }
    }
  }
}
