import { describe, expect, it } from 'vitest';
import {
  longestClearRun,
  popcount32,
  trailingClearRun,
  weekendMask,
} from '../../../src/features/cdr/day-mask.js';
import { parseDate } from '../../../src/index.js';

const mask = (days: number[]) => days.reduce((m, d) => m | (1 << (d - 1)), 0);

describe('day masks', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    // set days,           days in month, popcount, longest clear, trailing clear
    [[],            31, 0, 31, 31],
    [[1, 31],       31, 2, 29, 0],
    [[31],          31, 1, 30, 0],
    [[1],           29, 1, 28, 28],
    [[2, 3, 4, 10], 30, 4, 20, 20],
    [
      [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
        29, 30, 31,
      ],
      31,
      31,
      0,
      0,
    ],
  ])('days %j of %i: %i set, longest clear %i, trailing clear %i', (days, n, count, longest, trailing) => {
    const m = mask(days);
    expect(popcount32(m)).toBe(count);
    expect(longestClearRun(m, n)).toBe(longest);
    expect(trailingClearRun(m, n)).toBe(trailing);
  });

  it('marks Saturdays and Sundays', () => {
    // March 2024 starts on a Friday: weekends are 2-3, 9-10, 16-17, 23-24, 30-31.
    expect(weekendMask(parseDate('2024-03-01'), 31)).toBe(mask([2, 3, 9, 10, 16, 17, 23, 24, 30, 31]));
    // 1969-12-27 was a Saturday (days before the epoch are negative).
    expect(weekendMask(parseDate('1969-12-27'), 2)).toBe(mask([1, 2]));
  });
});
