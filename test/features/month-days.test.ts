import { describe, expect, it } from 'vitest';
import { monthEndDay, monthStartDay, parseMonth } from '../../src/calendar.js';
import { MonthDays } from '../../src/features/month-days.js';
import { createRandom } from '../../src/random.js';

describe('MonthDays', () => {
  it('gives the calendar first and last day of each month, asked in any order and again', () => {
    const random = createRandom(4);
    const first = parseMonth('1999-11');
    // Month by month (as billing rows come), then at random across leap years and year ends.
    const months = [
      ...Array.from({ length: 40 }, (_, k) => first + Math.floor(k / 3)),
      ...Array.from({ length: 200 }, () => first + random.int(400)),
    ];
    const days = new MonthDays();
    expect(months.map((m) => [days.start(m), days.end(m)])).toEqual(
      months.map((m) => [monthStartDay(m), monthEndDay(m)]),
    );
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2023-02', '2023-02-01', '2023-02-28'],
    ['2025-12', '2025-12-01', '2025-12-31'],
  ])('%s runs from %s to %s', (month, start, end) => {
    const days = new MonthDays();
    const m = parseMonth(month);
    expect([days.start(m), days.end(m)]).toEqual([Date.parse(start) / 86_400_000, Date.parse(end) / 86_400_000]);
  });
});
