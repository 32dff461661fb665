import { describe, expect, it } from 'vitest';
import {
  createRandom,
  daysInMonth,
  formatDate,
  formatMonth,
  monthEndDay,
  monthOfDay,
  parseDate,
  parseLocalDateTime,
  parseMonth,
  tenureMonths,
} from '../src/index.js';

describe('calendar', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['2024-02', 2024 * 12 + 1,  29],
    ['2023-02', 2023 * 12 + 1,  28],
    ['2024-12', 2024 * 12 + 11, 31],
    ['1999-04', 1999 * 12 + 3,  30],
  ])('month %s', (text, index, days) => {
    expect(parseMonth(text)).toBe(index);
    expect(formatMonth(index)).toBe(text);
    expect(daysInMonth(index)).toBe(days);
  });

  it.each(['2024-13', '2024-00', '24-01', '2024/01', '2024-1', ''])('rejects month %j', (text) => {
    expect(parseMonth(text)).toBeNaN();
  });

  it('parses dates, leap days included, and rejects impossible ones', () => {
    expect(formatDate(parseDate('2024-02-29'))).toBe('2024-02-29');
    expect(parseDate('2023-02-29')).toBeNaN();
    expect(parseDate('2024-04-31')).toBeNaN();
    expect(parseDate('2024-4-01')).toBeNaN();
    expect(parseDate('1970-01-02')).toBe(1);
  });

  it('parses local date-times with T or a space', () => {
    expect(parseLocalDateTime('1970-01-02T01:00:05')).toBe(86_400 + 3605);
    expect(parseLocalDateTime('1970-01-02 01:00:05')).toBe(86_400 + 3605);
    expect(parseLocalDateTime('1970-01-02T24:00:00')).toBeNaN();
    expect(parseLocalDateTime('1970-01-02T01:00')).toBeNaN();
  });

  it('places days in months and counts tenure in whole months', () => {
    const feb = parseMonth('2024-02');
    expect(monthOfDay(parseDate('2024-02-29'))).toBe(feb);
    expect(monthEndDay(feb)).toBe(parseDate('2024-02-29'));
    expect(tenureMonths(parseDate('2024-02-15'), feb)).toBe(0);
    expect(tenureMonths(parseDate('2023-08-31'), feb)).toBe(6);
  });

  it('agrees with a Date.UTC reference on thousands of random date-times, valid or not', () => {
    // Independent reference: the platform calendar, with the strict shape checks the parser makes.
    const reference = (t: string): number => {
      const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})$/.exec(t);
      if (!m) return Number.NaN;
      const [y, mo, d, hh, mi, ss] = m.slice(1).map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const ms = Date.UTC(y, mo - 1, d, hh, mi, ss);
      const back = new Date(ms);
      if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || hh > 23 || mi > 59 || ss > 59)
        return Number.NaN;
      // Date.UTC maps years 0-99 to 1900-1999; the contract's years are four digits as written.
      return y < 100 ? Number.NaN : ms / 1000;
    };
    const rnd = createRandom(3, 0);
    const p = (n: number, w: number) => String(n).padStart(w, '0');
    const cases = [
      '2024-02-29T23:59:59',
      '2023-02-29T00:00:00',
      '1900-02-29 12:00:00',
      '2000-02-29T00:00:00',
      'bad',
    ];
    for (let i = 0; i < 5000; i++) {
      cases.push(
        `${p(1960 + rnd.int(100), 4)}-${p(rnd.int(14), 2)}-${p(rnd.int(33), 2)}T${p(rnd.int(25), 2)}:${p(rnd.int(61), 2)}:${p(rnd.int(61), 2)}`,
      );
    }
    let valid = 0;
    for (const t of cases) {
      expect(parseLocalDateTime(t), t).toBe(reference(t));
      if (!Number.isNaN(reference(t))) valid++;
    }
    expect(valid).toBeGreaterThan(1000);
  });
});
