/**
 * The report's charts as Vega-Lite specs: pure builders from the report's data (report-data.ts) to a
 * spec with its values inline. svg.ts renders them; tests read the values back out of the specs.
 * Each chart has a stable id, which names its figure in the HTML.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { EffectEstimate } from '../effect/index.js';
import type { DecileCalibration } from '../model/metrics.js';
import { AXIS, moneyTitle } from './format.js';
import type { DriftSummary, GainsPoint, SegmentRow, StageTierCell, TrendPoint } from './report-data.js';

export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const BLUE = '#3b6ea5';
const GREY = '#9a9a9a';
const LEVEL_COLORS = { domain: ['stable', 'warning', 'retrain'], range: ['#5b9a68', '#e0a526', '#c8453b'] };
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const CONFIG = {
  font: 'system-ui, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 300 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
} as const;

function chart(id: string, title: string, body: Record<string, unknown>): Chart {
  return {
    id,
    title,
    spec: { $schema: SCHEMA, config: CONFIG, background: 'white', ...body } as TopLevelSpec,
  };
}

/** The KPIs month by month: retention and churn as percentages, revenue at risk in money. */
export function trendChart(points: readonly TrendPoint[], currency: string): Chart {
  const line = (field: keyof TrendPoint, title: string, format: string) => ({
    width: 260,
    height: 140,
    title: { text: title, fontSize: 12 },
    mark: { type: 'line', point: true, color: BLUE },
    transform: [{ filter: `isValid(datum.${field})` }],
    encoding: {
      x: { field: 'month', type: 'ordinal', title: 'billing month', axis: { labelAngle: 0 } },
      y: { field, type: 'quantitative', title: null, axis: { format }, scale: { zero: false } },
    },
  });
  return chart('kpi-trend', 'KPIs over the months', {
    data: { values: points.map((p) => ({ ...p })) },
    hconcat: [
      line('retention', 'daily-average revenue retention', AXIS.pct),
      line('churn', 'monthly billed churn', AXIS.pct2),
      line('revenueAtRisk', moneyTitle('revenue at risk on the lists', currency), AXIS.money),
    ],
  });
}

/** Subscribers by lifecycle stage and value tier, as a heat map with the count in each cell. */
export function stageTierChart(
  cells: readonly StageTierCell[],
  stages: readonly string[],
  tiers: readonly string[],
): Chart {
  const enc = {
    x: { field: 'tier', type: 'ordinal', sort: tiers, title: 'value tier (ARPU)', axis: { labelAngle: 0 } },
    y: { field: 'stage', type: 'ordinal', sort: stages, title: 'lifecycle stage' },
  };
  return chart('stage-tier', 'Subscribers by stage and tier', {
    data: { values: cells.map((c) => ({ ...c })) },
    width: 320,
    height: 180,
    encoding: enc,
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'subscribers',
            type: 'quantitative',
            title: 'subscribers',
            scale: { scheme: 'blues' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        // Light text on the darker half of the scale, so every count stays readable.
        transform: [{ joinaggregate: [{ op: 'max', field: 'subscribers', as: 'largest' }] }],
        encoding: {
          text: { field: 'subscribers', type: 'quantitative', format: AXIS.count },
          color: {
            condition: [
              { test: 'datum.subscribers > datum.largest * 0.55', value: 'white' },
              { test: 'datum.subscribers > 0', value: '#111' },
            ],
            value: GREY,
          },
        },
      },
    ],
  });
}

/** Cumulative gains (share of churners found against share of subscribers called) and lift per decile. */
export function gainsChart(id: string, title: string, points: readonly GainsPoint[]): Chart {
  const values = [
    { decile: 0, subscriberShare: 0, churnerShare: 0, lift: null },
    ...points.map((p) => ({ ...p })),
  ];
  return chart(id, title, {
    data: { values },
    hconcat: [
      {
        width: 260,
        height: 200,
        title: { text: 'cumulative gains', fontSize: 12 },
        layer: [
          {
            data: { values: [{ a: 0 }, { a: 1 }] },
            mark: { type: 'line', color: GREY, strokeDash: [4, 4] },
            encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'a', type: 'quantitative' } },
          },
          {
            mark: { type: 'line', point: true, color: BLUE },
            encoding: {
              x: {
                field: 'subscriberShare',
                type: 'quantitative',
                title: 'share of subscribers, riskiest first',
                axis: { format: AXIS.pct },
              },
              y: {
                field: 'churnerShare',
                type: 'quantitative',
                title: 'share of churners found',
                axis: { format: AXIS.pct },
              },
            },
          },
        ],
      },
      {
        width: 260,
        height: 200,
        title: { text: 'lift by risk decile', fontSize: 12 },
        transform: [{ filter: 'datum.decile > 0' }],
        layer: [
          {
            mark: { type: 'bar', color: BLUE },
            encoding: {
              x: {
                field: 'decile',
                type: 'ordinal',
                title: 'risk decile (1 = riskiest)',
                axis: { labelAngle: 0 },
              },
              y: { field: 'lift', type: 'quantitative', title: 'lift', axis: { format: AXIS.decimal } },
            },
          },
          { mark: { type: 'rule', color: GREY, strokeDash: [4, 4] }, encoding: { y: { datum: 1 } } },
        ],
      },
    ],
  });
}

