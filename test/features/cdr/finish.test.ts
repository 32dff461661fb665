import { describe, expect, it } from 'vitest';
import { weekShare } from '../../../src/features/cdr/finish.js';

describe('weekShare', () => {
  // biome-ignore format: aligned case table
  it.each([
    // weekend events, events, weekend days, days, share
    [ 2,  8,  8, 28, 0.25         ], // whole weeks: the plain share
    [ 0,  0,  9, 30, 0            ], // no events
    [ 0,  5,  9, 30, 0            ],
    [ 5,  5,  8, 31, 1            ],
    [ 2,  4, 10, 31, 21 / 46      ], // March 2024: rates 0.2 and 2/21, weighed 2 to 5
  ])('%i of %i events on %i weekend days of %i: %d', (weekend, events, weekendDays, days, share) => {
    expect(weekShare(weekend, events, weekendDays, days)).toBeCloseTo(share, 12);
  });

  it('reads the same habit the same in a month of 9 weekend days and one of 8', () => {
    // One event every weekday and three every weekend day: June 2025 (9 weekend days of 30) against
    // July 2025 (8 of 31). The plain share moves from 27/48 to 24/47; the week share stays 6/11.
    const june = weekShare(27, 27 + 21, 9, 30);
    const july = weekShare(24, 24 + 23, 8, 31);
    expect(june).toBeCloseTo(6 / 11, 12);
    expect(july).toBeCloseTo(6 / 11, 12);
  });
});
