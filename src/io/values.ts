/**
 * Hand-written cell parsers for the hot path: each returns NaN (or -1) when the text is not valid, so
 * the caller names the reason. Decimal parsing is exact: digits accumulate in an integer below 2^53 and
 * are divided once by an exact power of ten, which rounds the same way as Number().
 */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number (sign, digits, optional fraction or exponent); NaN when not a number. */
export function parseNumber(s: string): number {
  const n = s.length;
  if (n === 0 || n > 16) return slowNumber(s);
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 /* - */ || c0 === 43 /* + */) {
    neg = c0 === 45;
    i = 1;
    if (n === 1) return Number.NaN;
  }
  let v = 0;
  let scale = -1;
  let digits = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 /* . */ && scale < 0) scale = 0;
    else return slowNumber(s);
  }
  if (digits === 0) return Number.NaN;
  const r = scale > 0 ? v / POW10[scale]! : v;
  return neg ? -r : r;
}

function slowNumber(s: string): number {
  return DECIMAL.test(s) ? Number(s) : Number.NaN;
}

export function enumIndex(values: readonly string[], s: string): number {
  for (let i = 0; i < values.length; i++) if (values[i] === s) return i;
  return -1;
}

/** Short quoted preview of an offending value for messages. */
export function preview(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function num(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

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
 * Same result as calendar.parseLocalDateTime (seconds of the wall-clock time since 1970-01-01, NaN
 * when malformed) without slicing strings or building Date objects: it runs once per CDR row.
 */
export function parseDateTimeFast(s: string): number {
  if (s.length !== 19) return Number.NaN;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32)) return Number.NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  const y = num(s, 0, 4);
  const m = num(s, 5, 7);
  const d = num(s, 8, 10);
  const hh = num(s, 11, 13);
  const mi = num(s, 14, 16);
  const ss = num(s, 17, 19);
  if (y < 0 || m < 1 || m > 12 || d < 1 || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59)
    return Number.NaN;
  const leap = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
  if (d > DAYS_IN_MONTH[m - 1]! + leap) return Number.NaN;
  return daysFromCivil(y, m, d) * 86_400 + hh * 3600 + mi * 60 + ss;
}
