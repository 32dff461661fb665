/**
 * The monthly report: one self-contained HTML file a retention manager opens, presents or prints.
 * Charts are Vega-Lite rendered to inline SVG when the report is built (svg.ts), so the file needs no
 * network, no script and no viewer beyond a browser, and a mailed copy shows what the sender saw.
 * `reportCharts` picks the charts the data allows; `renderReport` lays out the page (pure).
 */
import { STAGES, TIERS } from '../contract.js';
import {
  type Chart,
  calibrationChart,
  driftChart,
  effectChart,
  gainsChart,
  importanceChart,
  segmentChart,
  stageTierChart,
  trendChart,
  triggerChart,
} from './charts.js';
import { count, decimal, esc, money, pct } from './format.js';
import {
  type DriftSummary,
  gainsFromDeciles,
  kpiTrend,
  modelView,
  type ReportInput,
  stageTierCells,
  type TrendPoint,
} from './report-data.js';
import { driftSection, effectSection, segmentTable, warningTable } from './sections.js';

/** summary.json `drift` when a run recorded it. */
export const driftOf = (input: ReportInput): DriftSummary | null =>
  (input.summary.drift as DriftSummary | undefined) ?? null;

const confidenceOf = (input: ReportInput): string =>
  `${Math.round((1 - (input.evaluation?.settings.alpha ?? 0.05)) * 100)}%`;

