import { describe, expect, it } from 'vitest';
import { ARM, type CampaignRows, createRandom, effectsBy, estimateEffect } from '../../src/index.js';

const settings = { alpha: 0.05, minEffect: 0.02, power: 0.8 };

interface Simulated {
  rows: CampaignRows;
  all: Int32Array;
}

/**
 * One campaign with a known effect: `called` and `control` subscribers who churn at `churn` without
 * a call; a call reaches a subscriber with probability `contact`, and lowers a reached subscriber's
 * churn by `effect` (so the effect of being assigned to the list is contact × effect).
 */
function simulate(
  seed: number,
  called: number,
  control: number,
  churn: number,
  contact: number,
  effect: number,
): Simulated {
  const rng = createRandom(seed, 7);
  const n = called + control;
  const arm = new Uint8Array(n);
  const churned = new Uint8Array(n);
  const reached = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const isCalled = i < called;
    arm[i] = isCalled ? ARM.called : ARM.control;
    reached[i] = isCalled && rng.next() < contact ? 1 : 0;
    churned[i] = rng.next() < churn - (reached[i] ? effect : 0) ? 1 : 0;
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  return { rows: { arm, churned, value: new Float64Array(n).fill(600), reached }, all };
}

describe('coverage of the intervals on simulated campaigns with a known effect', () => {
  // 100 campaigns: 3,000 called, 400 held out, 12% churn without a call, 70% reached, and a call
  // that reaches lowers churn by 5 points: intent to treat −3.5 points, on those reached −5.
  const campaigns = Array.from({ length: 100 }, (_, s) => {
    const c = simulate(s, 3000, 400, 0.12, 0.7, 0.05);
    return estimateEffect(c.rows, c.all, settings);
  });

  it('the 95% Newcombe interval of the intent-to-treat effect covers the truth in at least 93 of 100', () => {
    const covered = campaigns.filter((e) => e.interval!.low <= -0.035 && -0.035 <= e.interval!.high).length;
    expect(covered).toBeGreaterThanOrEqual(93);
  });

  it('the 95% Fieller interval of the effect on those reached covers the truth in at least 93 of 100', () => {
    const covered = campaigns.filter((e) => {
      const i = e.reached!.interval!;
      return i.low <= -0.05 && -0.05 <= i.high;
    }).length;
    expect(covered).toBeGreaterThanOrEqual(93);
  });

  it('estimates without bias: the mean estimate over the campaigns is near the truth', () => {
    const itt = campaigns.reduce((s, e) => s + e.difference!, 0) / campaigns.length;
    const cace = campaigns.reduce((s, e) => s + e.reached!.effect!, 0) / campaigns.length;
    // Standard errors of these means are about 0.0017 and 0.0025.
    expect(Math.abs(itt + 0.035)).toBeLessThan(0.006);
    expect(Math.abs(cace + 0.05)).toBeLessThan(0.009);
  });
});

describe('one campaign, counted by hand', () => {
  // 10 called (3 churned, 6 reached, 1 of them churned), 5 held out (2 churned).
  const arm = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  const churned = Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
  const reached = Uint8Array.from([1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  const value = Float64Array.from([100, 100, 100, 100, 100, 300, 300, 300, 300, 300, 50, 50, 50, 50, 50]);
  const rows: CampaignRows = { arm, churned, value, reached };
  const e = estimateEffect(
    rows,
    Int32Array.from({ length: 15 }, (_, i) => i),
    settings,
  );

  it('compares the arms and values what was kept at the called group’s mean', () => {
    expect(e.called).toMatchObject({ subscribers: 10, churned: 3, churnRate: 0.3 });
    expect(e.control).toMatchObject({ subscribers: 5, churned: 2, churnRate: 0.4 });
    expect(e.difference).toBeCloseTo(-0.1, 12);
    expect(e.subscribersKept!.estimate).toBeCloseTo(1, 12);
    expect(e.revenueKept!.estimate).toBeCloseTo(200, 9);
    expect(e.revenueKept!.low).toBeCloseTo(e.subscribersKept!.low * 200, 9);
    expect(e.power.detectable).toBe(false);
  });

  it('divides the intent-to-treat effect by the contact rate for those reached', () => {
    expect(e.reached!.contactRate).toBeCloseTo(0.6, 12);
    expect(e.reached!.effect).toBeCloseTo(-0.1 / 0.6, 12);
  });

  it('breaks the effect down by group, the control group shared when only the called have the key', () => {
    const tier = (i: number) => [value[i]! >= 300 ? 'high' : 'low'];
    const byTier = effectsBy(rows, tier, settings, { order: ['low', 'high'] });
    expect(byTier.map((g) => [g.group, g.called.subscribers, g.control.subscribers])).toEqual([
      ['low', 5, 5],
      ['high', 5, 0],
    ]);
    const action = (i: number) => [i % 2 === 0 ? 'discount' : 'bundle'];
    const byAction = effectsBy(rows, action, settings, { sharedControl: true });
    expect(
      byAction.map((g) => [g.group, g.called.subscribers, g.called.churned, g.control.subscribers]),
    ).toEqual([
      ['bundle', 5, 1, 5],
      ['discount', 5, 2, 5],
    ]);
  });
});
