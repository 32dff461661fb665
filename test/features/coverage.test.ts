import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator } from '../../scripts/generate/index.js';
import {
  buildFeatures,
  type CdrAggregates,
  checkCdrMonths,
  DEFAULT_CONFIG,
  type FeatureResult,
  featureSchema,
  formatMonth,
  historyCoverage,
  historyNeeds,
  historyProblems,
  monthList,
  parseMonth,
  readBilling,
  readCdrFiles,
} from '../../src/index.js';
import { withTriggers } from './build.js';

const SCHEMA = featureSchema([]).features;
const m = parseMonth;

describe('historyNeeds', () => {
  it("derives a CDR model's needs from its schema: 6 months of billing and of CDRs", () => {
    const needs = historyNeeds(SCHEMA, DEFAULT_CONFIG, true);
    expect(needs.billing.months).toBe(6);
    expect(needs.cdr.months).toBe(6);
    expect(needs.cdr.lookback).toEqual({
      voice_minutes_change: 3,
      data_change: 3,
      voice_calls_change: 3,
      active_days_change: 3,
      silent_run_vs_usual: 3,
      voice_slope: 5,
      data_slope: 5,
      trigger_usage_shift: 3,
      // The relative silent_days rule compares with the previous months (the absolute one does not).
      trigger_silent_days: 3,
      trigger_months_3: 6,
    });
    const absolute = historyNeeds(SCHEMA, withTriggers({ silent_days_rule: 'absolute' }), true);
    expect(absolute.cdr.lookback).not.toHaveProperty('trigger_silent_days');
    expect(needs.billing.lookback).toMatchObject({
      arpu: 2,
      spend_change: 3,
      spend_slope: 5,
      voice_slope: 5,
    });
  });

  it.each([
    // features, trained with CDRs, history_months → billing months, CDR months
    [['spend_change'], true, 3, 3, 0],
    [['spend_change', 'voice_slope'], true, 3, 5, 5],
    [['voice_slope'], false, 3, 0, 0],
    [['trigger_months_3'], true, 2, 5, 5],
    [['billed_amount', 'x_extra'], true, 3, 0, 0],
  ])(
    '%j (CDRs %s, history_months %i) need %i billing and %i CDR months',
    (names, cdr, h, billing, cdrMonths) => {
      const needs = historyNeeds(
        names.map((name) => ({ name })),
        withTriggers({ history_months: h }),
        cdr,
      );
      expect([needs.billing.months, needs.cdr.months]).toEqual([billing, cdrMonths]);
    },
  );
});

describe('historyCoverage', () => {
  const needs = historyNeeds(SCHEMA, DEFAULT_CONFIG, true);
  const all = [1, 2, 3, 4, 5, 6, 7].map((k) => m(`2025-0${k}`));

  const EVERY_CDR_FEATURE = [
    'voice_minutes_change',
    'data_change',
    'voice_calls_change',
    'active_days_change',
    'silent_run_vs_usual',
    'voice_slope',
    'data_slope',
    'trigger_silent_days',
  ];
  const THREE_MONTHS = ['2025-01', '2025-02', '2025-03'];
  const SIX_MONTHS = [...THREE_MONTHS, '2025-04', '2025-05', '2025-06'];
  it.each([
    // CDR months given, months missing, features that read a missing month
    [all, [], []],
    [all.slice(3), THREE_MONTHS, ['voice_slope', 'data_slope', 'trigger_months_3']],
    [all.slice(6), SIX_MONTHS, [...EVERY_CDR_FEATURE, 'trigger_usage_shift', 'trigger_months_3']],
    [
      all.filter((x) => x !== m('2025-05')),
      ['2025-05'],
      [...EVERY_CDR_FEATURE, 'trigger_usage_shift', 'trigger_months_3'],
    ],
  ])('CDR months %#: missing %j', (cdrMonths, missing, affected) => {
    const c = historyCoverage(m('2025-07'), needs, all, cdrMonths);
    expect(c.billing.missing).toEqual([]);
    expect(c.cdr.needed).toBe(6);
    expect(c.cdr.missing.map(formatMonth)).toEqual(missing);
    expect(c.cdr.present.length + c.cdr.missing.length).toBe(6);
    expect([...c.cdr.affected].sort()).toEqual([...affected].sort());
    expect(historyProblems(c)).toHaveLength(missing.length > 0 ? 1 : 0);
  });

  it('names both counts and the missing months in the problem', () => {
    const c = historyCoverage(m('2025-07'), needs, all.slice(2), all.slice(6));
    expect(historyProblems(c)).toEqual([
      "billing history: 4 of the 6 months before 2025-07 that the model's features read; missing 2025-01, 2025-02, " +
        'read by spend_slope, voice_slope, data_slope, trigger_months_3',
      "CDR history: 0 of the 6 months before 2025-07 that the model's features read; missing 2025-01 to 2025-06, " +
        'read by silent_run_vs_usual, voice_minutes_change, data_change, voice_calls_change, active_days_change, ' +
        'voice_slope, data_slope, trigger_months_3, trigger_usage_shift, trigger_silent_days',
    ]);
  });
});

