/** Each row's top drivers: the feature groups whose contributions raise its raw output the most. */
import { allRows, type Explainer, forBlocks } from './explain-walk.js';
import type { FeatureMatrix } from './types.js';

/** Features summed into groups (a wide table's one-hot columns into the column they came from). */
export interface FeatureGroups {
  /** Group of each feature. */
  readonly of: Int32Array;
  readonly count: number;
  /**
   * Which member speaks for its group: among members raising the output, the one of highest
   * priority, then largest contribution. Default: all equal.
   */
  readonly priority?: Int32Array;
}

export interface Drivers {
  readonly k: number;
  /** rows × k: the groups with the largest positive contributions, largest first; -1 past the last. */
  readonly group: Int32Array;
  readonly amount: Float64Array;
  /** rows × k: the feature speaking for each group (FeatureGroups.priority); -1 past the last. */
  readonly speaker: Int32Array;
  /** Per row, the raw output (the same bits as prediction's, from the same walk). */
  readonly output: Float64Array;
}

/** Per row, the (at most) k groups that raise its raw output the most, and that raw output. */
export function topDrivers(
  ex: Explainer,
  X: FeatureMatrix,
  k: number,
  groups: FeatureGroups = { of: allRows(ex.nFeatures), count: ex.nFeatures },
  rows = allRows(X.nRows),
): Drivers {
  const F = ex.nFeatures;
  const priority = groups.priority ?? new Int32Array(F);
  const group = new Int32Array(rows.length * k).fill(-1);
  const amount = new Float64Array(rows.length * k);
  const speaker = new Int32Array(rows.length * k).fill(-1);
  const output = new Float64Array(rows.length);
  // Per block, column-major as phi: each group's sum and the feature speaking for it, for every row.
  let sums = new Float64Array(0);
  let best = new Int32Array(0);
  forBlocks(ex, X, rows, (start, phi, raw, n, stride) => {
    output.set(raw.subarray(0, n), start);
    if (sums.length !== groups.count * stride) {
      sums = new Float64Array(groups.count * stride);
      best = new Int32Array(groups.count * stride);
    }
    sums.fill(0);
    best.fill(-1);
    // Features in order for each row, so a group's sum adds its members in the order a row's loop would.
    for (let f = 0; f < F; f++)
      groupFeature(phi, f * stride, groups.of[f]! * stride, f, priority, sums, best, n, stride);
    for (let g = 0; g < groups.count; g++)
      rankGroup(sums, best, g, g * stride, start, n, k, group, amount, speaker);
  });
  return { k, group, amount, speaker, output };
}

/**
 * Adds feature f's contributions (phi from `from`) to its group's sums (from `to`), and makes f the
 * group's speaker for rows where it raises the output and outranks the speaker so far: higher
 * priority, then a larger contribution.
 */
function groupFeature(
  phi: Float64Array,
  from: number,
  to: number,
  f: number,
  priority: Int32Array,
  sums: Float64Array,
  best: Int32Array,
  n: number,
  stride: number,
): void {
  const p = priority[f]!;
  for (let r = 0; r < n; r++) {
    const v = phi[from + r]!;
    sums[to + r]! += v;
    if (!(v > 0)) continue;
    const b = best[to + r]!;
    if (b < 0 || p > priority[b]! || (p === priority[b] && v > phi[b * stride + r]!)) best[to + r] = f;
  }
}

/**
 * Inserts group g into each row's k-long list where its sum raises the output: largest first, ties
 * keeping the lower group index first (groups come in ascending order).
 */
function rankGroup(
  sums: Float64Array,
  best: Int32Array,
  g: number,
  from: number,
  start: number,
  n: number,
  k: number,
  group: Int32Array,
  amount: Float64Array,
  speaker: Int32Array,
): void {
  for (let r = 0; r < n; r++) {
    const v = sums[from + r]!;
    if (!(v > 0)) continue;
    const o = (start + r) * k;
    let at = k;
    while (at > 0 && (group[o + at - 1]! < 0 || amount[o + at - 1]! < v)) at--;
    if (at >= k) continue;
    for (let j = k - 1; j > at; j--) {
      group[o + j] = group[o + j - 1]!;
      amount[o + j] = amount[o + j - 1]!;
      speaker[o + j] = speaker[o + j - 1]!;
    }
    group[o + at] = g;
    amount[o + at] = v;
    speaker[o + at] = best[from + r]!;
  }
}
