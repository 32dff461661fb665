import { describe, expect, it } from 'vitest';
import {
  buildFeatures,
  DEFAULT_CONFIG,
  dictValue,
  type Frame,
  isDict,
  parseConfig,
  parseMonth,
  TRIGGERS,
} from '../../src/index.js';
import { aggregate, type BillingRow, billingTable, callsOnDays, type Event, withTriggers } from './build.js';

function triggersOf(frame: Frame, id: string, month: string): string[] {
  const ids = frame.cols.subscriber_id!;
  const months = frame.cols.month as Int32Array;
  for (let i = 0; i < frame.n; i++) {
    if (isDict(ids) && dictValue(ids, i) === id && months[i] === parseMonth(month))
      return TRIGGERS.filter((t) => (frame.cols[`trigger_${t}`] as Uint8Array)[i] === 1);
  }
  throw new Error(`no row ${id} ${month}`);
}

/** Calls every day of March 2024 at noon, `minutes` long in all (so no CDR trigger fires by default). */
function busyMonth(id: string, month: string, days: number, minutes = 100): Event[] {
  const all = Array.from({ length: days }, (_, d) => d + 1);
  return callsOnDays(id, month, all).map((e) => ({ ...e, dur: (minutes * 60) / days }));
}

const ABSOLUTE = withTriggers({ silent_days_rule: 'absolute' });

