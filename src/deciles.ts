/**
 * The risk-decile rule, shared by the lifecycle's warning band and the model metrics' calibration:
 * decile(p) = max(1, ceil(10 · #{q ≥ p} / n)), 1 = riskiest tenth … 10. Tied scores always share a
 * decile and a tie goes to the SAFER decile, so deciles 1..k never hold more than k tenths of the
 * rows; all scores equal puts everyone in 10. The rule is captured by nine cut points, so scores not
 * in the ranked set (ineligible subscribers, another shard) can be placed by the same cuts.
 */

/**
 * Nine non-increasing cut points from the ranked scores sorted ascending (no NaN):
 * cuts[k−1] is the (m+1)-th largest score with m = floor(k·n/10), or −∞ when m ≥ n. With no scores,
 * every cut is +∞, so every score falls in decile 10.
 */
export function decileCuts(ascending: Float64Array): Float64Array {
  const n = ascending.length;
  const cuts = new Float64Array(9);
  if (n === 0) return cuts.fill(Number.POSITIVE_INFINITY);
  for (let k = 1; k <= 9; k++) {
    const m = Math.floor((k * n) / 10);
    cuts[k - 1] = m >= n ? Number.NEGATIVE_INFINITY : ascending[n - 1 - m]!;
  }
  return cuts;
}

/** decile(p) = 1 + #{k : p ≤ cuts[k−1]}; a NaN score is not ranked: decile 10. */
export function decileOf(p: number, cuts: Float64Array): number {
  if (Number.isNaN(p)) return 10;
  let d = 1;
  for (let k = 0; k < 9; k++) if (p <= cuts[k]!) d++;
  return d;
}