describe('checkCdrMonths', () => {
  const billed = new Map([
    [m('2025-05'), 100],
    [m('2025-06'), 100],
    [m('2025-07'), 100],
  ]);
  /** A month with events on its first `days` days. */
  const month = (name: string, events: number, days: number) => ({
    month: m(name),
    events,
    dayMask: (2 ** days - 1) | 0,
  });

  it.each([
    // July events, July days, problems flagged for July
    [5000, 31, 0],
    [5000, 28, 0],
    [5000, 27, 1],
    [2400, 31, 1],
    [1100, 7, 2],
  ])('July with %i events on %i days: %i problems', (events, days, problems) => {
    const checks = checkCdrMonths(
      { byMonth: [month('2025-06', 5000, 30), month('2025-07', events, days)] },
      billed,
      m('2025-07'),
      6,
      DEFAULT_CONFIG.checks,
    );
    expect(checks.map((c) => formatMonth(c.month))).toEqual(['2025-06', '2025-07']);
    expect(checks[0]!.problems).toEqual([]);
    expect(checks[1]!.eventsPerSubscriber).toBe(events / 100);
    expect(checks[1]!.previousEventsPerSubscriber).toBe(50);
    expect(checks[1]!.problems).toHaveLength(problems);
  });

  it('says why a month cut to its first week looks truncated', () => {
    const [, july] = checkCdrMonths(
      { byMonth: [month('2025-06', 5000, 30), month('2025-07', 1100, 7)] },
      billed,
      m('2025-07'),
      6,
      DEFAULT_CONFIG.checks,
    );
    expect(july!.problems).toEqual([
      'events on 7 of its 31 days (limit checks.min_cdr_day_share 90%)',
      "11 events per billed subscriber, 22% of 2025-06's 50 (limit checks.min_cdr_events_share 50%)",
    ]);
  });

  it('leaves a month unjudged when there is too little data to tell a cut from chance', () => {
    // 10 subscribers: 300 events on 7 days is 43 a day (judged); 100 events on 7 days is 14 a day.
    const few = new Map([
      [m('2025-06'), 10],
      [m('2025-07'), 10],
    ]);
    const problems = (events: number, days: number) =>
      checkCdrMonths(
        { byMonth: [month('2025-06', 500, 30), month('2025-07', events, days)] },
        few,
        m('2025-07'),
        6,
        DEFAULT_CONFIG.checks,
      )[1]!.problems;
    // Events per subscriber fell to 30% and 10%, but 10 subscribers are too few to compare.
    expect(problems(300, 7)).toEqual(['events on 7 of its 31 days (limit checks.min_cdr_day_share 90%)']);
    expect(problems(100, 7)).toEqual([]);
  });

  it('checks only the months the features read, with billing rows', () => {
    const checks = checkCdrMonths(
      {
        byMonth: [
          month('2025-04', 10, 1), // no billing rows
          month('2025-05', 10, 1), // outside a look-back of 1
          month('2025-06', 5000, 30),
          month('2025-07', 5000, 31),
          month('2025-08', 10, 1), // after the scored month
        ],
      },
      billed,
      m('2025-07'),
      1,
      DEFAULT_CONFIG.checks,
    );
    expect(checks.map((c) => formatMonth(c.month))).toEqual(['2025-06', '2025-07']);
    // June is compared with May, which is read for the comparison only.
    expect(checks[0]!.problems).toEqual([]);
  });
});

