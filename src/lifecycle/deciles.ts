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

import { decileCuts, decileOf } from '../deciles.js';

export { decileOf };

/** The nine cut points of the eligible subscribers' probabilities (see deciles.ts). */
export function riskDecileCuts(prob: Float64Array, eligible: Uint8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < prob.length; i++) if (eligible[i] !== 0 && !Number.isNaN(prob[i]!)) n++;
  const sorted = new Float64Array(n);
  let at = 0;
  for (let i = 0; i < prob.length; i++)
    if (eligible[i] !== 0 && !Number.isNaN(prob[i]!)) sorted[at++] = prob[i]!;
  // No one to rank against gives +∞ cuts: nobody is in a risk band, everyone gets decile 10.
  return decileCuts(sorted.sort());
}

export function riskDeciles(prob: Float64Array, cuts: Float64Array): Uint8Array {
  const out = new Uint8Array(prob.length);
  for (let i = 0; i < prob.length; i++) out[i] = decileOf(prob[i]!, cuts);
  return out;
}
