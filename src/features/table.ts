/**
 * Wide-table mode (`retain train --table`, `retain score --table`): one row per subscriber from a
 * warehouse export, already aggregated. Fitting decides how each raw text column becomes numeric
 * features; the decision (TableEncoding) is plain JSON stored in the model file, and scoring applies
 * it to a new table unchanged.
 *
 * Values are trimmed; an empty or null cell is blank (missing). Rows in messages count data rows
 * from 1 (the header is not a row).
 */
import { echo, echoList } from '../echo.js';
import { InputError, ModelError } from '../errors.js';
import { describeColumns } from '../io/columns.js';
import type { RawTable } from '../io/types.js';
import type { FeatureMatrix } from '../model/types.js';

// The reader in io/ produces this shape; one declaration, exported from both barrels.
export type { RawTable } from '../io/types.js';

export type ColumnEncoding =
  /** Parsed as a number; blank or text → NaN. */
  | { kind: 'numeric'; column: string; feature: string }
  /** A yes/no-style flag (the label's vocabulary, any case) → 1 / 0; anything else → NaN. */
  | { kind: 'flag'; column: string; feature: string }
  /** Two other values → one 0/1 feature; `one` → 1, `zero` → 0, anything else → NaN. */
  | { kind: 'binary'; column: string; feature: string; one: string; zero: string }
  /** One 0/1 feature per level, named `<column>=<level>`; an unseen or blank value → all zero. */
  | { kind: 'oneHot'; column: string; levels: string[] };

export const TABLE_ENCODING_FORMAT = 'retain-table-encoding';
export const TABLE_ENCODING_VERSION = 1;

export interface TableEncoding {
  format: typeof TABLE_ENCODING_FORMAT;
  version: typeof TABLE_ENCODING_VERSION;
  label: string;
  /** The label's raw values read as churn (1) and as stay (0), as first seen. */
  labelValues: { positive: string; negative: string };
  id: string | null;
  columns: ColumnEncoding[];
  featureNames: string[];
}

export interface TableEncodingOptions {
  label: string;
  id?: string;
  /** Text columns with more distinct values are dropped. */
  maxCategories?: number;
}

export interface TableReport {
  features: string[];
  oneHot: { column: string; levels: string[] }[];
  dropped: { column: string; reason: string }[];
  /** Columns kept with some cells read as missing (blanks, stray text in a numeric column). */
  notes: { column: string; note: string }[];
}

export interface TableFit {
  encoding: TableEncoding;
  X: FeatureMatrix;
  y: Uint8Array;
  ids: string[] | null;
  report: TableReport;
}

const DEFAULTS = { maxCategories: 30 };
/** A numeric column with more blank cells than this share is unusable. */
const MAX_BLANK_SHARE = 0.5;
/** Stray text up to this share of a numeric column's non-blank cells is read as missing. */
const MAX_STRAY_TEXT_SHARE = 0.01;

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

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function cell(v: string | null | undefined): string {
  return v == null ? '' : v.trim();
}

function parseNumber(v: string): number {
  return NUMBER.test(v) ? Number(v) : Number.NaN;
}

/** Case and number spelling folded: "YES" → "yes", "1.0" → "1". */
function flagKey(v: string): string {
  return /^[+-]?\d+(\.0*)?$/.test(v) ? String(Number(v)) : v.toLowerCase();
}

/** 1 / 0 for a value of a recognised pair (case-insensitive), else -1. */
function flag(v: string): number {
  const k = flagKey(v);
  return POSITIVE.has(k) ? 1 : NEGATIVE.has(k) ? 0 : -1;
}

function columnIndex(raw: RawTable): Map<string, number> {
  const at = new Map<string, number>();
  raw.names.forEach((name, i) => {
    if (at.has(name)) throw new InputError(`column "${name}" appears twice in the table`);
    at.set(name, i);
  });
  return at;
}

function listRows(rows: number[]): string {
  const shown = rows.slice(0, 5).join(', ');
  return rows.length > 5 ? `${shown} and ${rows.length - 5} more` : shown;
}

