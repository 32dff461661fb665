import { describe, expect, it } from 'vitest';
import {
  billedByMonth,
  billingUpTo,
  cdrUpTo,
  chooseMonth,
  formatMonth,
  InputError,
  i32,
  parseMonth,
} from '../../src/index.js';
import { aggregate, type BillingRow, billingTable } from '../features/build.js';

const m = parseMonth;
const rows = (month: string, n: number, from = 0): BillingRow[] =>
  Array.from({ length: n }, (_, i) => ({ id: `S${from + i}`, month }));

describe('billedByMonth', () => {
  it('counts the subscribers of each month, months ascending', () => {
    const billed = billedByMonth(
      billingTable([...rows('2025-03', 2), ...rows('2025-01', 3), ...rows('2025-02', 1)]),
    );
    expect([...billed].map(([k, v]) => [formatMonth(k), v])).toEqual([
      ['2025-01', 3],
      ['2025-02', 1],
      ['2025-03', 2],
    ]);
  });
});

describe('chooseMonth', () => {
  const counts = (...pairs: [string, number][]) => new Map(pairs.map(([k, v]) => [m(k), v]));
  /** "2025-06:100 2025-07:50" → subscribers per month. */
  const parse = (text: string) =>
    counts(
      ...text
        .split(' ')
        .map((p) => p.split(':') as [string, string])
        .map(([k, v]) => [k, Number(v)] as [string, number]),
    );

  it.each([
    ['2025-06:100 2025-07:100', null, '2025-07'],
    ['2025-06:100 2025-07:50', null, '2025-07'],
    ['2025-07:1', null, '2025-07'],
    ['2025-06:100 2025-07:100 2025-08:1', '2025-07', '2025-07'],
    ['2025-06:100 2025-07:1', '2025-07', '2025-07'],
    // A gap: the month before in the data is compared.
    ['2025-04:100 2025-07:60', null, '2025-07'],
  ])('%s, --month %s → %s', (pairs, pinned, chosen) => {
    expect(formatMonth(chooseMonth(parse(pairs), pinned === null ? null : m(pinned), 0.5))).toBe(chosen);
  });

  it('refuses a latest month with far fewer subscribers, naming both counts and --month', () => {
    const call = () => chooseMonth(counts(['2025-06', 1154], ['2025-07', 1154], ['2025-08', 1]), null, 0.5);
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      'the latest billing month 2025-08 bills 1 subscriber, 0.09% of the 1,154 subscribers of 2025-07 ' +
        '(limit checks.min_month_share 50%): a stray row or a partial export? Give --month 2025-07',
    );
  });

  it.each([
    [0.5, 499, true],
    [0.5, 500, false],
    [0.9, 899, true],
    [0, 1, false],
  ])('share %f: %i of 1000 refused %s', (share, latest, refused) => {
    const call = () => chooseMonth(counts(['2025-06', 1000], ['2025-07', latest]), null, share);
    if (refused) expect(call).toThrow(InputError);
    else expect(formatMonth(call())).toBe('2025-07');
  });

  it('refuses a pinned month absent from the data, naming the months present', () => {
    const call = () =>
      chooseMonth(counts(['2025-01', 5], ['2025-02', 5], ['2025-03', 5], ['2025-05', 5]), m('2025-09'), 0.5);
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      '--month 2025-09 is not in the billing files (months present: 2025-01 to 2025-03, 2025-05)',
    );
  });

  it('refuses an empty billing input', () => {
    expect(() => chooseMonth(new Map(), null, 0.5)).toThrow(InputError);
  });
});

describe('billingUpTo and cdrUpTo', () => {
  it('cuts billing rows of later months and counts them', () => {
    const table = billingTable([
      ...rows('2025-06', 3),
      ...rows('2025-08', 2),
      ...rows('2025-07', 3),
      ...rows('2025-09', 1),
    ]);
    const cut = billingUpTo(table, m('2025-07'));
    expect(cut.laterRows).toBe(3);
    expect(cut.laterMonths.map(formatMonth)).toEqual(['2025-08', '2025-09']);
    expect(cut.billing.n).toBe(6);
    expect(Array.from(cut.billing.cols.month, formatMonth)).toEqual([
      ...Array(3).fill('2025-06'),
      ...Array(3).fill('2025-07'),
    ]);
    expect(billingUpTo(table, m('2025-09')).billing).toBe(table);
  });

  it('cuts CDR subscriber-months of later months and counts their events', () => {
    const cdr = aggregate([
      { id: 'A', at: '2025-06-03T10:00:00' },
      { id: 'A', at: '2025-07-03T10:00:00' },
      { id: 'B', at: '2025-08-01T10:00:00' },
      { id: 'B', at: '2025-08-02T10:00:00' },
    ]);
    const cut = cdrUpTo(cdr, m('2025-07'));
    expect(cut.laterEvents).toBe(2);
    expect(cut.laterMonths.map(formatMonth)).toEqual(['2025-08']);
    expect(cut.cdr.months.map(formatMonth)).toEqual(['2025-06', '2025-07']);
    expect(Array.from(i32(cut.cdr.frame, 'month'), formatMonth)).toEqual(['2025-06', '2025-07']);
    expect(cdrUpTo(cdr, m('2025-08')).cdr).toBe(cdr);
  });
});
