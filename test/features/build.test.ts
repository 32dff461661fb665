import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator } from '../../scripts/generate/index.js';
import {
  type BillingTable,
  buildFeatures,
  type CdrAggregates,
  type Column,
  DEFAULT_CONFIG,
  dictValue,
  type Frame,
  formatMonth,
  isDict,
  parseMonth,
  readBilling,
  readCdrFiles,
  STATUS,
  TRIGGERS,
} from '../../src/index.js';
import {
  aggregate,
  type BillingRow,
  billingTable,
  callsOnDays,
  type Event,
  SETTINGS,
  type Settings,
  withTriggers,
} from './build.js';

const ABSOLUTE = withTriggers({ silent_days_rule: 'absolute' });

/** Column values of the row for one subscriber-month, as plain numbers. */
function rowOf(frame: Frame, id: string, month: string): Record<string, number> {
  const ids = frame.cols.subscriber_id!;
  const months = frame.cols.month as Int32Array;
  for (let i = 0; i < frame.n; i++) {
    if (isDict(ids) && dictValue(ids, i) === id && months[i] === parseMonth(month)) {
      const out: Record<string, number> = {};
      for (const [name, c] of Object.entries(frame.cols)) if (!isDict(c)) out[name] = c[i]!;
      return out;
    }
  }
  throw new Error(`no row ${id} ${month}`);
}

function build(rows: BillingRow[], events: Event[] | null, settings: Settings = SETTINGS, months?: string[]) {
  const cdr: CdrAggregates | null = events === null ? null : aggregate(events, settings);
  return buildFeatures(billingTable(rows), cdr, settings, months ? { months: months.map(parseMonth) } : {});
}

