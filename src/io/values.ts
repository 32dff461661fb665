/**
 * Hand-written cell parsers for the hot path: each returns NaN (or -1) when the text is not valid, so
 * the caller names the reason. Decimal parsing is exact: digits accumulate in an integer below 2^53 and
 * are divided once by an exact power of ten, which rounds the same way as Number().
 */
/** Exact powers of ten, for decimal parsing (an exact integer divided once rounds as Number() does). */
export const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
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
