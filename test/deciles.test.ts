import { describe, expect, it } from 'vitest';
import { riskDecileCuts, riskDecileOf, riskDeciles } from '../src/index.js';

/** Independent definition: smallest k whose top k tenths hold every eligible q ≥ p. */
function bruteDecile(p: number, probs: number[], eligible: number[]): number {
  const pool = probs.filter((q, i) => eligible[i] === 1 && !Number.isNaN(q));
  if (pool.length === 0 || Number.isNaN(p)) return 10;
  const atLeast = pool.filter((q) => q >= p).length;
  return Math.max(1, Math.ceil((10 * atLeast) / pool.length - 1e-12));
}

function deciles(probs: number[], eligible?: number[]): number[] {
  const e = Uint8Array.from(eligible ?? probs.map(() => 1));
  return Array.from(riskDeciles(Float64Array.from(probs), riskDecileCuts(Float64Array.from(probs), e)));
}

describe('risk deciles', () => {
  it('splits 20 distinct probabilities into tenths, riskiest first', () => {
    const probs = Array.from({ length: 20 }, (_, i) => i / 20); // 0 .. 0.95
    expect(deciles(probs)).toEqual(probs.map((_, i) => 10 - Math.floor(i / 2)));
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    [
      'all equal',
      [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3],
      [10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
    ],
    [
      'tie at the top',
      [0.9, 0.9, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01],
      [2, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ],
    [
      'one risky subscriber',
      [0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
      [1, 10, 10, 10, 10, 10, 10, 10, 10, 10],
    ],
    ['fewer than ten', [0.8, 0.6, 0.4], [4, 7, 10]],
    ['single subscriber', [0.5], [10]],
  ])('%s', (_name, probs, expected) => {
    expect(deciles(probs)).toEqual(expected);
  });

  it('never puts more than k tenths of the eligible in deciles 1..k, and never splits a tie', () => {
    const probs = Array.from({ length: 997 }, (_, i) => Math.round(((i * 7919) % 997) / 50) / 20);
    const d = deciles(probs);
    for (let k = 1; k <= 10; k++) expect(d.filter((x) => x <= k).length).toBeLessThanOrEqual((k * 997) / 10);
    const byProb = new Map<number, Set<number>>();
    probs.forEach((p, i) => {
      byProb.set(p, (byProb.get(p) ?? new Set()).add(d[i]!));
    });
    for (const set of byProb.values()) expect(set.size).toBe(1);
    const all = probs.map(() => 1);
    expect(d).toEqual(probs.map((p) => bruteDecile(p, probs, all)));
  });

  it('ranks among the eligible only; ineligible rows get the decile their probability falls in', () => {
    const probs = [0.99, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.42];
    const eligible = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0];
    const d = deciles(probs, eligible);
    expect(d).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2]);
    probs.forEach((p, i) => {
      expect(d[i]).toBe(bruteDecile(p, probs, eligible));
    });
  });

  it('gives decile 10 to everyone when no one is eligible, and to a missing probability', () => {
    expect(deciles([0.9, 0.1], [0, 0])).toEqual([10, 10]);
    expect(deciles([Number.NaN, 0.9, 0.1])).toEqual([10, 5, 10]);
  });

  it('re-applies cuts of a union exactly (what a shard merge does)', () => {
    const probs = Float64Array.from({ length: 500 }, (_, i) => ((i * 37) % 101) / 100);
    const all = riskDecileCuts(probs, new Uint8Array(500).fill(1));
    const half = probs.subarray(0, 250);
    for (let i = 0; i < 250; i++)
      expect(riskDecileOf(half[i]!, all)).toBe(
        bruteDecile(
          half[i]!,
          [...probs],
          [...probs].map(() => 1),
        ),
      );
  });

  it.each([
    { name: 'ten distinct', s: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], d: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1] },
    {
      name: 'ties share the safer decile',
      s: [5, 5, 5, 4, 3, 2, 1, 1, 1, 1],
      d: [3, 3, 3, 4, 5, 6, 10, 10, 10, 10],
    },
    { name: 'all equal', s: [0.2, 0.2, 0.2], d: [10, 10, 10] },
    { name: 'NaN is not ranked', s: [0.9, Number.NaN, 0.1], d: [5, 10, 10] },
  ])('without an eligibility mask ranks every scored row: $name', (c) => {
    const s = Float64Array.from(c.s);
    expect(Array.from(riskDeciles(s, riskDecileCuts(s)))).toEqual(c.d);
    expect(riskDecileCuts(s)).toEqual(riskDecileCuts(s, new Uint8Array(s.length).fill(1)));
  });

  it('puts two rows in each decile out of twenty', () => {
    const s = Float64Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(Array.from(riskDeciles(s, riskDecileCuts(s)))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
    ]);
  });
});