describe('buildFeatures: billing features', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    // activation,   month,     tenure, tenure_days
    ['2024-03-15', '2024-03', 0, 16],
    ['2024-03-01', '2024-03', 0, 30],
    ['2024-03-31', '2024-03', 0, 0],
    ['2024-02-29', '2024-03', 1, 31],
    ['2024-01-31', '2024-03', 2, 60],
    ['2023-03-31', '2024-03', 12, 366],
  ])('tenure from activation %s in %s is %i months, %i days', (activation, month, tenure, days) => {
    const { frame } = build([{ id: 'A', month, activation }], null);
    expect(rowOf(frame, 'A', month)).toMatchObject({ tenure_months: tenure, tenure_days: days });
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // plan end,      month,     months_to_plan_end, plan_expiring
    [undefined,    '2024-03', Number.NaN, 0],
    ['2024-03-31', '2024-03', 0,          1],
    ['2024-04-30', '2024-03', 30 / 30.4,  1],
    ['2024-05-01', '2024-03', 31 / 30.4,  0],
    ['2024-03-01', '2024-03', -30 / 30.4, 1],
    ['2024-02-29', '2024-03', -31 / 30.4, 0],
    ['2024-03-30', '2024-02', 30 / 30.4,  1],
    ['2024-03-31', '2024-02', 31 / 30.4,  0],
  ])('plan end %s in %s: %f months, plan_expiring %i', (planEnd, month, toEnd, expiring) => {
    const r = rowOf(build([{ id: 'A', month, planEnd }], null).frame, 'A', month);
    expect(r.no_plan_end).toBe(planEnd === undefined ? 1 : 0);
    if (Number.isNaN(toEnd)) expect(r.months_to_plan_end).toBeNaN();
    else expect(r.months_to_plan_end).toBeCloseTo(toEnd, 12);
    expect(r.trigger_plan_expiring).toBe(expiring);
  });

  it('sets status flags, group flag and copies billing flags', () => {
    const { frame } = build(
      [
        { id: 'A', month: '2024-03', status: 'suspended', customer: 'group', ownership: 1, suspensions: 2 },
        { id: 'B', month: '2024-03', status: 'arrears_suspended', planChange: 1, dnd: 1, card: 'employee' },
        { id: 'C', month: '2024-03', status: 'pending_cancel' },
      ],
      null,
    );
    expect(rowOf(frame, 'A', '2024-03')).toMatchObject({
      is_suspended: 1,
      is_arrears: 0,
      is_pending_cancel: 0,
      is_group: 1,
      ownership_change: 1,
      plan_change: 0,
      suspension_count: 2,
      status: STATUS.suspended,
      customer_type: 1,
      do_not_disturb: 0,
    });
    expect(rowOf(frame, 'B', '2024-03')).toMatchObject({
      is_suspended: 0,
      is_arrears: 1,
      is_pending_cancel: 0,
      is_group: 0,
      plan_change: 1,
      do_not_disturb: 1,
      card_type: 1,
    });
    expect(rowOf(frame, 'C', '2024-03')).toMatchObject({ is_arrears: 0, is_pending_cancel: 1 });
  });

  it('averages ARPU over this and up to 2 previous months present, and tiers by it', () => {
    const { frame } = build(
      [
        { id: 'A', month: '2024-01', billed: 40 },
        { id: 'A', month: '2024-02', billed: 60 },
        { id: 'A', month: '2024-04', billed: 200 },
        { id: 'A', month: '2024-05', billed: 400 },
        { id: 'A', month: '2024-06', billed: 600 },
      ],
      null,
    );
    expect([rowOf(frame, 'A', '2024-01').arpu, rowOf(frame, 'A', '2024-01').tier]).toEqual([40, 0]);
    expect([rowOf(frame, 'A', '2024-02').arpu, rowOf(frame, 'A', '2024-02').tier]).toEqual([50, 1]);
    expect([rowOf(frame, 'A', '2024-04').arpu, rowOf(frame, 'A', '2024-04').tier]).toEqual([130, 1]);
    expect([rowOf(frame, 'A', '2024-05').arpu, rowOf(frame, 'A', '2024-05').tier]).toEqual([300, 3]);
    expect([rowOf(frame, 'A', '2024-06').arpu, rowOf(frame, 'A', '2024-06').tier]).toEqual([400, 3]);
  });

  it('appends extra numeric billing columns as features, sorted', () => {
    const { frame, schema } = build(
      [{ id: 'A', month: '2024-03', extra: { x_zeta: 2, x_alpha: 1.5 } }],
      null,
    );
    expect(schema.features.slice(-2).map((f) => f.name)).toEqual(['x_alpha', 'x_zeta']);
    expect(rowOf(frame, 'A', '2024-03')).toMatchObject({ x_alpha: 1.5, x_zeta: 2 });
  });
});

