import { describe, expect, it } from 'vitest';
import {
  assess,
  assessment,
  type CohortKpis,
  DEFAULT_CONFIG,
  type KpiFigures,
  partPoints,
} from '../../src/index.js';

const rule = { max: 60, target: 0.98, points_per_point: 3 };

describe('points per percentage point', () => {
  // biome-ignore format: column-aligned table
  it.each([
    ['at the target',                      0.98,  false, 60],
    ['above the target, capped at max',    1.10,  false, 60],
    ['2 points short',                     0.96,  false, 54],
    ['far short, floored at 0',            0.50,  false, 0],
    ['churn at the target',                0.98,  true,  60],
    ['churn 1.5 points above the target',  0.995, true,  55.5],
    ['churn below the target',             0.5,   true,  60],
  ])('%s', (_, value, lowerIsBetter, points) => {
    expect(partPoints(value, rule, lowerIsBetter)).toBeCloseTo(points, 9);
  });
});

const figures = (retention: number | null, churn: number | null): KpiFigures => ({
  revenue_subscribers: 10,
  billed_base: 1,
  billed_this_month: 1,
  churn_subscribers: 10,
  churned: 1,
  daily_revenue_retention: retention,
  monthly_billed_churn: churn,
});

describe('the assessment score', () => {
  it('weighs 60 / 30 / 10 by default and leaves management out without work orders', () => {
    const a = assess(figures(0.97, 0.02), null, DEFAULT_CONFIG.kpi.assessment);
    // Retention 3 points short of 100% at 2 per point; churn 1 point above 1% at 5 per point.
    expect(a.revenue_retention.points).toBeCloseTo(54, 9);
    expect(a.billed_churn.points).toBeCloseTo(25, 9);
    expect(a.management).toMatchObject({ points: null, note: 'not assessed: no work-order outcomes given' });
    expect(a.total).toBeCloseTo(79, 9);
    expect(a.out_of).toBe(90);
    const full = assess(figures(1.01, 0.005), 0.9, DEFAULT_CONFIG.kpi.assessment);
    expect([full.revenue_retention.points, full.billed_churn.points]).toEqual([60, 30]);
    expect(full.management.points).toBeCloseTo(5, 9);
    expect(full.out_of).toBe(100);
  });

  it('scores each unit on its own figures and return rate', () => {
    const kpis = {
      month: '2026-03',
      definition: 'cohort',
      overall: figures(1, 0.01),
      by_unit: { north: figures(0.9, 0.03), south: figures(1, null) },
    } as unknown as CohortKpis;
    const r = assessment(kpis, DEFAULT_CONFIG.kpi.assessment, { overall: 0.95, byUnit: { north: 0.85 } });
    expect(r.overall.total).toBe(100);
    expect(r.by_unit!.north!.total).toBeCloseTo(40 + 20 + 0, 9);
    expect(r.by_unit!.south).toMatchObject({ total: 60, out_of: 60 });
    expect(r.by_unit!.south!.management.note).toBe('not assessed: nobody of this unit was listed');
  });
});