/** Mean predicted probability against the observed churn rate per decile, beside the diagonal. */
export function calibrationChart(id: string, title: string, deciles: readonly DecileCalibration[]): Chart {
  const top = deciles.reduce((m, d) => Math.max(m, d.meanPredicted, d.observedRate), 0.01);
  return chart(id, title, {
    width: 260,
    height: 220,
    layer: [
      {
        data: { values: [{ a: 0 }, { a: top }] },
        mark: { type: 'line', color: GREY, strokeDash: [4, 4] },
        encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'a', type: 'quantitative' } },
      },
      {
        data: { values: deciles.map((d) => ({ ...d })) },
        mark: { type: 'point', filled: true, size: 60, color: BLUE },
        encoding: {
          x: {
            field: 'meanPredicted',
            type: 'quantitative',
            title: 'mean predicted probability',
            axis: { format: AXIS.pct },
          },
          y: {
            field: 'observedRate',
            type: 'quantitative',
            title: 'observed churn rate',
            axis: { format: AXIS.pct },
          },
        },
      },
    ],
  });
}

/** Churn rate per segment, the segment's share of subscribers in its label. */
export function segmentChart(rows: readonly SegmentRow[]): Chart {
  return chart('segments', 'Churn rate by segment', {
    data: { values: rows.map((r, k) => ({ key: k, name: r.name, churnRate: r.churnRate, share: r.share })) },
    width: 320,
    height: { step: 22 },
    transform: [{ filter: 'isValid(datum.churnRate)' }],
    mark: { type: 'bar', color: BLUE },
    encoding: {
      y: { field: 'name', type: 'nominal', sort: '-x', title: null },
      x: {
        field: 'churnRate',
        type: 'quantitative',
        title: 'churn rate in training',
        axis: { format: AXIS.pct },
      },
    },
  });
}

/** Horizontal bars of named values, largest first. */
function barList(
  id: string,
  title: string,
  values: readonly { name: string; value: number }[],
  x: Record<string, unknown>,
): Chart {
  return chart(id, title, {
    data: { values: values.map((v) => ({ ...v })) },
    width: 320,
    height: { step: 18 },
    mark: { type: 'bar', color: BLUE },
    encoding: {
      y: { field: 'name', type: 'nominal', sort: '-x', title: null },
      x: { field: 'value', type: 'quantitative', ...x },
    },
  });
}

export const importanceChart = (rows: readonly { feature: string; importance: number }[]): Chart =>
  barList(
    'importances',
    'Feature importances',
    rows.map((r) => ({ name: r.feature, value: r.importance })),
    { title: 'importance', axis: { format: AXIS.decimal } },
  );

export const triggerChart = (counts: Readonly<Record<string, number>>): Chart =>
  barList(
    'triggers',
    'Warning triggers fired',
    Object.entries(counts).map(([name, value]) => ({ name, value })),
    { title: 'subscribers', axis: { format: AXIS.count } },
  );

/** PSI per feature (and the score), coloured by level, with the two thresholds as rules. */
export function driftChart(drift: DriftSummary): Chart {
  const values = [
    { name: 'churn score', psi: drift.score.psi, level: drift.score.level },
    ...drift.features.map((f) => ({ name: f.feature, psi: f.psi, level: f.level })),
  ];
  return chart('drift', 'Population stability (PSI) against training', {
    width: 320,
    height: { step: 16 },
    layer: [
      {
        data: { values },
        mark: 'bar',
        encoding: {
          y: { field: 'name', type: 'nominal', sort: null, title: null },
          x: { field: 'psi', type: 'quantitative', title: 'PSI', axis: { format: AXIS.decimal } },
          color: { field: 'level', type: 'nominal', scale: LEVEL_COLORS, title: 'level' },
        },
      },
      {
        data: { values: [{ t: drift.thresholds.warn }, { t: drift.thresholds.retrain }] },
        mark: { type: 'rule', color: '#555', strokeDash: [4, 3] },
        encoding: { x: { field: 't', type: 'quantitative' } },
      },
    ],
  });
}

/** Churn of the called group and of its control group, each with its interval. */
export function effectChart(e: EffectEstimate, confidence: string): Chart {
  const values = (
    [
      ['called', e.called],
      ['control group', e.control],
    ] as const
  )
    .filter(([, a]) => a.churnRate !== null)
    .map(([group, a]) => ({
      group,
      rate: a.churnRate,
      low: a.churnInterval?.low ?? a.churnRate,
      high: a.churnInterval?.high ?? a.churnRate,
      subscribers: a.subscribers,
    }));
  const y = { field: 'group', type: 'nominal', title: null, sort: ['called', 'control group'] };
  return chart('effect', `Churn in the next month, called against control (${confidence} intervals)`, {
    data: { values },
    width: 320,
    height: { step: 40 },
    layer: [
      {
        mark: { type: 'rule', color: BLUE, strokeWidth: 2 },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative', title: 'churn rate', axis: { format: AXIS.pct } },
          x2: { field: 'high' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 80, color: BLUE },
        encoding: { y, x: { field: 'rate', type: 'quantitative' } },
      },
    ],
  });
}