describe('buildFeatures: CDR coverage', () => {
  const rows: BillingRow[] = [
    { id: 'A', month: '2024-02' },
    { id: 'B', month: '2024-02' },
    { id: 'A', month: '2024-03' },
  ];
  const events: Event[] = [...callsOnDays('A', '2024-02', [1, 2, 3]), { id: 'Z', at: '2024-02-05T10:00:00' }];

  it('gives real zeros to a subscriber without events in a covered month, and fires zero_usage', () => {
    const { frame, stats } = build(rows, events);
    const b = rowOf(frame, 'B', '2024-02');
    expect(b).toMatchObject({
      cdr_covered: 1,
      voice_out_calls: 0,
      voice_in_calls: 0,
      data_mb: 0,
      distinct_contacts: 0,
      active_days: 0,
      night_share: 0,
      longest_silent_run: 29,
      ends_silent: 1,
      days_since_voice_out: 29,
      days_since_sms_out: 29,
      days_since_data: 29,
      days_since_incoming: 29,
      active_day_share: 0,
      trigger_zero_usage: 1,
      // February is B's first month: the relative rule has no habit to compare the silence with.
      trigger_silent_days: 0,
      trigger_care_calls: 0,
    });
    expect(rowOf(frame, 'A', '2024-02')).toMatchObject({
      voice_out_calls: 3,
      longest_silent_run: 26,
      days_since_voice_out: 26,
      active_day_share: 3 / 29,
      trigger_zero_usage: 0,
      trigger_silent_days: 0,
    });
    expect(rowOf(build(rows, events, ABSOLUTE).frame, 'A', '2024-02').trigger_silent_days).toBe(1);
    expect(stats.noCdrEvents).toBe(1);
  });

  it('gives NaN usage and fires no CDR trigger in a month without CDR coverage', () => {
    const { frame, stats } = build(rows, events);
    const a = rowOf(frame, 'A', '2024-03');
    expect(a.cdr_covered).toBe(0);
    for (const name of ['voice_out_calls', 'data_mb', 'longest_silent_run', 'ends_silent', 'night_share'])
      expect(a[name], name).toBeNaN();
    for (const t of ['zero_usage', 'silent_days', 'usage_shift', 'care_calls', 'competitor_care'])
      expect(a[`trigger_${t}`], t).toBe(0);
    expect(stats.cdrMonths).toEqual([parseMonth('2024-02')]);
    expect(stats.byMonth.map((m) => m.cdrCovered)).toEqual([1, 0]);
  });

  it('gives NaN usage everywhere without CDRs at all', () => {
    const { frame } = build(rows, null);
    expect(rowOf(frame, 'B', '2024-02').voice_out_calls).toBeNaN();
    expect(rowOf(frame, 'B', '2024-02').trigger_zero_usage).toBe(0);
  });

  it('counts and reports CDR subscriber-months without a billing row', () => {
    const { stats } = build(rows, [...events, { id: 'B', at: '2024-04-01T00:00:00' }]);
    expect(stats.cdrOrphans).toEqual({
      subscriberMonths: 2,
      unbilledSubscribers: 1,
      examples: ['Z@2024-02', 'B@2024-04'],
    });
  });
});

describe('buildFeatures: labels', () => {
  const rows: BillingRow[] = [
    { id: 'stays', month: '2024-01' },
    { id: 'stays', month: '2024-02' },
    { id: 'stays', month: '2024-03' },
    { id: 'absent', month: '2024-01' },
    { id: 'closes', month: '2024-01' },
    { id: 'closes', month: '2024-02', status: 'closed' },
    { id: 'gap', month: '2024-01' },
    { id: 'gap', month: '2024-03' },
    { id: 'suspended', month: '2024-02', status: 'suspended' },
    { id: 'suspended', month: '2024-03', status: 'pending_cancel' },
  ];

  // biome-ignore format: a case table reads best aligned
  it.each([
    // id,          month,     labelled, churned_next
    ['stays',     '2024-01', 1, 0],
    ['stays',     '2024-02', 1, 0],
    ['stays',     '2024-03', 0, 0],
    ['absent',    '2024-01', 1, 1],
    ['closes',    '2024-01', 1, 1],
    ['closes',    '2024-02', 0, 0],
    ['gap',       '2024-01', 1, 1],
    ['gap',       '2024-03', 0, 0],
    ['suspended', '2024-02', 1, 0],
  ])('%s in %s: labelled %i, churned_next %i', (id, month, labelled, churned) => {
    const { frame } = build(rows, null);
    expect(rowOf(frame, id, month)).toMatchObject({ labelled, churned_next: churned });
  });

  it('counts rows and labels per month', () => {
    const { stats } = build(rows, null);
    expect(stats.byMonth).toEqual([
      {
        month: parseMonth('2024-01'),
        rows: 4,
        closed: 0,
        labelled: 4,
        churned: 3,
        cdrCovered: 0,
        setAside: 0,
      },
      {
        month: parseMonth('2024-02'),
        rows: 3,
        closed: 1,
        labelled: 2,
        churned: 0,
        cdrCovered: 0,
        setAside: 0,
      },
      {
        month: parseMonth('2024-03'),
        rows: 3,
        closed: 0,
        labelled: 0,
        churned: 0,
        cdrCovered: 0,
        setAside: 0,
      },
    ]);
    expect(stats.labels).toEqual({ labelled: 6, churned: 3 });
  });

  it('leaves unlabelled a subscriber absent from M+1 whose row of M+1 was set aside, and only that month', () => {
    // `absent` and `gap` have no row in 2024-02; a row of each was set aside: `absent`'s of 2024-02
    // (no churn: unlabelled) and `gap`'s of 2024-03 (its 2024-01 is still a churn to 2024-02).
    const setAside = {
      subscribers: ['absent', 'gap'],
      months: Int32Array.of(...['2024-02', '2024-03'].map(parseMonth)),
      unnamed: 0,
    };
    const { frame, stats } = buildFeatures(billingTable(rows), null, SETTINGS, { setAside });
    expect(rowOf(frame, 'absent', '2024-01')).toMatchObject({ labelled: 0, churned_next: 0 });
    expect(rowOf(frame, 'gap', '2024-01')).toMatchObject({ labelled: 1, churned_next: 1 });
    expect(stats.byMonth[0]).toMatchObject({ labelled: 3, churned: 2, setAside: 1 });
    expect(stats.labels).toEqual({ labelled: 5, churned: 2 });
  });

  it('emits only the requested months but labels and history still use the others', () => {
    const { frame, stats } = build(rows, null, SETTINGS, ['2024-02']);
    expect(frame.n).toBe(3);
    expect(rowOf(frame, 'stays', '2024-02')).toMatchObject({ labelled: 1, churned_next: 0, spend_change: 0 });
    expect(stats.withoutHistory).toBe(1);
  });
});

