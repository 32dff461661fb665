import { describe, expect, it } from 'vitest';
import { barChart, renderReport, type Summary } from '../../src/index.js';

const summary = {
  month: '2025-07',
  model_id: 'abc123',
  inputs: [],
  subscribers: 1154,
  eligible: 1050,
  excluded: { card_type: 50, do_not_disturb: 40, closed: 14, recently_contacted: 0 },
  stages: { onboarding: 38, growth: 152, maturity: 850, warning: 114 },
  tiers: { '<50': 506, '50-150': 428, '150-300': 157, '300+': 63 },
  segments: { 'heavy data, <script>': 600, typical: 554 },
  triggers: { spend_drop: 3 },
  lists: { onboarding: 32, growth: 125, maturity: 728, warning: 86, group: 72 },
  control_group: 13,
  capacity: { limit: null, cut: 0 },
  revenue_at_risk: { eligible: 17142.7, listed: 16390.3 },
  kpis: {
    month: '2025-07',
    previous_month: '2025-06',
    locked: 400,
    churned: 8,
    daily_revenue_retention: 0.9876,
    monthly_billed_churn: 0.02,
    reason: null,
  },
} as unknown as Summary;

describe('renderReport', () => {
  const html = renderReport({
    summary,
    warningTop: [{ subscriber_id: '0007', tier: '300+', triggers: 'competitor_care', due_by: '2025-08-04' }],
  });

  it('states the month, the counts and the KPIs', () => {
    expect(html).toContain('<title>retain: 2025-07</title>');
    expect(html).toContain('1,154 subscribers scored, 1,050 eligible');
    expect(html).toContain('<b>98.76%</b>');
    expect(html).toContain('(8 of 400)');
    expect(html).toContain('<td>0007</td><td>300+</td>');
  });

  it('escapes text from the data', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('heavy data, &#60;script&#62;');
  });

  it('draws bars proportional to the counts, the largest full width', () => {
    const svg = barChart('t', { a: 100, b: 25 });
    const widths = [...svg.matchAll(/<rect x="\d+" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([360, 90]);
  });
});
