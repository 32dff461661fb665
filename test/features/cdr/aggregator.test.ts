import { describe, expect, it } from 'vitest';
import {
  CDR_FEATURES,
  type CdrAggregates,
  createCdrAggregator,
  dict,
  f64,
  formatMonth,
  i32,
  parseMonth,
} from '../../../src/index.js';
import { aggregate, callsOnDays, type Event, SETTINGS, withTriggers } from '../build.js';

/** The aggregate row of one subscriber-month as a plain object, or undefined. */
function rowOf(a: CdrAggregates, id: string, month: string): Record<string, number> | undefined {
  const ids = dict(a.frame, 'subscriber_id');
  const months = i32(a.frame, 'month');
  for (let i = 0; i < a.frame.n; i++) {
    if (ids.dictionary[ids.codes[i]!] === id && months[i] === parseMonth(month)) {
      return Object.fromEntries(CDR_FEATURES.map((name) => [name, f64(a.frame, name)[i]!]));
    }
  }
  return undefined;
}

describe('createCdrAggregator', () => {
  it('sums counts, minutes, data and charges per subscriber-month', () => {
    const a = aggregate([
      { id: 'A', at: '2024-03-04T10:00:00', dir: 'out', dur: 90, charge: 0.5 },
      { id: 'A', at: '2024-03-04T11:00:00', dir: 'out', dur: 30 },
      { id: 'A', at: '2024-03-05T11:00:00', dir: 'in', dur: 120, charge: 0.25 },
      { id: 'A', at: '2024-03-05T12:00:00', type: 'sms', dir: 'out' },
      { id: 'A', at: '2024-03-05T12:00:00', type: 'sms', dir: 'in' },
      { id: 'A', at: '2024-03-05T12:00:00', type: 'sms', dir: 'in' },
      { id: 'A', at: '2024-03-09T01:00:00', type: 'data', bytes: 3 * 1_048_576 },
      { id: 'A', at: '2024-03-10T01:00:00', type: 'data', bytes: 1_048_576 },
      { id: 'B', at: '2024-03-01T00:00:00', type: 'data', bytes: 10 },
    ]);
    expect(rowOf(a, 'A', '2024-03')).toMatchObject({
      voice_out_calls: 2,
      voice_in_calls: 1,
      voice_out_minutes: 2,
      voice_in_minutes: 2,
      sms_out: 1,
      sms_in: 2,
      data_mb: 4,
      data_sessions: 2,
      active_days: 4,
      cdr_charges: 0.75,
      // Last outgoing call on the 4th, text sent on the 5th, incoming on the 5th, data on the 10th.
      days_since_voice_out: 27,
      days_since_sms_out: 26,
      days_since_incoming: 26,
      days_since_data: 21,
    });
    expect(rowOf(a, 'B', '2024-03')).toMatchObject({
      days_since_voice_out: 31,
      days_since_sms_out: 31,
      days_since_incoming: 31,
      days_since_data: 30,
    });
    expect(a.counts).toMatchObject({ events: 9, voice: 3, sms: 3, data: 3, subscribers: 2 });
    expect(a.months.map(formatMonth)).toEqual(['2024-03']);
  });

  it('sums decimal charges exactly, whatever the order of the events', () => {
    const charges = [0, 8.5, 60.14, 89.16, 96.8, 18.97];
    const events = (order: number[]): Event[] =>
      order.map((k, i) => ({ id: 'A', at: `2024-03-0${1 + i}T10:00:00`, charge: charges[k]! }));
    const forward = rowOf(aggregate(events([0, 1, 2, 3, 4, 5])), 'A', '2024-03')!.cdr_charges;
    const backward = rowOf(aggregate(events([5, 4, 3, 2, 1, 0])), 'A', '2024-03')!.cdr_charges;
    // A float sum gives 273.57000000000005 forward and 273.57 backward.
    expect(forward).toBe(273.57);
    expect(backward).toBe(forward);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['last second of the month',  '2024-01-31T23:59:59', '2024-01'],
    ['first second of the month', '2024-02-01T00:00:00', '2024-02'],
    ['leap day',                  '2024-02-29T23:59:59', '2024-02'],
    ['after the leap day',        '2024-03-01T00:00:00', '2024-03'],
    ['new year',                  '2023-12-31T23:59:59', '2023-12'],
  ])('puts an event on the %s into its local calendar month', (_name, at, month) => {
    const a = aggregate([{ id: 'A', at }]);
    expect(a.months.map(formatMonth)).toEqual([month]);
    expect(rowOf(a, 'A', month)?.voice_out_calls).toBe(1);
  });

  it('keeps one row per subscriber-month when months interleave', () => {
    const a = aggregate([
      { id: 'A', at: '2024-01-31T23:59:59' },
      { id: 'A', at: '2024-02-01T00:00:00' },
      { id: 'B', at: '2024-02-02T00:00:00' },
      { id: 'A', at: '2024-01-30T10:00:00' },
      { id: 'A', at: '2024-02-03T00:00:00' },
    ]);
    expect(a.frame.n).toBe(3);
    expect(rowOf(a, 'A', '2024-01')?.voice_out_calls).toBe(2);
    expect(rowOf(a, 'A', '2024-02')?.voice_out_calls).toBe(2);
    expect(a.counts.byMonth).toEqual([
      // Days 30 and 31 of January; days 1 to 3 of February.
      { month: parseMonth('2024-01'), events: 2, dayMask: (1 << 29) | (1 << 30) },
      { month: parseMonth('2024-02'), events: 3, dayMask: 0b111 },
    ]);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // month,   days with an outgoing call, longest run, ends silent
    [
      '2024-02',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26],
      3,
      1,
    ],
    [
      '2023-02',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26],
      2,
      0,
    ],
    ['2024-02', [1, 29], 27, 0],
    ['2024-03', [2, 3, 31], 27, 0],
    ['2024-03', [1, 5, 6, 7, 28], 20, 1],
    ['2024-03', [1, 29], 27, 0],
    ['2024-04', [30], 29, 0],
    [
      '2024-04',
      [1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
      3,
      0,
    ],
  ])('finds silent runs in %s with calls on %j', (month, days, longest, endsSilent) => {
    const a = aggregate(callsOnDays('A', month, days));
    expect(rowOf(a, 'A', month)).toMatchObject({ longest_silent_run: longest, ends_silent: endsSilent });
  });

  it('counts only outgoing voice calls as breaking a silent run', () => {
    const a = aggregate([
      { id: 'A', at: '2024-03-01T12:00:00' },
      ...[2, 3, 4, 5].map((d) => ({ id: 'A', at: `2024-03-0${d}T12:00:00`, dir: 'in' as const })),
      { id: 'A', at: '2024-03-06T12:00:00', type: 'sms' },
      { id: 'A', at: '2024-03-07T12:00:00' },
      ...callsOnDays('A', '2024-03', [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]),
      ...callsOnDays('A', '2024-03', [26, 27, 28, 29, 30, 31]),
    ]);
    expect(rowOf(a, 'A', '2024-03')).toMatchObject({
      longest_silent_run: 5,
      ends_silent: 0,
      active_days: 31,
    });
  });

  const DATA: Partial<Event> = { type: 'data' };
  const SMS_IN: Partial<Event> = { type: 'sms', dir: 'in' };
  // biome-ignore format: a case table reads best aligned
  it.each([
    // kind of event,           days it happens on, feature,                days to month end
    [{ dir: 'out' }, [3, 31, 17], 'days_since_voice_out', 0],
    [{ dir: 'in' }, [3, 17], 'days_since_incoming', 14],
    [SMS_IN, [1], 'days_since_incoming', 30],
    [{ type: 'sms' }, [30, 2], 'days_since_sms_out', 1],
    [DATA, [1], 'days_since_data', 30],
    [DATA, [], 'days_since_data', 31],
  ] as [Partial<Event>, number[], string, number][])(
    'recency in March 2024: %j on days %j gives %s = %i',
    (kind, days, feature, expected) => {
      // An event of another kind on the 31st keeps the row when there is none of the tested kind.
      const other = feature === 'days_since_data' ? { type: 'sms' as const } : DATA;
      const events: Event[] = [
        ...days.map((d) => ({ id: 'A', at: `2024-03-${String(d).padStart(2, '0')}T12:00:00`, ...kind })),
        { id: 'A', at: '2024-03-31T23:00:00', ...other },
      ];
      expect(rowOf(aggregate(events), 'A', '2024-03')?.[feature]).toBe(expected);
    },
  );

  it('uses the configured number of silent days for ends_silent', () => {
    const days = [
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    ];
    const events = callsOnDays('A', '2024-03', days);
    expect(rowOf(aggregate(events, withTriggers({ silent_days: 4 })), 'A', '2024-03')?.ends_silent).toBe(1);
    expect(rowOf(aggregate(events, withTriggers({ silent_days: 5 })), 'A', '2024-03')?.ends_silent).toBe(0);
  });

  it('counts calls to own and competitor care lines, outgoing voice only', () => {
    const events: Event[] = [
      { id: 'A', at: '2024-03-01T09:00:00', other: '10010' },
      { id: 'A', at: '2024-03-01T09:10:00', other: '10010' },
      { id: 'A', at: '2024-03-01T09:20:00', other: '10086' },
      { id: 'A', at: '2024-03-01T09:30:00', other: '10000' },
      { id: 'A', at: '2024-03-01T09:40:00', other: '10010', dir: 'in' },
      { id: 'A', at: '2024-03-01T09:50:00', other: '10086', type: 'sms' },
      { id: 'A', at: '2024-03-01T10:00:00', other: '100860' },
    ];
    expect(rowOf(aggregate(events), 'A', '2024-03')).toMatchObject({
      own_care_calls: 2,
      competitor_care_calls: 2,
    });
    const settings = { ...SETTINGS, service_numbers: { own_care: ['10086'], competitor_care: ['100860'] } };
    expect(rowOf(aggregate(events, settings), 'A', '2024-03')).toMatchObject({
      own_care_calls: 1,
      competitor_care_calls: 1,
    });
  });

  it('counts distinct contacts over voice and sms in both directions, per month', () => {
    const a = aggregate([
      { id: 'A', at: '2024-03-01T09:00:00', other: '111' },
      { id: 'A', at: '2024-03-02T09:00:00', other: '111', dir: 'in' },
      { id: 'A', at: '2024-03-02T09:00:00', other: '222', type: 'sms' },
      { id: 'A', at: '2024-03-02T09:00:00', other: '0222', type: 'sms' },
      { id: 'A', at: '2024-03-03T09:00:00', type: 'data' },
      { id: 'B', at: '2024-03-03T09:00:00', other: '111' },
      { id: 'A', at: '2024-04-03T09:00:00', other: '111' },
    ]);
    expect(rowOf(a, 'A', '2024-03')?.distinct_contacts).toBe(3);
    expect(rowOf(a, 'B', '2024-03')?.distinct_contacts).toBe(1);
    expect(rowOf(a, 'A', '2024-04')?.distinct_contacts).toBe(1);
  });

  it('counts distinct contacts exactly for many subscribers (hash set growth)', () => {
    const events: Event[] = [];
    for (let s = 0; s < 3000; s++) {
      for (let c = 0; c < 40; c++)
        events.push({ id: `S${s}`, at: '2024-03-05T10:00:00', other: `139${(s * 7 + c) % 97}` });
    }
    const a = aggregate(events);
    const contacts = f64(a.frame, 'distinct_contacts');
    expect(a.frame.n).toBe(3000);
    expect(contacts.every((v) => v === 40)).toBe(true);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    // start hour, night start, night end, night?
    ['21:59:59', 22, 6, 0],
    ['22:00:00', 22, 6, 1],
    ['23:59:59', 22, 6, 1],
    ['00:00:00', 22, 6, 1],
    ['05:59:59', 22, 6, 1],
    ['06:00:00', 22, 6, 0],
    ['01:00:00', 0,  5, 1],
    ['05:00:00', 0,  5, 0],
  ])('counts a call at %s as night=%i..%i: %i', (time, from, to, night) => {
    const settings = { ...SETTINGS, usage: { night_start_hour: from, night_end_hour: to } };
    const a = aggregate([{ id: 'A', at: `2024-03-05T${time}` }], settings);
    expect(rowOf(a, 'A', '2024-03')?.night_share).toBe(night);
  });

  it('computes night and weekend shares over voice and sms events only', () => {
    const a = aggregate([
      { id: 'A', at: '2024-03-02T23:00:00' }, // Saturday night
      { id: 'A', at: '2024-03-03T12:00:00', type: 'sms' }, // Sunday
      { id: 'A', at: '2024-03-04T12:00:00', dir: 'in' }, // Monday
      { id: 'A', at: '2024-03-08T12:00:00' }, // Friday
      { id: 'A', at: '2024-03-09T23:00:00', type: 'data' }, // Saturday night, data: ignored
    ]);
    // March 2024 has 10 weekend days and 21 weekdays: 2 events a weekend day-rate of 0.2, 2 a weekday
    // rate of 2/21; weighed 2 to 5 as in an average week, 0.4 / (0.4 + 10/21) = 21/46.
    expect(rowOf(a, 'A', '2024-03')).toMatchObject({ night_share: 0.25 });
    expect(rowOf(a, 'A', '2024-03')?.weekend_share).toBeCloseTo(21 / 46, 12);
    const dataOnly = aggregate([{ id: 'B', at: '2024-03-09T23:00:00', type: 'data' }]);
    expect(rowOf(dataOnly, 'B', '2024-03')).toMatchObject({ night_share: 0, weekend_share: 0 });
  });

  it('returns an empty frame without events and refuses to finish twice', () => {
    const agg = createCdrAggregator(SETTINGS);
    const a = agg.finish();
    expect(a.frame.n).toBe(0);
    expect(a.months).toEqual([]);
    expect(() => agg.finish()).toThrow(/already finished/);
  });
});
