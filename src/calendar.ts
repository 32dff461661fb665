/**
 * Billing months and dates as integers. A month index is `year * 12 + (month - 1)`; a day is the
 * number of days since 1970-01-01. All arithmetic is in UTC, so there are no time-zone surprises.
 */
const MS_PER_DAY = 86_400_000;

export function monthIndex(year: number, month1: number): number {
  return year * 12 + (month1 - 1);
}

/** Parses `YYYY-MM`; returns NaN when malformed. */
export function parseMonth(s: string): number {
  if (s.length !== 7 || s.charCodeAt(4) !== 45 /* - */) return Number.NaN;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 7);
  if (Number.isNaN(y) || Number.isNaN(m) || m < 1 || m > 12) return Number.NaN;
  return monthIndex(y, m);
}

export function formatMonth(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

export function daysInMonth(index: number): number {
  const y = Math.floor(index / 12);
  const m = index - y * 12;
  return new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
}

/** Day number of the first day of a month. */
export function monthStartDay(index: number): number {
  const y = Math.floor(index / 12);
  return Date.UTC(y, index - y * 12, 1) / MS_PER_DAY;
}

/** Day number of the last day of a month. */
export function monthEndDay(index: number): number {
  return monthStartDay(index + 1) - 1;
}

/** Month index containing a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * MS_PER_DAY);
  return monthIndex(d.getUTCFullYear(), d.getUTCMonth() + 1);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil), no Date object. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * The day number of the `YYYY-MM-DD` at position 0 of `s` (the rest of `s` is not looked at); NaN when
 * malformed or not a real date (2023-02-29). No slicing and no Date object: it runs once per input row.
 */
function dayAtStart(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  return dayOfDate(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10));
}

/** The day number of year `y`, month `m`, day `d` (NaN parts allowed); NaN when not a real date. */
export function dayOfDate(y: number, m: number, d: number): number {
  if (!(m >= 1 && m <= 12 && d >= 1) || Number.isNaN(y)) return Number.NaN;
  const leap = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
  if (d > DAYS_IN_MONTH[m - 1]! + leap) return Number.NaN;
  return daysFromCivil(y, m, d);
}

/** Parses `YYYY-MM-DD` into a day number; NaN when malformed or not a real date (2023-02-29). */
export function parseDate(s: string): number {
  return s.length === 10 ? dayAtStart(s) : Number.NaN;
}

export function formatDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Parses `YYYY-MM-DDTHH:MM:SS` (a space instead of `T` is accepted) into seconds since
 * 1970-01-01T00:00:00 of the same wall-clock time; NaN when malformed.
 */
export function parseLocalDateTime(s: string): number {
  if (s.length !== 19) return Number.NaN;
  const sep = s.charCodeAt(10);
  if ((sep !== 84 /* T */ && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58)
    return Number.NaN;
  return secondsOf(dayAtStart(s), digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19));
}

/** Seconds since 1970-01-01T00:00:00 of a day and a time of day (NaN parts allowed); NaN when not real. */
export function secondsOf(day: number, hh: number, mm: number, ss: number): number {
  if (Number.isNaN(day) || Number.isNaN(hh) || Number.isNaN(mm) || Number.isNaN(ss)) return Number.NaN;
  if (hh > 23 || mm > 59 || ss > 59) return Number.NaN;
  return day * 86_400 + hh * 3600 + mm * 60 + ss;
}

/** Whole months from a day to the end of a month: 0 when activated in that month. */
export function tenureMonths(activationDay: number, month: number): number {
  return month - monthOfDay(activationDay);
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}
