/**
 * Gradient-based one-side sampling (GOSS, from LightGBM's paper): a round's tree is fitted on the rows
 * with the largest gradients, which are the ones the model still gets wrong, and on a seeded draw of
 * the rest, whose gradients and hessians are scaled up by the share they stand for, so that every
 * node's sums estimate the sums over all rows. With few churners most rows are confidently right and
 * carry little gradient: the tree is grown from a fraction of them.
 */
import type { Random } from '../../random.js';

/** Rows taken by largest gradient and drawn from the rest, of n. */
export interface SampleCounts {
  readonly top: number;
  readonly other: number;
}

export function sampleCounts(n: number, topShare: number, otherShare: number): SampleCounts {
  const top = Math.min(n, Math.round(topShare * n));
  return { top, other: Math.min(n - top, Math.round(otherShare * n)) };
}

/** Rounds grown on every row before sampling starts: the first 1 / learning rate, as LightGBM does. */
export function warmUpRounds(learningRate: number): number {
  return Math.floor(1 / learningRate);
}

/**
 * Of the n rows whose gradient and hessian are at positions 0 … n − 1 of `gh` (row i at position i),
 * keeps `counts.top` of largest |gradient| (ties in row order) and draws `counts.other` of the rest
 * (selection sampling, so in row order), scaling the drawn rows' gradient and hessian by
 * (n − top) / other. The kept rows are compacted to the front, ascending: `rows[k]` is the k-th kept
 * row and its values are at position k. `inBag[i]` says whether row i was kept. `work` holds n
 * numbers. Returns how many rows were kept.
 */
export function sampleByGradient(
  gh: Float64Array,
  n: number,
  counts: SampleCounts,
  random: Random,
  rows: Uint32Array,
  inBag: Uint8Array,
  work: Float64Array,
): number {
  const { top, other } = counts;
  for (let i = 0; i < n; i++) work[i] = Math.abs(gh[2 * i]!);
  const cut = top > 0 ? largest(work, n, top) : Number.POSITIVE_INFINITY;
  let above = 0;
  for (let i = 0; i < n; i++) if (Math.abs(gh[2 * i]!) > cut) above++;
  let atCut = top - above;
  const scale = other > 0 ? (n - top) / other : 0;
  let restLeft = n - top;
  let drawLeft = other;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(gh[2 * i]!);
    let w = 0;
    if (a > cut) w = 1;
    else if (a === cut && atCut > 0) {
      atCut--;
      w = 1;
    } else {
      if (drawLeft > 0 && random.next() * restLeft < drawLeft) {
        drawLeft--;
        w = scale;
      }
      restLeft--;
    }
    if (w === 0) {
      inBag[i] = 0;
      continue;
    }
    inBag[i] = 1;
    rows[k] = i;
    gh[2 * k] = gh[2 * i]! * w;
    gh[2 * k + 1] = gh[2 * i + 1]! * w;
    k++;
  }
  return k;
}

/** The k-th largest of a[0 … n) (1 ≤ k ≤ n), by quickselect; reorders `a`. */
export function largest(a: Float64Array, n: number, k: number): number {
  // The k-th largest is the (n − k)-th smallest, from 0.
  const want = n - k;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const pivot = median3(a[lo]!, a[mid]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return a[want]!;
  }
  return a[want]!;
}

function median3(x: number, y: number, z: number): number {
  return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
}
