/**
 * The report's tables and text sections, as HTML. Every value from data is formatted by format.ts
 * and escaped; nothing here draws a chart.
 */
import type { ScoredMonthEvaluation } from '../effect/index.js';
import { count, decimal, esc, money, NA, pct, points } from './format.js';
import type { DriftSummary, ReportRow, SegmentRow } from './report-data.js';

interface Column<R> {
  readonly head: string;
  readonly cell: (r: R) => string;
  /** Right-aligned numbers. */
  readonly numeric?: boolean;
}

/** A table of rows; `cell` returns text, escaped here. */
export function table<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  const cls = (c: Column<R>) => (c.numeric ? ' class="n"' : '');
  const head = columns.map((c) => `<th${cls(c)}>${esc(c.head)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td${cls(c)}>${esc(c.cell(r))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const level = (l: string) => `<span class="level-${esc(l)}">${esc(l)}</span>`;

/** The drift verdict and its table, largest PSI first; "no drift data" when the run recorded none. */
export function driftSection(d: DriftSummary | null): string {
  if (d === null) return '<p class="note">No drift data: this run recorded none.</p>';
  if (!d.available) return `<p class="note">No drift data: ${esc(d.reason ?? 'not available')}.</p>`;
  const th = `warning above ${decimal(d.thresholds.warn)}, retrain above ${decimal(d.thresholds.retrain)}`;
  const drifted = d.features.filter((f) => f.level !== 'stable').length;
  const verdict = d.retrain
    ? `<p class="alarm"><b>Retrain the model:</b> the data has moved too far from what it was trained on (${esc(th)}).</p>`
    : drifted > 0 || d.score.level !== 'stable'
      ? `<p class="caution">Some inputs have shifted (${esc(th)}); watch them.</p>`
      : `<p>Stable: no feature above the warning level (${esc(th)}).</p>`;
  const rows = [{ feature: 'churn score', psi: d.score.psi, level: d.score.level }, ...d.features];
  const head = '<tr><th>feature</th><th class="n">PSI</th><th>level</th></tr>';
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.feature)}</td><td class="n">${esc(decimal(r.psi))}</td><td>${level(r.level)}</td></tr>`,
    )
    .join('');
  return `${verdict}<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** The campaign's measured effect in words: the difference with its interval and what it means. */
export function effectSection(e: ScoredMonthEvaluation, confidence: string, currency: string): string {
  const o = e.campaign.overall;
  const arm = (name: string, a: typeof o.called) =>
    `${name}: ${count(a.subscribers)} subscribers, churn ${pct(a.churnRate)}` +
    (a.churnInterval
      ? ` (${confidence} interval ${pct(a.churnInterval.low)} to ${pct(a.churnInterval.high)})`
      : '');
  const lines = [arm('Called', o.called), arm('Control group', o.control)];
  if (o.difference === null || o.interval === null) lines.push('No comparison: one of the groups is empty.');
  else {
    const meaning =
      o.interval.high < 0
        ? 'the calls lowered churn'
        : o.interval.low > 0
          ? 'churn was higher among those called'
          : 'not distinguishable from no effect';
    lines.push(
      `Difference ${points(o.difference)} (${confidence} interval ${points(o.interval.low)} to ${points(o.interval.high)}): ${meaning}.`,
    );
    if (o.subscribersKept)
      lines.push(
        `Subscribers kept: ${decimal(o.subscribersKept.estimate, 1)} (${decimal(o.subscribersKept.low, 1)} to ${decimal(o.subscribersKept.high, 1)}).`,
      );
    if (o.revenueKept)
      lines.push(
        `Revenue kept over the horizon: ${money(o.revenueKept.estimate, currency)} (${money(o.revenueKept.low, currency)} to ${money(o.revenueKept.high, currency)}).`,
      );
  }
  if (!o.power.detectable)
    lines.push(
      `Too small to tell: these groups detect a ${points(o.power.minEffect, 1)} effect with only ${pct(o.power.power, 0)} power.`,
    );
  return `<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}

/** Segment profiles from the model, with this month's size from the summary. */
export function segmentTable(
  rows: readonly SegmentRow[],
  thisMonth: Readonly<Record<string, number>>,
  currency: string,
): string {
  if (rows.length === 0) return '<p class="note">The model has no segments (trained on a wide table).</p>';
  return table(rows, [
    { head: 'segment', cell: (r) => r.name },
    { head: 'subscribers this month', cell: (r) => count(thisMonth[r.name]), numeric: true },
    { head: 'share in training', cell: (r) => pct(r.share), numeric: true },
    { head: 'mean ARPU', cell: (r) => money(r.meanArpu, currency), numeric: true },
    { head: 'churn rate', cell: (r) => pct(r.churnRate), numeric: true },
    {
      head: 'defining features (standard score)',
      cell: (r) =>
        r.defining
          .map((d) => `${d.feature} ${d.z > 0 ? '+' : d.z < 0 ? '−' : ''}${decimal(Math.abs(d.z))}`)
          .join('; ') || NA,
    },
  ]);
}

const numberCell = (v: string | null | undefined): number | null => {
  if (v === null || v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** The first rows of the warning list: who to call, why, by when. */
export function warningTable(rows: readonly ReportRow[], currency: string): string {
  if (rows.length === 0) return '<p class="note">The warning list is empty.</p>';
  const text = (name: string) => (r: ReportRow) => r[name] ?? '';
  return table(rows, [
    { head: 'subscriber', cell: text('subscriber_id') },
    { head: 'tier', cell: text('tier') },
    { head: 'segment', cell: text('segment') },
    { head: 'churn probability', cell: (r) => pct(numberCell(r.churn_probability)), numeric: true },
    { head: 'revenue at risk', cell: (r) => money(numberCell(r.revenue_at_risk), currency), numeric: true },
    { head: 'triggers', cell: (r) => (r.triggers ?? '').split(';').filter(Boolean).join(', ') },
    { head: 'reasons', cell: text('reasons') },
    { head: 'call by', cell: text('due_by') },
  ]);
}