describe('features of some months', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retain-months-'));
  const MONTHS = 6;
  let billing: BillingTable;
  let cdr: CdrAggregates;

  beforeAll(async () => {
    await generateOperator({ subscribers: 600, months: MONTHS, seed: 8 }, createFileSinks({ out: dir }));
    const files = (kind: string) =>
      Array.from({ length: MONTHS }, (_, k) =>
        join(dir, `${kind}-${formatMonth(parseMonth('2025-01') + k)}.csv`),
      );
    billing = (await readBilling(files('billing'))).table;
    const read = await readCdrFiles(files('cdr'), { config: DEFAULT_CONFIG, rejects: null, threads: 1 });
    cdr = read.aggregates as CdrAggregates;
  }, 60_000);

  it('are the rows of those months in the features of every month, triggers included', () => {
    const all = buildFeatures(billing, cdr, DEFAULT_CONFIG);
    const month = all.frame.cols.month as Int32Array;
    for (const wanted of [parseMonth('2025-06'), parseMonth('2025-04')]) {
      const some = buildFeatures(billing, cdr, DEFAULT_CONFIG, { months: [wanted] });
      const rows = Array.from({ length: all.frame.n }, (_, i) => i).filter((i) => month[i] === wanted);
      expect(some.frame.n).toBe(rows.length);
      for (const [name, c] of Object.entries(some.frame.cols)) {
        const full = all.frame.cols[name]!;
        const values = (col: Column, at: (k: number) => number) =>
          Array.from({ length: some.frame.n }, (_, k) =>
            isDict(col) ? col.dictionary[col.codes[at(k)]!] : (col as Float64Array)[at(k)],
          );
        expect(
          values(c, (k) => k),
          name,
        ).toEqual(values(full, (k) => rows[k]!));
      }
      // Triggers fire in the month and in the months before it, so the comparison means something.
      const fired = TRIGGERS.reduce(
        (s, t) => s + (some.frame.cols[`trigger_${t}`] as Uint8Array).reduce((a, b) => a + b, 0),
        0,
      );
      expect(fired).toBeGreaterThan(0);
      expect((some.frame.cols.trigger_months_3 as Float64Array).some((v) => v > 0)).toBe(true);
    }
  }, 60_000);
});
