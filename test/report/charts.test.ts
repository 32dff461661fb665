/**
 * Each chart's spec carries the values it claims: recomputed here from the data it was built from
 * (a generated month's summary, the shipped model, generated outcomes and arms).
 */
import { describe, expect, it } from 'vitest';
import {
  calibrationChart,
  driftChart,
  effectChart,
  gainsChart,
  gainsFromDeciles,
  importanceChart,
  kpiTrend,
  modelView,
  STAGES,
  segmentChart,
  stageTierCells,
  stageTierChart,
  TIERS,
  trendChart,
  triggerChart,
} from '../../src/index.js';
import { DRIFT, generatedEffect, generatedEvaluation, generatedSummary, MODEL } from './report-input.js';

type Row = Record<string, unknown>;
/** The inline values of a spec, or of its layer `k`. */
const values = (spec: unknown, k?: number): Row[] => {
  const s = spec as { data?: { values: Row[] }; layer?: { data?: { values: Row[] } }[] };
  return (k === undefined ? s.data : s.layer![k]!.data)!.values;
};

const summary = generatedSummary('2024-03');
const model = modelView(MODEL);

describe('chart specs', () => {
  it('trend: one point per month, oldest first, the KPIs of each summary', () => {
    const months = [generatedSummary('2024-02'), summary, generatedSummary('2024-01')];
    const c = trendChart(kpiTrend(months), 'CNY');
    expect(c.id).toBe('kpi-trend');
    const v = values(c.spec);
    expect(v.map((p) => p.month)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(v[2]).toEqual({
      month: '2024-03',
      retention: summary.kpis.daily_revenue_retention,
      churn: summary.kpis.monthly_billed_churn,
      revenueAtRisk: summary.revenue_at_risk.listed,
    });
    // 90 billed in a 31-day month against 100 in a 29-day one, with a locked subscriber gone.
    expect(v[2]!.retention).toBeCloseTo(90 / 31 / (180 / 29), 12);
    expect(v[2]!.churn).toBe(0.5);
    expect(JSON.stringify(c.spec)).toContain('revenue at risk on the lists (CNY)');
  });

  it('stage × tier: a cell for every pair, adding up to the stage counts', () => {
    const cells = stageTierCells(summary)!;
    const c = stageTierChart(cells, STAGES, TIERS);
    const v = values(c.spec);
    expect(v).toHaveLength(STAGES.length * TIERS.length);
    for (const stage of STAGES) {
      const sum = v.filter((x) => x.stage === stage).reduce((s, x) => s + (x.subscribers as number), 0);
      expect(sum).toBe(summary.stages[stage]);
    }
    for (const tier of TIERS) {
      const sum = v.filter((x) => x.tier === tier).reduce((s, x) => s + (x.subscribers as number), 0);
      expect(sum).toBe(summary.tiers[tier]);
    }
  });

  it('gains: cumulative shares recomputed from the scores themselves, lift from decile rates', () => {
    const e = generatedEvaluation();
    const points = gainsFromDeciles(e.metrics.calibration);
    const c = gainsChart('gains-evaluation', 't', points);
    const v = values(c.spec);
    expect(v[0]).toMatchObject({ decile: 0, subscriberShare: 0, churnerShare: 0 });
    expect(v.slice(1)).toEqual(points.map((p) => ({ ...p })));
    // Recount churners among the riskiest 10%, 20%, … of subscribers directly from the deciles' members.
    const total = e.metrics.calibration.reduce((s, d) => s + d.n * d.observedRate, 0);
    expect(total).toBeCloseTo(e.metrics.positives, 9);
    let cum = 0;
    for (const d of e.metrics.calibration) {
      cum += Math.round(d.n * d.observedRate);
      expect(points[d.decile - 1]!.churnerShare).toBeCloseTo(cum / e.metrics.positives, 12);
    }
    expect(points.at(-1)!.subscriberShare).toBe(1);
    expect(points.at(-1)!.churnerShare).toBeCloseTo(1, 12);
    // The first decile's lift is the metric evaluate reports as top-decile lift.
    expect(points[0]!.lift).toBeCloseTo(e.metrics.topDecileLift, 1);
  });

  it("gains and calibration from the model's validation month", () => {
    const d = model.validation!.deciles;
    expect(model.validation!.label).toBe('validation month 2025-06');
    const c = calibrationChart('calibration-validation', 't', d);
    const v = values(c.spec, 1);
    expect(v.map((x) => [x.meanPredicted, x.observedRate])).toEqual(
      d.map((x) => [x.meanPredicted, x.observedRate]),
    );
    // The diagonal reaches the largest value on either axis.
    expect(values(c.spec, 0)[1]!.a).toBe(Math.max(...d.flatMap((x) => [x.meanPredicted, x.observedRate])));
    const g = gainsFromDeciles(d);
    const rate1 = d[0]!.observedRate;
    const base = d.reduce((s, x) => s + x.n * x.observedRate, 0) / d.reduce((s, x) => s + x.n, 0);
    expect(g[0]!.lift).toBeCloseTo(rate1 / base, 12);
  });

  it('segments: the churn rate of each profile the model stores', () => {
    const c = segmentChart(model.segments);
    const profiles = (MODEL.segments as { profiles: { name: string; churnRate: number }[] }).profiles;
    expect(values(c.spec).map((r) => [r.name, r.churnRate])).toEqual(
      profiles.map((p) => [p.name, p.churnRate]),
    );
  });

  it('importances: the largest of the model, largest first', () => {
    const c = importanceChart(model.importances);
    const top = Object.entries(MODEL.importances)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15);
    expect(values(c.spec).map((r) => [r.name, r.value])).toEqual(top);
  });

  it('triggers: the count of each trigger in the summary', () => {
    const v = values(triggerChart(summary.triggers).spec);
    expect(Object.fromEntries(v.map((r) => [r.name, r.value]))).toEqual(summary.triggers);
  });

  it('drift: the score first, then the features in the order recorded, with both thresholds', () => {
    const c = driftChart(DRIFT);
    expect(values(c.spec, 0).map((r) => [r.name, r.psi, r.level])).toEqual([
      ['churn score', 0.142, 'warning'],
      ['data_mb', 0.31, 'retrain'],
      ['arpu', 0.12, 'warning'],
      ['tenure_months', 0.004, 'stable'],
    ]);
    expect(values(c.spec, 1).map((r) => r.t)).toEqual([0.1, 0.25]);
  });

  it('effect: each arm at its churn rate between the ends of its interval', () => {
    const e = generatedEffect();
    const v = values(effectChart(e, '95%').spec);
    expect(v).toEqual([
      {
        group: 'called',
        rate: e.called.churned / 3000,
        low: e.called.churnInterval!.low,
        high: e.called.churnInterval!.high,
        subscribers: 3000,
      },
      {
        group: 'control group',
        rate: e.control.churned / 1000,
        low: e.control.churnInterval!.low,
        high: e.control.churnInterval!.high,
        subscribers: 1000,
      },
    ]);
    for (const r of v) expect(r.low as number).toBeLessThan(r.rate as number);
  });
});
