import { describe, expect, it } from 'vitest';
import {
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
  // prettier-ignore
  it.each([
    ['2024-02', 2024 * 12 + 1, 29],
    ['2023-02', 2023 * 12 + 1, 28],
    ['2024-12', 2024 * 12 + 11, 31],
    ['1999-04', 1999 * 12 + 3, 30],
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
});
