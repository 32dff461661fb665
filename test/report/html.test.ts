/**
 * The report page: every section present, numbers formatted once, drift shown or its absence said,
 * and no string from the data able to become markup, in the HTML or in the charts' SVG.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, renderCharts, reportCharts, type Summary } from '../../src/index.js';
import { ALL_CHARTS, DRIFT, generatedEvaluation, reportInput } from './report-input.js';

const HOSTILE = `"><script>alert(1)</script><svg onload=alert(2)><img src=x onerror=alert(3)>&amp;`;

/** Every tag name in the page (scripts, handlers and foreign elements would show here). */
const tags = (html: string) =>
  new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
/** Event-handler attributes of real tags (quoted values, where escaped data sits, left out). */
const handlers = (html: string) =>
  [...html.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((m) =>
    [...m[0].replace(/"[^"]*"|'[^']*'/g, '""').matchAll(/\son\w+\s*=/gi)].map((h) => h[0]),
  );

describe('the report page', () => {
  it('draws every chart the data allows, each as inline SVG in its own figure', async () => {
    const input = reportInput({ evaluation: generatedEvaluation() });
    const built = await buildReport(input);
    expect(built.charts).toEqual([...ALL_CHARTS]);
    expect(built.warnings).toEqual([]);
    for (const id of built.charts) {
      const fig = built.html.match(
        new RegExp(`<figure class="chart" id="chart-${id}"[^>]*>(.*?)</figure>`, 's'),
      );
      expect(fig, id).not.toBeNull();
      expect(fig![1]).toMatch(/<svg [^>]*class="marks"/);
    }
    // Self-contained: no script, no external resource.
    expect(tags(built.html).has('script')).toBe(false);
    expect(built.html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows the KPI cards with the previous month, money in the configured currency', async () => {
    const input = reportInput();
    const { html } = await buildReport(input);
    const s = input.summary;
    expect(html).toContain('<title>retain: 2024-03</title>');
    expect(html).toContain(`<div class="value">${(s.kpis.daily_revenue_retention! * 100).toFixed(2)}%</div>`);
    expect(html).toContain('<div class="value">50.00%</div><div class="delta">previous month 50.00%</div>');
    const listed = s.revenue_at_risk.listed.toLocaleString('en-US', {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    expect(html).toContain(`<div class="value">CNY ${listed}</div>`);
    // No number with more than two decimals but the model's AUC (four, as evaluate prints it).
    const text = html.replace(/<svg.*?<\/svg>/gs, '').replace(/<[^>]+>/g, ' ');
    expect(text.match(/\d\.\d{3,}/g)).toEqual([expect.stringMatching(/^0\.\d{4}$/)]);
  });

  it('says there is no trend without history, and no drift data without a drift block', async () => {
    const s = { ...reportInput().summary } as Summary;
    delete s.drift;
    const input = reportInput({ summary: s, history: [] });
    const { html, charts } = await buildReport(input);
    expect(charts).not.toContain('kpi-trend');
    expect(charts).not.toContain('drift');
    expect(html).toContain('No trend: give earlier scored folders with <code>--history</code>');
    expect(html).toContain('No drift data: this run recorded none.');
    // An older summary without the stage x tier counts, and a month scored by a model not given.
    const older = { ...s } as Omit<Summary, 'stage_tier'> & { stage_tier?: unknown };
    delete older.stage_tier;
    const bare = await buildReport(
      reportInput({ summary: older as Summary, history: [], model: null, modelNote: 'Scored with model X.' }),
    );
    expect(bare.charts).toEqual(['triggers']);
    expect(bare.html).toContain('This summary has no stage × tier counts (scored by an older retain)');
    expect(bare.html.match(/<p class="note">Scored with model X\.<\/p>/g)).toHaveLength(2);
    const unavailable = {
      ...s,
      drift: { ...DRIFT, available: false, reason: 'the model has no training bins' },
    };
    expect((await buildReport(reportInput({ summary: unavailable }))).html).toContain(
      'No drift data: the model has no training bins.',
    );
  });

  it('tables the drift largest first, with the retrain verdict', async () => {
    const { html } = await buildReport(reportInput());
    expect(html).toContain('<b>Retrain the model:</b>');
    const rows = [
      ...html.matchAll(/<tr><td>([\w ]+)<\/td><td class="n">([\d.]+)<\/td><td><span class="level-(\w+)">/g),
    ];
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual([
      ['churn score', '0.14', 'warning'],
      ['data_mb', '0.31', 'retrain'],
      ['arpu', '0.12', 'warning'],
      ['tenure_months', '0.00', 'stable'],
    ]);
  });

  it('words the campaign effect with its interval', async () => {
    const e = generatedEvaluation();
    const { html } = await buildReport(reportInput({ evaluation: e }));
    const o = e.campaign.overall;
    const pts = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v * 100).toFixed(2)} pts`;
    expect(html).toContain(
      `Difference ${pts(o.difference!)} (95% interval ${pts(o.interval!.low)} to ${pts(o.interval!.high)})`,
    );
  });

  it('has a print stylesheet that starts each section on a new page', async () => {
    const { html } = await buildReport(reportInput());
    expect(html).toMatch(/@media print\{[\s\S]*section\{break-before:page/);
    expect(html.match(/<section /g)).toHaveLength(8);
  });

  it('escapes hostile subscriber ids, reasons, segment and feature names in the page and the charts', async () => {
    const base = reportInput({ evaluation: generatedEvaluation() });
    const model = structuredClone(base.model!) as unknown as {
      segments: { profiles: { name: string; distinctive: { feature: string }[] }[] };
      importances: Record<string, number>;
    };
    model.segments.profiles[0]!.name = HOSTILE;
    model.segments.profiles[0]!.distinctive[0]!.feature = HOSTILE;
    model.importances[HOSTILE] = 1;
    const input = reportInput({
      ...base,
      model: model as unknown as typeof base.model,
      summary: {
        ...base.summary,
        month: HOSTILE,
        segments: { [HOSTILE]: 5 },
        drift: { ...DRIFT, features: [{ feature: HOSTILE, psi: 0.5, level: 'retrain' }] },
      },
      warningTop: [
        {
          subscriber_id: HOSTILE,
          tier: HOSTILE,
          segment: HOSTILE,
          reasons: HOSTILE,
          triggers: HOSTILE,
          due_by: HOSTILE,
        },
      ],
    });
    const { html, warnings } = await buildReport(input);
    expect(warnings).toEqual([]);
    expect(tags(html).has('script')).toBe(false);
    expect(tags(html).has('img')).toBe(false);
    expect(handlers(html)).toEqual([]);
    // The hostile text is there, as text: in HTML cells and in the SVG labels of several charts.
    expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    const { svg } = await renderCharts(reportCharts(input));
    for (const id of ['segments', 'importances', 'drift']) {
      expect(svg.get(id)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(tags(svg.get(id)!).has('script')).toBe(false);
    }
  });
});
