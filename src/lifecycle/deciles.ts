/**
 * Risk deciles: 1 = the riskiest tenth of the ELIGIBLE subscribers, 10 = the safest.
 *
 * A subscriber's decile is the smallest k whose top k tenths hold every eligible subscriber at
 * least as risky: decile(p) = max(1, ceil(10 · #{eligible q ≥ p} / n)). So tied probabilities
 * always share a decile, and a tie is resolved towards the SAFER decile: deciles 1..k never hold
 * more than k tenths of the eligible subscribers, which keeps the warning band within the call
 * centre's budget even when the model gives many subscribers the same score (all equal: all 10).
 *
 * The rule is captured by nine cut points, so ineligible subscribers get the decile their
 * probability would fall in among the eligible, and `retain merge` can recompute the cuts over
 * the union of shards and re-apply them exactly. A missing (NaN) probability is not ranked and
 * gets decile 10.
 */

/**
 * Nine cut points, non-increasing: decile(p) = 1 + #{k : p ≤ cuts[k−1]}. cuts[k−1] is the
 * (m+1)-th largest eligible probability with m = floor(k·n/10), or −∞ when m ≥ n.
 */
export function riskDecileCuts(prob: Float64Array, eligible: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < prob.length; i++) if (eligible[i] !== 0 && !Number.isNaN(prob[i]!)) n++;
  const cuts = new Float64Array(9);
  // No one to rank against: nobody is in a risk band, everyone gets decile 10.
  if (n === 0) return cuts.fill(Number.POSITIVE_INFINITY);
  const sorted = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < prob.length; i++)
    if (eligible[i] !== 0 && !Number.isNaN(prob[i]!)) sorted[at++] = prob[i]!;
  sorted.sort();
  for (let k = 1; k <= 9; k++) {
    const m = Math.floor((k * n) / 10);
    // sorted is ascending: the (m+1)-th largest sits at n-1-m.
    cuts[k - 1] = m >= n ? Number.NEGATIVE_INFINITY : sorted[n - 1 - m]!;
  }
  return cuts;
}

export function decileOf(prob: number, cuts: Float64Array): number {
  if (Number.isNaN(prob)) return 10;
  let d = 1;
  for (let k = 0; k < 9; k++) if (prob <= cuts[k]!) d++;
  return d;
}

export function riskDeciles(prob: Float64Array, cuts: Float64Array): Uint8Array {
  const out = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) out[i] = decileOf(prob[i]!, cuts);
  return out;
}