function readLabel(
  label: string,
  values: (string | null)[],
): { y: Uint8Array; positive: string; negative: string } {
  // Spellings that differ only in case or number format ("Yes", "yes"; "1", "1.0") are one value.
  const byKey = new Map<string, { raw: string; rows: number[] }>();
  values.forEach((v, i) => {
    const c = cell(v);
    const key = flagKey(c);
    const seen = byKey.get(key);
    if (seen) seen.rows.push(i + 1);
    else byKey.set(key, { raw: c, rows: [i + 1] });
  });
  const describe = (keys: string[]) =>
    keys
      .map((k) => {
        const { raw, rows } = byKey.get(k)!;
        return `${raw === '' ? 'blank' : echo(raw, 60)} (row${rows.length > 1 ? 's' : ''} ${listRows(rows)})`;
      })
      .join(', ');
  const keys = [...byKey.keys()];
  const bad = keys.filter((k) => k === '' || flag(k) < 0);
  if (bad.length > 0) {
    throw new InputError(
      `label column "${label}" has values that are not a churn flag: ${describe(bad)}; ` +
        'expected two values such as Yes/No, True/False, 1/0, Y/N or churned/stayed',
    );
  }
  const positive = keys.filter((k) => flag(k) === 1);
  const negative = keys.filter((k) => flag(k) === 0);
  if (keys.length > 2) {
    throw new InputError(`label column "${label}" has more than two distinct values: ${describe(keys)}`);
  }
  if (positive.length !== 1 || negative.length !== 1) {
    throw new InputError(`label column "${label}" holds one class only: ${describe(keys)}`);
  }
  const y = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) y[i] = flag(cell(values[i]));
  return { y, positive: byKey.get(positive[0]!)!.raw, negative: byKey.get(negative[0]!)!.raw };
}

type Decision = { encoding: ColumnEncoding; note?: string } | { dropped: string };

/** How one feature column is encoded, or why it is dropped. */
function decide(name: string, values: (string | null)[], maxCategories: number): Decision {
  const n = values.length;
  const distinct = new Map<string, number>();
  let blanks = 0;
  let numbers = 0;
  for (const v of values) {
    const c = cell(v);
    if (c === '') {
      blanks++;
      continue;
    }
    if (!Number.isNaN(parseNumber(c))) numbers++;
    distinct.set(c, (distinct.get(c) ?? 0) + 1);
  }
  const filled = n - blanks;
  const text = filled - numbers;
  if (filled === 0) return { dropped: 'empty' };
  if (distinct.size === 1 && blanks === 0)
    return { dropped: `constant (${echo(distinct.keys().next().value!, 60)})` };
  const blankNote = blanks > 0 ? `${blanks} blank of ${n} read as missing` : undefined;
  if (numbers > 0 && text <= MAX_STRAY_TEXT_SHARE * filled) {
    if (blanks > MAX_BLANK_SHARE * n) return { dropped: `mostly blank (${blanks} of ${n})` };
    const encoding: ColumnEncoding = { kind: 'numeric', column: name, feature: name };
    if (text === 0) return { encoding, note: blankNote };
    const stray = [...distinct.keys()].filter((v) => Number.isNaN(parseNumber(v)));
    const strayNote = `${text} text cells (${stray
      .slice(0, 3)
      .map((v) => echo(v, 60))
      .join(', ')}) read as missing`;
    return { encoding, note: blankNote ? `${blankNote}; ${strayNote}` : strayNote };
  }
  if (distinct.size > maxCategories) {
    if (numbers > 0) return { dropped: `mixed: ${text} text and ${numbers} numeric cells` };
    if (distinct.size === filled) return { dropped: 'identifier' };
    return { dropped: `high cardinality (${distinct.size} distinct > ${maxCategories})` };
  }
  const levels = [...distinct.keys()].sort();
  // Yes/No, True/False, Y/N... in any mix of case: one feature named after the column, 1 = yes.
  const flags = new Set(levels.map(flag));
  if (flags.size === 2 && !flags.has(-1))
    return { encoding: { kind: 'flag', column: name, feature: name }, note: blankNote };
  if (levels.length === 2) {
    const [zero, one] = levels as [string, string];
    return {
      encoding: { kind: 'binary', column: name, feature: `${name}=${one}`, one, zero },
      note: blankNote,
    };
  }
  return { encoding: { kind: 'oneHot', column: name, levels }, note: blankNote };
}

function featureNamesOf(columns: ColumnEncoding[]): string[] {
  return columns.flatMap((c) =>
    c.kind === 'oneHot' ? c.levels.map((l) => `${c.column}=${l}`) : [c.feature],
  );
}

