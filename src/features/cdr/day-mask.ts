/**
 * Days of one month as bits of a 32-bit mask: bit d-1 is day d. Used for "days with an outgoing
 * voice call" and "active days" per subscriber-month, so a month costs 4 bytes per subscriber.
 */

/** Number of set bits. */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Longest run of consecutive days 1..days whose bit is clear. */
export function longestClearRun(mask: number, days: number): number {
  let best = 0;
  let run = 0;
  for (let d = 0; d < days; d++) {
    if ((mask >>> d) & 1) {
      run = 0;
    } else if (++run > best) {
      best = run;
    }
  }
  return best;
}

/** Run of clear days ending on the last day of the month (0 when the last day is set). */
export function trailingClearRun(mask: number, days: number): number {
  let run = 0;
  for (let d = days - 1; d >= 0 && ((mask >>> d) & 1) === 0; d--) run++;
  return run;
}

/** Bits of the Saturdays and Sundays among `days` days starting at day number `firstDay`. */
export function weekendMask(firstDay: number, days: number): number {
  let mask = 0;
  for (let d = 0; d < days; d++) {
    // 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sundays, 6 on Saturdays.
    const weekday = (((firstDay + d + 4) % 7) + 7) % 7;
    if (weekday === 0 || weekday === 6) mask |= 1 << d;
  }
  return mask;
}