/** The charts this input can draw, in page order; a chart without data is left out. */
export function reportCharts(input: ReportInput): Chart[] {
  const s = input.summary;
  const charts: Chart[] = [];
  const trend = kpiTrend([...input.history, s]);
  if (trend.length >= 2) charts.push(trendChart(trend, input.currency));
  const drift = driftOf(input);
  if (drift?.available && drift.features.length > 0) charts.push(driftChart(drift));
  const cells = stageTierCells(s);
  if (cells) charts.push(stageTierChart(cells, STAGES, TIERS));
  const model = input.model ? modelView(input.model) : null;
  if (model?.validation) {
    const v = model.validation;
    charts.push(gainsChart('gains-validation', `Gains and lift, ${v.label}`, gainsFromDeciles(v.deciles)));
    charts.push(calibrationChart('calibration-validation', `Calibration, ${v.label}`, v.deciles));
  }
  const e = input.evaluation;
  if (e && e.metrics.calibration.length > 0) {
    const label = `outcome in ${e.nextMonth}`;
    charts.push(
      gainsChart('gains-evaluation', `Gains and lift, ${label}`, gainsFromDeciles(e.metrics.calibration)),
    );
    charts.push(calibrationChart('calibration-evaluation', `Calibration, ${label}`, e.metrics.calibration));
  }
  if (e && (e.campaign.overall.called.churnRate !== null || e.campaign.overall.control.churnRate !== null))
    charts.push(effectChart(e.campaign.overall, confidenceOf(input)));
  if (model?.segments.some((r) => r.churnRate !== null)) charts.push(segmentChart(model.segments));
  if (model && model.importances.length > 0) charts.push(importanceChart(model.importances));
  if (Object.values(s.triggers).some((v) => v > 0)) charts.push(triggerChart(s.triggers));
  return charts;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;color:#222;max-width:1150px;padding:0 1.5em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin:0 0 .6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
section{margin-top:2em}.lead{color:#555;margin-top:0}.note{color:#666;font-style:italic}
.cards{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px solid #d6dde6;border-radius:6px;padding:.8em 1.1em;min-width:14em;background:#f7f9fc}
.card .label{font-size:.85em;color:#555}.card .value{font-size:1.7em;font-weight:600}.card .delta{font-size:.85em;color:#555}
.alarm{border-left:4px solid #c8453b;background:#fbeeed;padding:.5em .9em}.caution{border-left:4px solid #e0a526;background:#fdf6e6;padding:.5em .9em}
figure{margin:1em 0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:.3em}.charts{display:flex;flex-wrap:wrap;gap:1em 2.5em}
table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr{break-inside:avoid}
.level-warning{color:#9a6a00;font-weight:600}.level-retrain{color:#c8453b;font-weight:600}
@media print{
  body{margin:0;max-width:none;font-size:11px}
  section{break-before:page;margin-top:0}section.first{break-before:auto}
  .card{background:none}a{color:inherit;text-decoration:none}
  @page{size:A4 landscape;margin:12mm}
}`;

function figure(chart: Chart | undefined, svg: ReadonlyMap<string, string>): string {
  if (!chart) return '';
  return (
    `<figure class="chart" id="chart-${esc(chart.id)}" data-chart="${esc(chart.id)}">` +
    `<figcaption>${esc(chart.title)}</figcaption>${svg.get(chart.id) ?? ''}</figure>`
  );
}

function card(label: string, value: string, previous: string | null, note: string): string {
  return (
    `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div>` +
    `<div class="delta">${previous === null ? esc(note) : `previous month ${esc(previous)}`}</div></div>`
  );
}

function kpiCards(input: ReportInput, trend: readonly TrendPoint[]): string {
  const s = input.summary;
  const k = s.kpis;
  const at = trend.findIndex((p) => p.month === s.month);
  const prev = at > 0 ? trend[at - 1]! : null;
  const basis = k.reason === null ? `${count(k.locked)} locked subscribers` : `not computed: ${k.reason}`;
  return (
    `<div class="cards">` +
    card(
      'Daily-average revenue retention',
      pct(k.daily_revenue_retention),
      prev && pct(prev.retention),
      basis,
    ) +
    card(
      'Monthly billed churn',
      pct(k.monthly_billed_churn),
      prev && pct(prev.churn),
      k.reason === null ? `${count(k.churned)} of ${count(k.locked)} locked subscribers` : basis,
    ) +
    card(
      'Revenue at risk on the lists',
      money(s.revenue_at_risk.listed, input.currency),
      prev && money(prev.revenueAtRisk, input.currency),
      `${money(s.revenue_at_risk.eligible, input.currency)} over all eligible subscribers`,
    ) +
    `</div>`
  );
}

export function renderReport(input: ReportInput, svg: ReadonlyMap<string, string>): string {
  const s = input.summary;
  const charts = new Map(reportCharts(input).map((c) => [c.id, c]));
  const fig = (id: string) => figure(charts.get(id), svg);
  const trend = kpiTrend([...input.history, s]);
  const model = input.model ? modelView(input.model) : null;
  const e = input.evaluation;
  const modelNote = input.modelNote === null ? '' : `<p class="note">${esc(input.modelNote)}</p>`;
  const validation = model?.validation
    ? `<p>${esc(model.validation.label)}: AUC ${decimal(model.validation.auc, 4)}, top-decile lift ${decimal(model.validation.topDecileLift)}.</p>`
    : '';
  const outcome = e
    ? `<p>Outcome in ${esc(e.nextMonth)}: ${count(e.evaluated)} subscribers evaluated, ${count(e.metrics.positives)} left (${pct(e.metrics.baseRate)}); ` +
      `AUC ${decimal(e.metrics.auc, 4)}, top-decile lift ${decimal(e.metrics.topDecileLift)}; ` +
      `${pct(e.capture.rate)} of those who left were in the warning stage.</p>`
    : '<p class="note">No evaluation given (<code>--evaluation</code>, written by <code>retain evaluate --out</code> once the next month is billed).</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>retain: ${esc(s.month)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head><body>
<h1>Retention report for ${esc(s.month)}</h1>
<p class="lead">${count(s.subscribers)} subscribers scored, ${count(s.eligible)} eligible for calls, ${count(s.lists.warning)} on the warning list,
control group ${count(s.control_group)}. Model ${esc(s.model_id)}.</p>
<section class="first" id="kpis"><h2>Retention KPIs</h2>${kpiCards(input, trend)}
${trend.length >= 2 ? fig('kpi-trend') : `<p class="note">No trend: give earlier scored folders with <code>--history</code> to draw the KPIs month by month.</p>`}
</section>
<section id="drift"><h2>Drift against the training data</h2>${driftSection(driftOf(input))}${fig('drift')}</section>
<section id="stages"><h2>Stages and tiers</h2>${
    charts.has('stage-tier')
      ? fig('stage-tier')
      : '<p class="note">This summary has no stage × tier counts (scored by an older retain): score the month again to draw it.</p>'
  }</section>
<section id="model"><h2>Model quality</h2>${modelNote}${validation}
<div class="charts">${fig('gains-validation')}${fig('calibration-validation')}</div>${outcome}
<div class="charts">${fig('gains-evaluation')}${fig('calibration-evaluation')}</div></section>
<section id="effect"><h2>Campaign effect</h2>${e ? effectSection(e, confidenceOf(input), input.currency) : '<p class="note">Known once the next month is billed: give <code>--evaluation</code>.</p>'}${fig('effect')}</section>
<section id="segments"><h2>Segments</h2>${model ? segmentTable(model.segments, s.segments, input.currency) : modelNote}${fig('segments')}</section>
<section id="drivers"><h2>What drives the scores</h2><div class="charts">${fig('importances')}${fig('triggers')}</div></section>
<section id="warning"><h2>Top of the warning list</h2>${warningTable(input.warningTop, input.currency)}</section>
</body></html>
`;
}