describe('monthList', () => {
  it.each([
    [['2025-01'], '2025-01'],
    [['2025-01', '2025-02'], '2025-01, 2025-02'],
    [['2025-03', '2025-01', '2025-02', '2025-06'], '2025-01 to 2025-03, 2025-06'],
    [['2024-11', '2024-12', '2025-01', '2025-05', '2025-06'], '2024-11 to 2025-01, 2025-05, 2025-06'],
  ])('%j → %s', (months, text) => {
    expect(monthList(months.map(m))).toBe(text);
  });
});

/**
 * The derived needs are exact: on a generated operator with more history than needed, features of
 * the last month built from exactly the needed months equal those from the whole history, and one
 * month fewer changes features, all of them among those said to be affected.
 */
describe('history needs against the features themselves', () => {
  const MONTHS = 9;
  const last = m('2025-01') + MONTHS - 1;
  const needs = historyNeeds(SCHEMA, DEFAULT_CONFIG, true);
  const dir = mkdtempSync(join(tmpdir(), 'retain-coverage-'));
  const files = (kind: string, from: number) =>
    Array.from({ length: last - from + 1 }, (_, k) => join(dir, `${kind}-${formatMonth(from + k)}.csv`));
  const cache = new Map<string, FeatureResult>();

  beforeAll(async () => {
    await generateOperator({ subscribers: 400, months: MONTHS, seed: 5 }, createFileSinks({ out: dir }));
  }, 60_000);

  async function features(billingFrom: number, cdrFrom: number): Promise<FeatureResult> {
    const key = `${billingFrom}/${cdrFrom}`;
    if (!cache.has(key)) {
      const { table } = await readBilling(files('billing', billingFrom));
      const { aggregates } = await readCdrFiles(files('cdr', cdrFrom), {
        config: DEFAULT_CONFIG,
        rejects: null,
        threads: 1,
      });
      cache.set(key, buildFeatures(table, aggregates as CdrAggregates, DEFAULT_CONFIG, { months: [last] }));
    }
    return cache.get(key)!;
  }

  /** Features whose value differs for some subscriber (NaN equals NaN). */
  function differing(a: FeatureResult, b: FeatureResult): string[] {
    expect(b.frame.n).toBe(a.frame.n);
    return SCHEMA.map((f) => f.name).filter((name) => {
      const x = a.frame.cols[name] as Float64Array;
      const y = b.frame.cols[name] as Float64Array;
      for (let i = 0; i < a.frame.n; i++) if (!Object.is(x[i], y[i])) return true;
      return false;
    });
  }

  const first = m('2025-01');

  it('billing: the needed months give the features of the whole history; one fewer does not', async () => {
    const full = await features(first, first);
    // Only months_since_plan_change looks back without bound ("the latest plan change seen").
    expect(
      differing(full, await features(last - needs.billing.months, first)).filter(
        (f) => f !== 'months_since_plan_change',
      ),
    ).toEqual([]);
    const short = last - needs.billing.months + 1;
    const changed = differing(full, await features(short, first)).filter(
      (f) => f !== 'months_since_plan_change',
    );
    expect(changed.length).toBeGreaterThan(0);
    const c = historyCoverage(
      last,
      needs,
      Array.from({ length: last - short + 1 }, (_, k) => short + k),
      [],
    );
    expect(c.billing.affected).toEqual(expect.arrayContaining(changed));
  }, 60_000);

  it('CDRs: the needed months give the features of the whole history; one fewer does not', async () => {
    const full = await features(first, first);
    expect(differing(full, await features(first, last - needs.cdr.months))).toEqual([]);
    const short = last - needs.cdr.months + 1;
    const changed = differing(full, await features(first, short));
    expect(changed.length).toBeGreaterThan(0);
    const cdrMonths = Array.from({ length: last - short + 1 }, (_, k) => short + k);
    const c = historyCoverage(last, needs, [], cdrMonths);
    expect(c.cdr.affected).toEqual(expect.arrayContaining(changed));
  }, 60_000);
});
