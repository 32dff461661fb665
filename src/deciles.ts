/**
 * Risk deciles, the one rule for the lifecycle's warning band, the model metrics' calibration and
 * `retain merge`: 1 = the riskiest tenth of the ranked rows … 10 = the safest.
 *
 * A row's decile is the smallest k whose top k tenths hold every ranked row at least as risky:
 * decile(p) = max(1, ceil(10 · #{ranked q ≥ p} / n)). So tied scores always share a decile, and a
 * tie is resolved towards the SAFER decile: deciles 1..k never hold more than k tenths of the ranked
 * rows, which keeps the warning band within the call centre's budget even when the model gives many
 * subscribers the same score (all equal: all 10).
 *
 * The rule is captured by nine cut points, so rows not ranked (ineligible subscribers, another
 * shard) get the decile their score would fall in among the ranked, and `retain merge` can
 * recompute the cuts over the union of shards and re-apply them exactly. A missing (NaN) score is
 * not ranked and gets decile 10.
 */

/**
 * The nine non-increasing cut points from the ranked scores sorted ascending (no NaN):
 * cuts[k−1] is the (m+1)-th largest score with m = floor(k·n/10), or −∞ when m ≥ n. With no scores,
 * every cut is +∞, so every score falls in decile 10.
 */
export function riskDecileCutsSorted(ascending: Float64Array): Float64Array {
  const n = ascending.length;
  const cuts = new Float64Array(9);
  if (n === 0) return cuts.fill(Number.POSITIVE_INFINITY);
  for (let k = 1; k <= 9; k++) {
    const m = Math.floor((k * n) / 10);
    cuts[k - 1] = m >= n ? Number.NEGATIVE_INFINITY : ascending[n - 1 - m]!;
  }
  return cuts;
}

/**
 * The nine cut points of the scores of the ranked rows: those with `ranked[i]` set (the eligible
 * subscribers), every row when `ranked` is omitted; NaN scores are never ranked.
 */
export function riskDecileCuts(scores: Float64Array, ranked?: Uint8Array): Float64Array {
  const all = ranked === undefined;
  let n = 0;
  for (let i = 0; i < scores.length; i++) if ((all || ranked[i] !== 0) && !Number.isNaN(scores[i]!)) n++;
  const sorted = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < scores.length; i++)
    if ((all || ranked[i] !== 0) && !Number.isNaN(scores[i]!)) sorted[at++] = scores[i]!;
  // No one to rank against gives +∞ cuts: nobody is in a risk band, everyone gets decile 10.
  return riskDecileCutsSorted(sorted.sort());
}

/** decile(p) = 1 + #{k : p ≤ cuts[k−1]}; a NaN score is not ranked: decile 10. */
export function riskDecileOf(p: number, cuts: Float64Array): number {
  if (Number.isNaN(p)) return 10;
  let d = 1;
  for (let k = 0; k < 9; k++) if (p <= cuts[k]!) d++;
  return d;
}

/** The risk decile of every score by the given cuts. */
export function riskDeciles(scores: Float64Array, cuts: Float64Array): Uint8Array {
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = riskDecileOf(scores[i]!, cuts);
  return out;
}
