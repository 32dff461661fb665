/**
 * How the report writes numbers and text: one module, so a percentage or an amount reads the same in
 * a KPI card, a table cell and a chart axis. Two decimals for percentages and money; counts grouped by
 * thousands; anything missing or not finite is "n/a". Text from data goes through `esc` before it
 * reaches HTML or SVG.
 */

/** Missing values in every formatter. */
export const NA = 'n/a';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Grouped by thousands with a fixed number of decimals; negatives with a true minus sign. */
const grouped = (v: number, digits: number): string => {
  const text = Math.abs(v).toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return v < 0 && /[1-9]/.test(text) ? `−${text}` : text;
};

/** A share as a percentage with two decimals: 0.01234 → "1.23%". */
export function pct(v: number | null | undefined, digits = 2): string {
  return finite(v) ? `${grouped(v * 100, digits)}%` : NA;
}

/** A difference of shares in percentage points, signed: −0.0123 → "−1.23 pts". */
export function points(v: number | null | undefined, digits = 2): string {
  if (!finite(v)) return NA;
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return `${sign}${grouped(Math.abs(v * 100), digits)} pts`;
}

/** A plain number with two decimals (a lift, a PSI): 7.0399 → "7.04". */
export function decimal(v: number | null | undefined, digits = 2): string {
  return finite(v) ? grouped(v, digits) : NA;
}

/** A whole count grouped by thousands: 1154 → "1,154". */
export function count(v: number | null | undefined): string {
  return finite(v) ? grouped(Math.round(v), 0) : NA;
}

/**
 * An amount with the configured currency and two decimals. A symbol sticks to the number ("¥1,234.50");
 * a code is set off by a space ("CNY 1,234.50"); no currency gives the bare number.
 */
export function money(v: number | null | undefined, currency: string): string {
  if (!finite(v)) return NA;
  const body = grouped(Math.abs(v), 2);
  const sign = v < 0 && body !== '0.00' ? '−' : '';
  if (currency === '') return `${sign}${body}`;
  const sep = /^[A-Za-z]{2,}$/.test(currency) ? ' ' : '';
  return `${sign}${currency}${sep}${body}`;
}

/** An axis title naming the currency when there is one: "revenue at risk (CNY)". */
export const moneyTitle = (title: string, currency: string): string =>
  currency === '' ? title : `${title} (${currency})`;

/** d3-format strings for chart axes, the counterparts of the formatters above. */
export const AXIS = {
  pct: '.0%',
  pct1: '.1%',
  pct2: '.2%',
  count: ',d',
  decimal: ',.2f',
  money: ',.2f',
} as const;

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
