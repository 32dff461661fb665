import { describe, expect, it } from 'vitest';
import { buildFeatures, DEFAULT_CONFIG, dictValue, type Frame, isDict, parseMonth } from '../../src/index.js';
import { aggregate, type BillingRow, billingTable, type Event } from './build.js';

function column(frame: Frame, name: string, id: string): number[] {
  const ids = frame.cols.subscriber_id!;
  const months = frame.cols.month as Int32Array;
  const values = frame.cols[name] as Float64Array;
  const rows: [number, number][] = [];
  for (let i = 0; i < frame.n; i++)
    if (isDict(ids) && dictValue(ids, i) === id) rows.push([months[i]!, values[i]!]);
  return rows.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

function monthly(id: string, billed: Record<string, number>, extra: Partial<BillingRow> = {}): BillingRow[] {
  return Object.entries(billed).map(([month, b]) => ({ id, month, billed: b, ...extra }));
}

describe('history features', () => {
  it('spend_change compares with the previous up-to-3 months present; NaN in the first month', () => {
    const rows = monthly('A', {
      '2024-01': 100,
      '2024-02': 200,
      '2024-03': 300,
      '2024-04': 100,
      '2024-05': 400,
    });
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(column(frame, 'spend_change', 'A')).toEqual([Number.NaN, 1, 1, -0.5, 1]);
  });

  it('does not take a missing month as a zero month', () => {
    // Feb and Mar missing: April compares with January only; July with April only (Jan is 6 back).
    const rows = monthly('A', { '2024-01': 100, '2024-04': 150, '2024-07': 300 });
    const { frame, stats } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(column(frame, 'spend_change', 'A')).toEqual([Number.NaN, 0.5, 1]);
    expect(column(frame, 'trigger_months_3', 'A')).toEqual([Number.NaN, 0, 0]);
    expect(stats.withoutHistory).toBe(1);
  });

  it('a gap longer than the history window leaves NaN history', () => {
    const rows = monthly('A', { '2024-01': 100, '2024-05': 150 });
    const { frame, stats } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(column(frame, 'spend_change', 'A')).toEqual([Number.NaN, Number.NaN]);
    expect(stats.withoutHistory).toBe(2);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // billed per month from 2024-01,        spend_slope of the last month
    [[10, 20],                     Number.NaN],
    [[10, 20, 30],                 10],
    [[50, 10, 20, 30, 40, 50, 60], 10],
    [[60, 50, 40, 30, 20, 10],     -10],
    [[5, 5, 5, 5],                 0],
  ])('spend_slope of %j is %f', (billed, expected) => {
    const months = billed.map((_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
    const rows = monthly('A', Object.fromEntries(months.map((m, i) => [m, billed[i]!])));
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    const last = column(frame, 'spend_slope', 'A').at(-1)!;
    if (Number.isNaN(expected)) expect(last).toBeNaN();
    else expect(last).toBeCloseTo(expected, 10);
  });

  it('spend_slope uses month indices, so gaps stretch the x axis', () => {
    const rows = monthly('A', { '2024-01': 10, '2024-03': 30, '2024-04': 40 });
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(column(frame, 'spend_slope', 'A').at(-1)).toBeCloseTo(10, 10);
  });

  it('voice and data history skip months without CDR coverage', () => {
    const rows = monthly('A', { '2024-01': 100, '2024-02': 100, '2024-03': 100, '2024-04': 100 });
    const calls = (month: string, minutes: number, mb: number): Event[] => [
      { id: 'A', at: `${month}-10T10:00:00`, dur: minutes * 60 },
      { id: 'A', at: `${month}-11T10:00:00`, type: 'data', bytes: mb * 1_048_576 },
    ];
    // February has no CDRs at all: not covered.
    const events = [...calls('2024-01', 10, 100), ...calls('2024-03', 20, 50), ...calls('2024-04', 45, 75)];
    const { frame } = buildFeatures(billingTable(rows), aggregate(events), DEFAULT_CONFIG);
    expect(column(frame, 'voice_minutes_change', 'A')).toEqual([Number.NaN, Number.NaN, 1, 2]);
    expect(column(frame, 'data_change', 'A')).toEqual([Number.NaN, Number.NaN, -0.5, 0]);
    expect(column(frame, 'voice_calls_change', 'A')).toEqual([Number.NaN, Number.NaN, 0, 0]);
    expect(column(frame, 'active_days_change', 'A')).toEqual([Number.NaN, Number.NaN, 0, 0]);
    // Longest runs without an outgoing call: Jan 21 (11th-31st), Mar 21, Apr 20 (11th-30th).
    expect(column(frame, 'silent_run_vs_usual', 'A')).toEqual([Number.NaN, Number.NaN, 0, -1]);
    const voiceSlope = column(frame, 'voice_slope', 'A');
    expect(voiceSlope.slice(0, 3)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    // Points (Jan, 10), (Mar, 20), (Apr, 45) against month offsets -3, -1, 0.
    expect(voiceSlope[3]).toBeCloseTo(75 / 7, 10);
  });

  it('months_since_plan_change counts from the latest plan change on record', () => {
    const rows: BillingRow[] = [
      { id: 'A', month: '2024-01' },
      { id: 'A', month: '2024-02', planChange: 1 },
      { id: 'A', month: '2024-03' },
      { id: 'A', month: '2024-05' },
      { id: 'A', month: '2024-06', planChange: 1 },
    ];
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(column(frame, 'months_since_plan_change', 'A')).toEqual([Number.NaN, 0, 1, 3, 0]);
  });

  it('trigger_months_3 counts previous months with any trigger', () => {
    const rows: BillingRow[] = [
      { id: 'A', month: '2024-01', suspensions: 5 },
      { id: 'A', month: '2024-02' },
      { id: 'A', month: '2024-03', status: 'pending_cancel' },
      { id: 'A', month: '2024-04' },
      { id: 'A', month: '2024-05' },
    ];
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(column(frame, 'trigger_months_3', 'A')).toEqual([Number.NaN, 1, 1, 2, 1]);
  });

  it('keeps history per subscriber when rows arrive in any order', () => {
    const rows: BillingRow[] = [
      { id: 'B', month: '2024-03', billed: 30 },
      { id: 'A', month: '2024-02', billed: 50 },
      { id: 'B', month: '2024-01', billed: 10 },
      { id: 'A', month: '2024-01', billed: 100 },
      { id: 'B', month: '2024-02', billed: 20 },
    ];
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(column(frame, 'spend_change', 'A')).toEqual([Number.NaN, -0.5]);
    expect(column(frame, 'spend_change', 'B')).toEqual([Number.NaN, 1, 1]);
    expect(column(frame, 'spend_slope', 'B').at(-1)).toBeCloseTo(10, 10);
    expect(Array.from(frame.cols.month as Int32Array)).toEqual(rows.map((r) => parseMonth(r.month)));
  });
});
