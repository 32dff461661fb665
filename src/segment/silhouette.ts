import type { ScaledRows } from './scale.js';

/**
 * Mean silhouette of a labelled sample, Euclidean distance, O(s² · d) time and O(s · k) memory.
 * s(i) = (b − a) / max(a, b), with a = mean distance to the rest of i's segment and b = the lowest
 * mean distance to another segment; a row alone in its segment scores 0 (as scikit-learn does).
 * Returns NaN when fewer than two segments are present in the sample.
 */
export function silhouette(x: ScaledRows, labels: Int32Array, k: number): number {
  const { n, d, data } = x;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  let present = 0;
  for (let c = 0; c < k; c++) if (sizes[c]! > 0) present++;
  if (present < 2) return Number.NaN;
  // sums[i * k + c]: total distance from row i to the rows of segment c; each pair computed once.
  const sums = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const li = labels[i]!;
    const ai = i * d;
    for (let j = i + 1; j < n; j++) {
      const aj = j * d;
      let s = 0;
      for (let f = 0; f < d; f++) {
        const diff = data[ai + f]! - data[aj + f]!;
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      sums[i * k + labels[j]!]! += dist;
      sums[j * k + li]! += dist;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const li = labels[i]!;
    if (sizes[li]! < 2) continue;
    const a = sums[i * k + li]! / (sizes[li]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      if (c === li || sizes[c] === 0) continue;
      const mean = sums[i * k + c]! / sizes[c]!;
      if (mean < b) b = mean;
    }
    const denom = Math.max(a, b);
    total += denom > 0 ? (b - a) / denom : 0;
  }
  return total / n;
}