describe('warning triggers', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    // previous billed amounts (Jan, Feb),  March billed, fires
    ['exactly 30% below',       [100, 100], 70,    true],
    ['just under 30% below',    [100, 100], 70.01, false],
    ['below a 2-month average', [80, 120],  69,    true],
    ['no previous month',       [],         0,     false],
    ['a zero previous average', [0, 0],     0,     false],
    ['a rise',                  [100, 100], 150,   false],
  ])('spend_drop: %s', (_name, previous, billed, fires) => {
    const months = ['2024-01', '2024-02'];
    const rows: BillingRow[] = [
      ...previous.map((b, i) => ({ id: 'A', month: months[i]!, billed: b })),
      { id: 'A', month: '2024-03', billed },
    ];
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(triggersOf(frame, 'A', '2024-03').includes('spend_drop')).toBe(fires);
  });

  it('spend_drop averages only the previous 3 months, skipping gaps', () => {
    const rows: BillingRow[] = [
      { id: 'A', month: '2023-11', billed: 1000 },
      { id: 'A', month: '2024-01', billed: 100 },
      { id: 'A', month: '2024-03', billed: 75 },
    ];
    const { frame } = buildFeatures(billingTable(rows), null, DEFAULT_CONFIG);
    expect(triggersOf(frame, 'A', '2024-03')).not.toContain('spend_drop');
    const { frame: f2 } = buildFeatures(billingTable(rows), null, withTriggers({ spend_drop_share: 0.25 }));
    expect(triggersOf(f2, 'A', '2024-03')).toContain('spend_drop');
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // Feb minutes, March minutes, fires
    [100, 150, true],
    [100, 149, false],
    [100, 50,  true],
    [100, 51,  false],
    [100, 0.5, true],
  ])('usage_shift: %f minutes then %f', (feb, mar, fires) => {
    const rows: BillingRow[] = [
      { id: 'A', month: '2024-02' },
      { id: 'A', month: '2024-03' },
    ];
    const events = [...busyMonth('A', '2024-02', 29, feb), ...busyMonth('A', '2024-03', 31, mar)];
    const { frame } = buildFeatures(billingTable(rows), aggregate(events), DEFAULT_CONFIG);
    expect(triggersOf(frame, 'A', '2024-03').includes('usage_shift')).toBe(fires);
    expect(triggersOf(frame, 'A', '2024-02')).toEqual([]);
  });

  it('usage_shift needs a covered previous month with a non-zero average', () => {
    const rows: BillingRow[] = [
      { id: 'A', month: '2024-01' },
      { id: 'A', month: '2024-02' },
      { id: 'A', month: '2024-03' },
      { id: 'B', month: '2024-02' },
      { id: 'B', month: '2024-03' },
    ];
    // January has no CDRs at all (not covered); B made no call in February (covered, zero).
    const events = [...busyMonth('A', '2024-02', 29, 100), ...busyMonth('A', '2024-03', 31, 40)];
    events.push(...busyMonth('B', '2024-03', 31, 40));
    const { frame } = buildFeatures(billingTable(rows), aggregate(events), DEFAULT_CONFIG);
    expect(triggersOf(frame, 'A', '2024-03')).toContain('usage_shift');
    expect(triggersOf(frame, 'A', '2024-02')).not.toContain('usage_shift');
    expect(triggersOf(frame, 'B', '2024-03')).not.toContain('usage_shift');
    // B's silent February is its first month: zero usage, but no habit for silent_days to differ from.
    expect(triggersOf(frame, 'B', '2024-02')).toEqual(['zero_usage']);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // description,                      days with an outgoing call,                         silent_days, zero_usage
    [
      'a 3-day gap mid-month',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
      true,
      false,
    ],
    [
      'a 2-day gap only',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
      false,
      false,
    ],
    [
      'silent Feb 27-29 of a leap year',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26],
      true,
      false,
    ],
    [
      'silent Feb 28-29 of a leap year',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27],
      false,
      false,
    ],
    ['no call at all', [], true, true],
  ])('absolute silent_days and zero_usage in February 2024: %s', (_name, days, silent, zero) => {
    const rows: BillingRow[] = [
      { id: 'A', month: '2024-02' },
      { id: 'Other', month: '2024-02' },
    ];
    const events = [...callsOnDays('A', '2024-02', days), ...busyMonth('Other', '2024-02', 29)];
    const fired = triggersOf(
      buildFeatures(billingTable(rows), aggregate(events), ABSOLUTE).frame,
      'A',
      '2024-02',
    );
    expect(fired.includes('silent_days')).toBe(silent);
    expect(fired.includes('zero_usage')).toBe(zero);
  });

  it('zero_usage counts incoming calls as usage', () => {
    const rows: BillingRow[] = [{ id: 'A', month: '2024-02' }];
    const events: Event[] = [{ id: 'A', at: '2024-02-10T10:00:00', dir: 'in' }];
    const fired = triggersOf(
      buildFeatures(billingTable(rows), aggregate(events), ABSOLUTE).frame,
      'A',
      '2024-02',
    );
    expect(fired).toEqual(['silent_days']);
  });

  /** Outgoing calls every day of a month but a silent run of `run` days starting on the 2nd. */
  const withRun = (id: string, month: string, days: number, run: number): Event[] =>
    callsOnDays(
      id,
      month,
      Array.from({ length: days }, (_, d) => d + 1).filter((d) => d < 2 || d >= 2 + run),
    );
  const DAYS: Record<string, number> = {
    '2023-11': 30,
    '2023-12': 31,
    '2024-01': 31,
    '2024-02': 29,
    '2024-03': 31,
  };

  // biome-ignore format: a case table reads best aligned
  it.each([
    // description,                              longest run of earlier months (null: no CDRs), March run, config, fires
    ['a 3-day run after daily callers', { '2024-01': 0, '2024-02': 0 }, 3, {}, true],
    ['a 2-day run is below silent_days', { '2024-02': 0 }, 2, {}, false],
    ['9 days after a 5-day run: under twice', { '2024-02': 5 }, 9, {}, false],
    ['10 days after a 5-day run: twice', { '2024-02': 5 }, 10, {}, true],
    ['the largest earlier run is the habit', { '2024-01': 8, '2024-02': 0 }, 10, {}, false],
    ['runs over history_months ago are not', { '2023-11': 8, '2024-02': 0 }, 10, {}, true],
    ['no earlier month: no habit, no fire', {}, 20, {}, false],
    ['an earlier month without CDRs is no habit', { '2024-02': null }, 20, {}, false],
    ['a factor of 3', { '2024-02': 4 }, 10, { silent_days_factor: 3 }, false],
    ['the absolute rule ignores the habit', { '2024-02': 12 }, 3, { silent_days_rule: 'absolute' }, true],
  ] as const)('relative silent_days: %s', (_name, earlier, run, t, fires) => {
    const rows: BillingRow[] = [...Object.keys(earlier), '2024-03'].map((month) => ({ id: 'A', month }));
    const events: Event[] = withRun('A', '2024-03', 31, run);
    for (const [month, r] of Object.entries(earlier) as [string, number | null][]) {
      // null: nobody has events that month, so it has no CDR coverage.
      if (r !== null) events.push(...withRun('A', month, DAYS[month]!, r));
    }
    const { frame } = buildFeatures(billingTable(rows), aggregate(events), withTriggers(t));
    expect(triggersOf(frame, 'A', '2024-03').includes('silent_days')).toBe(fires);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // own care calls, competitor care calls, triggers
    [5, 0, []],
    [6, 0, ['care_calls']],
    [3, 2, ['competitor_care']],
    [4, 2, ['care_calls', 'competitor_care']],
    [0, 1, ['competitor_care']],
  ])('%i own and %i competitor care calls fire %j', (own, competitor, expected) => {
    const rows: BillingRow[] = [{ id: 'A', month: '2024-03' }];
    const events = busyMonth('A', '2024-03', 31);
    for (let i = 0; i < own; i++) events.push({ id: 'A', at: '2024-03-10T10:00:00', other: '10010' });
    for (let i = 0; i < competitor; i++)
      events.push({ id: 'A', at: '2024-03-10T10:00:00', other: i % 2 ? '10000' : '10086' });
    const fired = triggersOf(
      buildFeatures(billingTable(rows), aggregate(events), DEFAULT_CONFIG).frame,
      'A',
      '2024-03',
    );
    expect(fired).toEqual(expected);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // billing row fields,                               triggers
    [{ suspensions: 3 },              []],
    [{ suspensions: 4 },              ['suspensions']],
    [{ status: 'suspended' },         ['status_change']],
    [{ ownership: 1 },                ['status_change']],
    [{ planChange: 1 },               ['status_change']],
    [{ status: 'arrears_suspended' }, ['arrears_or_cancel']],
    [{ status: 'pending_cancel' },    ['arrears_or_cancel']],
    [{ status: 'closed' },            []],
    [{ planEnd: '2024-04-15' },       ['plan_expiring']],
  ] as [Partial<BillingRow>, string[]][])('billing row %j fires %j', (fields, expected) => {
    const rows: BillingRow[] = [{ id: 'A', month: '2024-03', ...fields }];
    const fired = triggersOf(buildFeatures(billingTable(rows), null, DEFAULT_CONFIG).frame, 'A', '2024-03');
    expect(fired).toEqual(expected);
  });
});

describe('silent_days rule in the config', () => {
  it('defaults to the relative rule with factor 2, and reports a bad rule and factor by path', () => {
    expect(DEFAULT_CONFIG.triggers).toMatchObject({ silent_days_rule: 'relative', silent_days_factor: 2 });
    const r = parseConfig({ triggers: { silent_days_rule: 'sometimes', silent_days_factor: 0.5 } });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.path)).toEqual([
        'triggers.silent_days_rule',
        'triggers.silent_days_factor',
      ]);
  });
});
