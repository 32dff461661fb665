import { describe, expect, it } from 'vitest';
import {
  balancedGroupNeeded,
  comparisonPower,
  controlNeeded,
  criticalValue,
  fieller,
  minimumDetectableEffect,
  newcombe,
  normalCdf,
  normalQuantile,
  wilson,
} from '../../src/index.js';

describe('normal quantiles', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    [0.975, 1.959963984540054],
    [0.8,   0.8416212335729143],
    [0.995, 2.5758293035489004],
    [0.025, -1.959963984540054],
    [1e-6,  -4.753424308822899],
  ])('normalQuantile(%f) = %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
    expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 7);
  });

  it('refuses a probability outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('Wilson and Newcombe intervals', () => {
  it('gives the Wilson interval of 0 of 5 and of 81 of 263', () => {
    const z = criticalValue(0.05);
    expect(wilson(0, 5, z).low).toBe(0);
    expect(wilson(0, 5, z).high).toBeCloseTo(0.4345, 4);
    // Newcombe (1998a), example: 81/263.
    expect(wilson(81, 263, z).low).toBeCloseTo(0.2553, 4);
    expect(wilson(81, 263, z).high).toBeCloseTo(0.3662, 4);
  });

  // Newcombe (1998), "Interval estimation for the difference between independent proportions",
  // Statistics in Medicine 17, Table II, method 10 (hybrid score).
  // biome-ignore format: a case table reads best aligned
  it.each([
    [56, 70, 48, 80, 0.0524,  0.3339],
    [9,  10, 3,  10, 0.1705,  0.809],
    [6,  7,  2,  7,  0.0582,  0.8062],
    [5,  56, 0,  29, -0.0381, 0.1926],
    [0,  10, 0,  20, -0.1611, 0.2775],
    [0,  10, 0,  10, -0.2775, 0.2775],
    [10, 10, 0,  20, 0.6791,  1.0],
    [10, 10, 0,  10, 0.6075,  1.0],
  ])('%i/%i − %i/%i lies in [%f, %f]', (x1, n1, x2, n2, low, high) => {
    const r = newcombe(x1, n1, x2, n2, criticalValue(0.05))!;
    expect(r.difference).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it('has no interval when a group is empty', () => {
    expect(newcombe(3, 10, 0, 0, 1.96)).toBeNull();
  });
});

describe("Fieller's interval", () => {
  it('agrees with the delta method when the denominator is precise', () => {
    const [a, b, va, vb] = [-0.03, 0.7, 1e-5, 1e-6];
    const r = fieller(a, b, va, vb, 0, 1.96)!;
    const se = Math.sqrt(va / b ** 2 + (a ** 2 / b ** 4) * vb);
    expect(r.low).toBeCloseTo(a / b - 1.96 * se, 4);
    expect(r.high).toBeCloseTo(a / b + 1.96 * se, 4);
  });

  it('solves (a − θb)² = z²(va − 2θ·cov + θ²vb) at both ends', () => {
    const [a, b, va, vb, cov, z] = [0.05, 0.3, 4e-4, 9e-4, 1e-4, 1.96];
    const r = fieller(a, b, va, vb, cov, z)!;
    for (const t of [r.low, r.high])
      expect((a - t * b) ** 2).toBeCloseTo(z * z * (va - 2 * t * cov + t * t * vb), 12);
    expect(r.low).toBeLessThan(a / b);
    expect(r.high).toBeGreaterThan(a / b);
  });

  it('is unbounded when the denominator cannot be told from 0', () => {
    expect(fieller(0.05, 0.02, 1e-4, 1e-3, 0, 1.96)).toBeNull();
  });
});

describe('power and group sizes', () => {
  // Fleiss' sample size per group without continuity correction, two-sided alpha 0.05, power 0.8.
  // biome-ignore format: a case table reads best aligned
  it.each([
    [0.6,  0.2,  97],
    [0.2,  0.1,  199],
    [0.15, 0.02, 4724],
  ])('control churn %f, effect %f: %i per group', (churn, effect, n) => {
    expect(balancedGroupNeeded(churn, { effect, alpha: 0.05, power: 0.8 })).toBe(n);
    expect(comparisonPower(n, n, churn, effect, 0.05)).toBeGreaterThanOrEqual(0.8);
    expect(comparisonPower(n - 1, n - 1, churn, effect, 0.05)).toBeLessThan(0.8);
  });

  it('finds the smallest control group beside a large called group, and none beside a small one', () => {
    const t = { effect: 0.02, alpha: 0.05, power: 0.8 };
    const c = controlNeeded(1_000_000, 0.15, t)!;
    expect(comparisonPower(1_000_000, c, 0.15, 0.02, 0.05)).toBeGreaterThanOrEqual(0.8);
    expect(comparisonPower(1_000_000, c - 1, 0.15, 0.02, 0.05)).toBeLessThan(0.8);
    expect(c).toBeGreaterThan(2000);
    expect(c).toBeLessThan(2500);
    expect(controlNeeded(1000, 0.15, t)).toBeNull();
  });

  it('gives the smallest detectable effect of two groups', () => {
    const mde = minimumDetectableEffect(4724, 4724, 0.13, { alpha: 0.05, power: 0.8 })!;
    expect(mde).toBeGreaterThan(0.0199);
    expect(mde).toBeLessThan(0.0201);
    expect(minimumDetectableEffect(3, 3, 0.5, { alpha: 0.05, power: 0.8 })).toBeNull();
  });
});
