/**
 * The Qini curve, uplift curve and their areas against a computation written here from the
 * definitions: for each distinct score, the subscribers scoring at least that much, counted anew.
 */
import { describe, expect, it } from 'vitest';
import { createRandom, curvePoints, qiniCurve } from '../../src/index.js';

/** Every point recomputed by filtering, not by running sums; areas by the trapezoid rule. */
function reference(score: number[], treated: number[], churned: number[]) {
  const n = score.length;
  const cuts = [...new Set(score)].sort((a, b) => b - a);
  const points = [{ x: 0, q: 0, g: 0 }];
  for (const c of cuts) {
    const top = score.map((s, i) => (s >= c ? i : -1)).filter((i) => i >= 0);
    const t = top.filter((i) => treated[i] === 1);
    const k = top.filter((i) => treated[i] === 0);
    const yt = t.filter((i) => churned[i] === 1).length;
    const yc = k.filter((i) => churned[i] === 1).length;
    const both = t.length > 0 && k.length > 0;
    points.push({
      x: top.length / n,
      q: both ? yc * (t.length / k.length) - yt : 0,
      g: both ? (yc / k.length - yt / t.length) * top.length : 0,
    });
  }
  let auuc = 0;
  let area = 0;
  for (let j = 1; j < points.length; j++) {
    const dx = points[j]!.x - points[j - 1]!.x;
    auuc += (dx * (points[j]!.g + points[j - 1]!.g)) / 2;
    area += (dx * (points[j]!.q + points[j - 1]!.q)) / 2;
  }
  const total = points[points.length - 1]!.q;
  return { points, auuc, area, coefficient: area - total / 2, total };
}

function campaign(n: number, seed: number, ties: boolean) {
  const r = createRandom(seed, 3);
  const score: number[] = [];
  const treated: number[] = [];
  const churned: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = r.next();
    const t = r.next() < 0.6 ? 1 : 0;
    // The call lowers churn where x is high and raises it where x is low.
    const p = 0.2 - (t === 1 ? 0.15 * (x - 0.4) : 0);
    score.push(ties ? Math.round(x * 10) / 10 : x + 0.1 * (r.next() - 0.5));
    treated.push(t);
    churned.push(r.next() < p ? 1 : 0);
  }
  return { score, treated, churned };
}

describe('qiniCurve', () => {
  // prettier-ignore
  it.each([
    { n: 200, seed: 1, ties: false },
    { n: 1000, seed: 2, ties: true },
    { n: 3000, seed: 3, ties: false },
  ])('matches the recomputation from the definitions (n $n, ties $ties)', ({ n, seed, ties }) => {
    const c = campaign(n, seed, ties);
    const got = qiniCurve({
      score: Float64Array.from(c.score),
      treated: Uint8Array.from(c.treated),
      churned: Uint8Array.from(c.churned),
    });
    const want = reference(c.score, c.treated, c.churned);
    expect(got.curve).toHaveLength(want.points.length);
    got.curve.forEach((p, j) => {
      expect(p.share).toBeCloseTo(want.points[j]!.x, 12);
      expect(p.qini).toBeCloseTo(want.points[j]!.q, 9);
      expect(p.gain).toBeCloseTo(want.points[j]!.g, 9);
    });
    expect(got.auuc).toBeCloseTo(want.auuc, 9);
    expect(got.qiniArea).toBeCloseTo(want.area, 9);
    expect(got.qiniCoefficient).toBeCloseTo(want.coefficient, 9);
    expect(got.total).toBeCloseTo(want.total, 9);
    expect(got.called + got.control).toBe(n);
  });

  it('rewards the order that puts those a call keeps first, and penalises its reverse', () => {
    const c = campaign(5000, 4, false);
    const args = { treated: Uint8Array.from(c.treated), churned: Uint8Array.from(c.churned) };
    const good = qiniCurve({ ...args, score: Float64Array.from(c.score) });
    const bad = qiniCurve({ ...args, score: Float64Array.from(c.score, (s) => -s) });
    expect(good.qiniCoefficient).toBeGreaterThan(0);
    expect(bad.qiniCoefficient).toBeLessThan(0);
    // The same subscribers in the end: the last point does not depend on the order.
    expect(good.total).toBeCloseTo(bad.total, 9);
  });

  it('hand-worked case: 2 called, 2 control', () => {
    // Order: called stayer (0.9), control churner (0.8), called churner (0.7), control stayer (0.6).
    const q = qiniCurve({
      score: Float64Array.from([0.9, 0.8, 0.7, 0.6]),
      treated: Uint8Array.from([1, 0, 1, 0]),
      churned: Uint8Array.from([0, 1, 1, 0]),
    });
    expect(q.curve.map((p) => p.qini)).toEqual([0, 0, 1, 1, 0]);
    // gain at 3: (1/1 − 1/2) · 3 = 1.5.
    expect(q.curve.map((p) => p.gain)).toEqual([0, 0, 2, 1.5, 0]);
    // Trapezoids of width 0.25: Qini (0+0)/2 + (0+1)/2 + (1+1)/2 + (1+0)/2 = 2 → 0.5;
    // gain (0+0)/2 + (0+2)/2 + (2+1.5)/2 + (1.5+0)/2 = 3.5 → 0.875.
    expect(q.qiniArea).toBeCloseTo(0.5, 12);
    expect(q.auuc).toBeCloseTo(0.875, 12);
    expect(q.qiniCoefficient).toBeCloseTo(0.5, 12);
  });

  it('curvePoints keeps the start and the end and at most one point per step', () => {
    const c = campaign(1000, 5, false);
    const q = qiniCurve({
      score: Float64Array.from(c.score),
      treated: Uint8Array.from(c.treated),
      churned: Uint8Array.from(c.churned),
    });
    const pts = curvePoints(q, 10);
    expect(pts).toHaveLength(11);
    expect(pts[0]!.share).toBe(0);
    expect(pts[10]).toEqual(q.curve[q.curve.length - 1]);
    expect(pts[5]!.share).toBeCloseTo(0.5, 12);
  });
});
