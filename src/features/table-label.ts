/**
 * The churn label of a wide table, and the yes/no vocabulary a flag column reads: the pairs of
 * values taken as 1 and 0 whatever their case or number spelling ("Yes", "yes"; "1", "1.0").
 */
import { echo } from '../echo.js';
import { InputError } from '../errors.js';
import { type CellColumn, type CellTable, DISTINCT_CAP } from '../io/cell-columns.js';
import { fileOf, listRows, SHOWN_ROWS } from './table-rows.js';

/** Pairs read as a churn flag or a yes/no feature: [value meaning 1, value meaning 0]. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['yes', 'no'],
  ['true', 'false'],
  ['1', '0'],
  ['y', 'n'],
  ['t', 'f'],
  ['churned', 'stayed'],
  ['churn', 'stay'],
  ['churned', 'retained'],
  ['left', 'stayed'],
  ['exited', 'stayed'],
];
const POSITIVE = new Set(PAIRS.map((p) => p[0]));
const NEGATIVE = new Set(PAIRS.map((p) => p[1]));

/** Case and number spelling folded: "YES" → "yes", "1.0" → "1". */
function flagKey(v: string): string {
  return /^[+-]?\d+(\.0*)?$/.test(v) ? String(Number(v)) : v.toLowerCase();
}

/** 1 / 0 for a value of a recognised pair (case-insensitive), else -1. */
export function flag(v: string): number {
  const k = flagKey(v);
  return POSITIVE.has(k) ? 1 : NEGATIVE.has(k) ? 0 : -1;
}

/**
 * The label column as 0/1 (1 = churned), and its raw values read as churn and as stay. Refused
 * (InputError, naming the values and their rows) unless it holds exactly two values of one pair.
 */
export function readLabel(
  label: string,
  raw: CellTable,
  column: CellColumn,
): { y: Uint8Array; positive: string; negative: string } {
  const { codes, dictionary, n } = column;
  const file = fileOf(raw);
  if (codes === null)
    throw new InputError(
      `${file}label column "${label}" has more than ${DISTINCT_CAP} distinct values; expected two values such as Yes/No`,
    );
  // Spellings that differ only in case or number format ("Yes", "yes"; "1", "1.0") are one value.
  // Each value keeps its first rows and a count, for messages: not a list of every row.
  const keyOf = dictionary.map(flagKey);
  const byKey = new Map<string, { raw: string; rows: number[]; count: number }>();
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    const key = code < 0 ? '' : keyOf[code]!;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { raw: code < 0 ? '' : dictionary[code]!, rows: [i], count: 1 });
    else if (seen.count++ < SHOWN_ROWS) seen.rows.push(i);
  }
  const describe = (keys: string[]) =>
    keys
      .map((k) => {
        const { raw: text, rows, count } = byKey.get(k)!;
        return `${text === '' ? 'blank' : echo(text, 60)} (${listRows(raw, rows, count)})`;
      })
      .join(', ');
  const keys = [...byKey.keys()];
  const bad = keys.filter((k) => k === '' || flag(k) < 0);
  if (bad.length > 0) {
    throw new InputError(
      `${file}label column "${label}" has values that are not a churn flag: ${describe(bad)}; ` +
        'expected two values such as Yes/No, True/False, 1/0, Y/N or churned/stayed',
    );
  }
  const positive = keys.filter((k) => flag(k) === 1);
  const negative = keys.filter((k) => flag(k) === 0);
  if (keys.length > 2) {
    throw new InputError(
      `${file}label column "${label}" has more than two distinct values: ${describe(keys)}`,
    );
  }
  if (positive.length !== 1 || negative.length !== 1) {
    throw new InputError(`${file}label column "${label}" holds one class only: ${describe(keys)}`);
  }
  const flagOf = Int8Array.from(keyOf, (k) => flag(k));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = flagOf[codes[i]!]!;
  return { y, positive: byKey.get(positive[0]!)!.raw, negative: byKey.get(negative[0]!)!.raw };
}