function encodeColumn(c: ColumnEncoding, values: (string | null)[]): Float64Array[] {
  const n = values.length;
  switch (c.kind) {
    case 'numeric': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = parseNumber(cell(values[i]));
      return [out];
    }
    case 'flag': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const f = flag(cell(values[i]));
        out[i] = f < 0 ? Number.NaN : f;
      }
      return [out];
    }
    case 'binary': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = cell(values[i]);
        out[i] = v === c.one ? 1 : v === c.zero ? 0 : Number.NaN;
      }
      return [out];
    }
    case 'oneHot': {
      const level = new Map(c.levels.map((l, k) => [l, k]));
      const out = c.levels.map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        const k = level.get(cell(values[i]));
        if (k !== undefined) out[k]![i] = 1;
      }
      return out;
    }
  }
}

function encode(columns: ColumnEncoding[], raw: RawTable, at: Map<string, number>): FeatureMatrix {
  const missing = columns.map((c) => c.column).filter((name) => !at.has(name));
  if (missing.length > 0) {
    throw new ModelError(
      `${fileOf(raw)}the table lacks column${missing.length > 1 ? 's' : ''} the model was trained on: ${missing.map((m) => `"${m}"`).join(', ')}; ${describeColumns(raw.names)}`,
    );
  }
  return {
    nRows: raw.rowCount,
    names: featureNamesOf(columns),
    columns: columns.flatMap((c) => encodeColumn(c, raw.columns[at.get(c.column)!]!)),
  };
}

/** `<file>: ` to start a message about the table's content, when it came from a file. */
function fileOf(raw: RawTable): string {
  return raw.path === undefined ? '' : `${raw.path}: `;
}

function readIds(raw: RawTable, at: Map<string, number>, id: string): string[] {
  const k = at.get(id);
  if (k === undefined)
    throw new InputError(`${fileOf(raw)}no id column "${id}" in the table (has: ${echoList(raw.names)})`);
  return raw.columns[k]!.map(cell);
}

/** Learns the encoding of a training table and returns its features, labels and ids. */
export function fitTableEncoding(raw: RawTable, options: TableEncodingOptions): TableFit {
  const { label, id, maxCategories } = { ...DEFAULTS, ...options };
  const at = columnIndex(raw);
  const labelAt = at.get(label);
  if (labelAt === undefined) {
    throw new InputError(
      `${fileOf(raw)}no label column "${label}" in the table (has: ${echoList(raw.names)})`,
    );
  }
  const { y, positive, negative } = readLabel(label, raw.columns[labelAt]!);
  const ids = id === undefined ? null : readIds(raw, at, id);
  const columns: ColumnEncoding[] = [];
  const report: TableReport = { features: [], oneHot: [], dropped: [], notes: [] };
  raw.names.forEach((name, k) => {
    if (name === label || name === id) return;
    const d = decide(name, raw.columns[k]!, maxCategories);
    if ('dropped' in d) {
      report.dropped.push({ column: name, reason: d.dropped });
      return;
    }
    columns.push(d.encoding);
    if (d.encoding.kind === 'oneHot') report.oneHot.push({ column: name, levels: d.encoding.levels });
    if (d.note) report.notes.push({ column: name, note: d.note });
  });
  const featureNames = featureNamesOf(columns);
  const seen = new Set<string>();
  for (const f of featureNames) {
    if (seen.has(f)) throw new InputError(`feature name "${f}" arises twice; rename the column "${f}"`);
    seen.add(f);
  }
  report.features = featureNames;
  const encoding: TableEncoding = {
    format: TABLE_ENCODING_FORMAT,
    version: TABLE_ENCODING_VERSION,
    label,
    labelValues: { positive, negative },
    id: id ?? null,
    columns,
    featureNames,
  };
  return { encoding, X: encode(columns, raw, at), y, ids, report };
}

/**
 * Encodes a table to score with a fitted encoding. Ids come from `id`, else the training id column
 * when the table has it, else none.
 */
export function applyTableEncoding(
  encoding: TableEncoding,
  raw: RawTable,
  options: { id?: string } = {},
): { X: FeatureMatrix; ids: string[] | null } {
  if (encoding.format !== TABLE_ENCODING_FORMAT || encoding.version !== TABLE_ENCODING_VERSION) {
    throw new ModelError(
      `table encoding is ${encoding.format} version ${encoding.version}; ` +
        `this version reads ${TABLE_ENCODING_FORMAT} version ${TABLE_ENCODING_VERSION}`,
    );
  }
  const at = columnIndex(raw);
  const X = encode(encoding.columns, raw, at);
  let ids: string[] | null = null;
  if (options.id !== undefined) ids = readIds(raw, at, options.id);
  else if (encoding.id !== null && at.has(encoding.id)) ids = readIds(raw, at, encoding.id);
  return { X, ids };
}
