/**
 * The HTML report of a scored month: KPIs, counts by stage, tier, segment, list and trigger as bar
 * charts (inline SVG, no scripts, no network), and the top of the warning list. One self-contained file
 * a retention manager can open or mail. Pure: summary and rows in, HTML text out.
 */
import type { Summary } from './summary.js';

export interface ReportRow {
  readonly [column: string]: string | null;
}

export interface ReportInput {
  readonly summary: Summary;
  /** The first rows of the warning list, as read from targets/warning.csv. */
  readonly warningTop: readonly ReportRow[];
  /** When the month's outcome is known (`retain evaluate --out`): AUC, lift and calibration. */
  readonly evaluation?: {
    nextMonth: string;
    metrics: {
      auc: number;
      topDecileLift: number;
      calibration: { decile: number; meanPredicted: number; observedRate: number }[];
    };
  } | null;
}

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const pct = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(2)}%`;

const money = (v: number): string => v.toLocaleString('en', { maximumFractionDigits: 0 });

/** A horizontal bar chart of named counts. */
export function barChart(title: string, counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const rowH = 22;
  // About 7 px a character at 12 px: wide enough for the longest name, so none is clipped.
  const labelW = Math.max(100, Math.max(...entries.map(([name]) => name.length)) * 7 + 12);
  const barW = 360;
  const bars = entries
    .map(([name, v], i) => {
      const y = i * rowH;
      const w = Math.round((v / max) * barW);
      return (
        `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(name)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 6}" fill="#3b6ea5"/>` +
        `<text x="${labelW + w + 6}" y="${y + 15}">${v.toLocaleString('en')}</text>`
      );
    })
    .join('');
  const h = entries.length * rowH;
  return (
    `<figure><figcaption>${esc(title)}</figcaption>` +
    `<svg width="${labelW + barW + 90}" height="${h}" role="img" aria-label="${esc(title)}">${bars}</svg></figure>`
  );
}

function table(rows: readonly ReportRow[], columns: readonly string[]): string {
  const head = columns.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${esc(r[c])}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function calibration(e: NonNullable<ReportInput['evaluation']>): string {
  const rows = e.metrics.calibration.map((c) => ({
    decile: String(c.decile),
    predicted: pct(c.meanPredicted),
    observed: pct(c.observedRate),
  }));
  return (
    `<h2>Outcome in ${esc(e.nextMonth)}</h2><p>AUC ${e.metrics.auc.toFixed(3)}, top-decile lift ` +
    `${e.metrics.topDecileLift.toFixed(2)}.</p>${table(rows, ['decile', 'predicted', 'observed'])}`
  );
}

export function renderReport(input: ReportInput): string {
  const s = input.summary;
  const k = s.kpis;
  const kpiLine =
    k.daily_revenue_retention === null
      ? `<p>KPIs not computed: ${esc(k.reason)}.</p>`
      : `<ul><li>Daily-average revenue retention of the ${k.locked.toLocaleString('en')} locked subscribers: ` +
        `<b>${pct(k.daily_revenue_retention)}</b></li><li>Monthly billed churn of locked subscribers: ` +
        `<b>${pct(k.monthly_billed_churn)}</b> (${k.churned} of ${k.locked})</li></ul>`;
  const columns = [
    'subscriber_id',
    'tier',
    'segment',
    'churn_probability',
    'revenue_at_risk',
    'triggers',
    'due_by',
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>retain: ${esc(s.month)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}svg text{font-size:12px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:1em 3em}
</style></head><body>
<h1>Retention report for ${esc(s.month)}</h1>
<p>${s.subscribers.toLocaleString('en')} subscribers scored, ${s.eligible.toLocaleString('en')} eligible for calls;
control group ${s.control_group.toLocaleString('en')}; revenue at risk on the lists ${money(s.revenue_at_risk.listed)}.
Model ${esc(s.model_id)}.</p>
<h2>Retention KPIs</h2>${kpiLine}
<div class="grid">
${barChart('Subscribers by lifecycle stage', s.stages)}
${barChart('Call lists', s.lists)}
${barChart('Subscribers by value tier (ARPU)', s.tiers)}
${barChart('Subscribers by segment', s.segments)}
${barChart('Warning triggers fired', s.triggers)}
${barChart('Never called', s.excluded)}
</div>
${input.evaluation ? calibration(input.evaluation) : ''}
<h2>Top of the warning list</h2>
${table(input.warningTop, columns)}
</body></html>
`;
}
