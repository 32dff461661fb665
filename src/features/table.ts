/**
 * Wide-table mode (`retain train --table`, `retain score --table`): one row per subscriber from a
 * warehouse export, already aggregated. Fitting decides how each raw text column becomes numeric
 * features; the decision (TableEncoding) is plain JSON stored in the model file, and scoring applies
 * it to a new table unchanged.
 *
 * Values are trimmed; an empty or null cell is blank (missing). Rows in messages count data rows
 * from 1 (the header is not a row).
 */
import { echo, echoBare, echoList } from '../echo.js';
import { InputError, InternalError, ModelError, UsageError } from '../errors.js';
import type { FeatureMatrix } from '../frame.js';
import { type CellColumn, type CellTable, cellTableOf, DISTINCT_CAP } from '../io/cell-columns.js';
import { describeColumns } from '../io/columns.js';
import type { RawTable } from '../io/types.js';
import { flag, readLabel } from './table-label.js';
import {
  type ColumnNote,
  categoriesNote,
  isSpelledNumber,
  MAX_TEXT_SHARE,
  numbersWithErrors,
  numericTextNote,
  spelledNumbers,
  spreadsheetErrors,
  strayTextShown,
  unreadCellsNote,
} from './table-notes.js';
import { checkIds, checkRepeatedHeader, fileOf } from './table-rows.js';

// The reader in io/ produces these shapes; one declaration, exported from both barrels.
export { type CellColumn, type CellTable, cellText } from '../io/cell-columns.js';
export type { RawTable } from '../io/types.js';

/** A table as text columns (small tables, tests) or as the reader's typed cell columns. */
export type TableInput = RawTable | CellTable;

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

function columnIndex(raw: CellTable): Map<string, number> {
  const at = new Map<string, number>();
  raw.names.forEach((name, i) => {
    // A column without a name can be no label, id or feature (fitTableEncoding drops it, saying so).
    if (name.trim() === '') return;
    if (at.has(name)) throw new InputError(`${fileOf(raw)}column "${name}" appears twice in the table`);
    at.set(name, i);
  });
  return at;
}

type Decision = { encoding: ColumnEncoding; note?: string } | { dropped: string };

/**
 * Whether a column dropped for `reason` (decide's) is data the model loses, to be warned: numbers
 * with too much text among them (units), a column blank throughout or mostly, of spreadsheet errors
 * only, or without a name (an export gone wrong). Constant, identifier and high-cardinality columns
 * are expected in a warehouse table: told, not warned.
 */
export function dropLosesData(reason: string): boolean {
  return /^(mixed|empty|mostly blank|spreadsheet|no name)/.test(reason);
}

/** How one feature column is encoded, or why it is dropped, from the counts its reading kept. */
function decide(name: string, column: CellColumn, maxCategories: number, raw: CellTable): Decision {
  const { n, blanks, numbers, first, allSame, codes, dictionary } = column;
  const filled = n - blanks;
  const text = filled - numbers;
  if (filled === 0) return { dropped: 'empty' };
  if (spreadsheetErrors(column))
    return { dropped: `spreadsheet errors only (${column.dictionary.slice(0, 5).join(', ')})` };
  if (allSame && blanks === 0) return { dropped: `constant (${echo(first ?? '', 60)})` };
  const blankNote = blanks > 0 ? `${blanks} blank of ${n} read as missing` : undefined;
  // Numbers with some stray text (#N/A, "unknown"), read as missing up to the share scoring reads so;
  // or numbers every one spelled as the reader does not take them (12,5; $12.50), which the numeric
  // rule refuses rather than have them learnt as categories or dropped.
  if ((numbers > 0 && text <= MAX_TEXT_SHARE * filled) || spelledNumbers(column)) {
    if (blanks > MAX_BLANK_SHARE * n) return { dropped: `mostly blank (${blanks} of ${n})` };
    const encoding: ColumnEncoding = { kind: 'numeric', column: name, feature: name };
    const strayNote = numericTextNote(column, name, raw);
    if (strayNote === null) return { encoding, note: blankNote };
    return { encoding, note: blankNote ? `${blankNote}; ${strayNote}` : strayNote };
  }
  // Numbers with more than a tenth spreadsheet errors (#N/A): refused with the advice to export the
  // values, as scoring refuses them, rather than learnt as categories of amounts or dropped as mixed.
  if (numbersWithErrors(column)) numericTextNote(column, name, raw);
  // Codes are dropped only for a column with numbers and more distinct cells than any category count.
  const distinct = { size: codes === null ? Number.POSITIVE_INFINITY : dictionary.length };
  // Text that differs in every row is an identifier however few the rows (a table of 30 rows or fewer
  // would otherwise learn its ids as 30 categories, each seen once): no category of it recurs to learn.
  if (numbers === 0 && filled > 2 && distinct.size === filled) return { dropped: 'identifier' };
  if (distinct.size > maxCategories) {
    if (numbers > 0) {
      // Numbers beside numbers spelled another way (29,85 beside 70): refused as numbers, not dropped.
      if (column.strayText.every(isSpelledNumber)) numericTextNote(column, name, raw);
      return { dropped: `mixed: ${text} text and ${numbers} numeric cells (${strayTextShown(column, raw)})` };
    }
    if (distinct.size === filled) return { dropped: 'identifier' };
    return { dropped: `high cardinality (${distinct.size} distinct > ${maxCategories})` };
  }
  const levels = [...dictionary].sort();
  // Yes/No, True/False, Y/N... in any mix of case: one feature named after the column, 1 = yes.
  const flags = new Set(levels.map(flag));
  if (flags.size === 2 && !flags.has(-1))
    return { encoding: { kind: 'flag', column: name, feature: name }, note: blankNote };
  // Numbers beside too much text to be read as a number: categories, and said (0/1 beside text is a flag).
  const mixedNote = numbers > 0 ? categoriesNote(column, levels.length, raw) : undefined;
  const note = [blankNote, mixedNote].filter((x) => x !== undefined).join('; ') || undefined;
  if (levels.length === 2) {
    const [zero, one] = levels as [string, string];
    return { encoding: { kind: 'binary', column: name, feature: `${name}=${one}`, one, zero }, note };
  }
  return { encoding: { kind: 'oneHot', column: name, levels }, note };
}

function featureNamesOf(columns: ColumnEncoding[]): string[] {
  return columns.flatMap((c) =>
    c.kind === 'oneHot' ? c.levels.map((l) => `${c.column}=${l}`) : [c.feature],
  );
}

/** A per-code lookup applied to a column's codes; a blank cell (-1) gets `blank`. */
function byCode(
  raw: CellTable,
  name: string,
  column: CellColumn,
  perCode: Float64Array,
  blank: number,
): Float64Array {
  if (column.codes === null)
    throw new InputError(
      `${fileOf(raw)}column "${name}" has more than ${DISTINCT_CAP} distinct values; the model reads it as categories`,
    );
  const out = new Float64Array(column.n);
  const codes = column.codes;
  for (let i = 0; i < out.length; i++) out[i] = codes[i]! < 0 ? blank : perCode[codes[i]!]!;
  return out;
}

function encodeColumn(raw: CellTable, c: ColumnEncoding, column: CellColumn): Float64Array[] {
  const dictionary = column.dictionary;
  switch (c.kind) {
    case 'numeric':
      // The reader's numbers are the feature: shared, not copied.
      return [column.values];
    case 'flag':
      return [
        byCode(
          raw,
          c.column,
          column,
          Float64Array.from(dictionary, (v) => (flag(v) < 0 ? Number.NaN : flag(v))),
          Number.NaN,
        ),
      ];
    case 'binary':
      return [
        byCode(
          raw,
          c.column,
          column,
          Float64Array.from(dictionary, (v) => (v === c.one ? 1 : v === c.zero ? 0 : Number.NaN)),
          Number.NaN,
        ),
      ];
    case 'oneHot':
      return c.levels.map((level) =>
        byCode(
          raw,
          c.column,
          column,
          Float64Array.from(dictionary, (v) => (v === level ? 1 : 0)),
          0,
        ),
      );
  }
}

/** The typed cell columns of a table, building them from text columns when given those. */
function cellsOf(raw: TableInput, text: readonly (string | null | undefined)[]): CellTable {
  const isText = raw.columns.some((c) => Array.isArray(c));
  if (!isText) return raw as CellTable;
  return cellTableOf(
    raw as RawTable,
    text.filter((t): t is string => typeof t === 'string'),
  );
}

function encode(columns: ColumnEncoding[], raw: CellTable, at: Map<string, number>): FeatureMatrix {
  const missing = columns.map((c) => c.column).filter((name) => !at.has(name));
  if (missing.length > 0) {
    // The model is fine; the table given to it is not: an input problem (exit 3).
    throw new InputError(
      `${fileOf(raw)}the table lacks column${missing.length > 1 ? 's' : ''} the model was trained on: ${missing.map((m) => `"${m}"`).join(', ')}; ${describeColumns(raw.names)}`,
    );
  }
  return {
    nRows: raw.rowCount,
    names: featureNamesOf(columns),
    columns: columns.flatMap((c) => encodeColumn(raw, c, raw.columns[at.get(c.column)!]!)),
  };
}

/** A table without rows has nothing to learn from or score. */
function checkRows(raw: CellTable): void {
  if (raw.rowCount === 0) throw new InputError(`${fileOf(raw)}the table has no rows`);
  checkRepeatedHeader(raw);
}

export { fileOf } from './table-rows.js';

function readIds(raw: CellTable, at: Map<string, number>, id: string): string[] {
  const k = at.get(id);
  if (k === undefined)
    throw new InputError(`${fileOf(raw)}no id column "${id}" in the table (has: ${echoList(raw.names)})`);
  const { texts, codes, dictionary } = raw.columns[k]!;
  if (texts !== null) return [...texts];
  if (codes !== null) return Array.from(codes, (c) => (c < 0 ? '' : dictionary[c]!));
  throw new InternalError(`id column "${id}" was read without its text`);
}

/** Learns the encoding of a training table and returns its features, labels and ids. */
export function fitTableEncoding(table: TableInput, options: TableEncodingOptions): TableFit {
  const { label, id, maxCategories } = { ...DEFAULTS, ...options };
  if (!(maxCategories < DISTINCT_CAP))
    throw new UsageError(`maxCategories must be below ${DISTINCT_CAP}, got ${maxCategories}`);
  const raw = cellsOf(table, [id]);
  const at = columnIndex(raw);
  const labelAt = at.get(label);
  if (labelAt === undefined) {
    throw new InputError(
      `${fileOf(raw)}no label column "${label}" in the table (has: ${echoList(raw.names)})`,
    );
  }
  checkRows(raw);
  const { y, positive, negative } = readLabel(label, raw, raw.columns[labelAt]!);
  const ids = id === undefined ? null : readIds(raw, at, id);
  if (ids !== null) checkIds(raw, id!, ids, 'train');
  const columns: ColumnEncoding[] = [];
  const report: TableReport = { features: [], oneHot: [], dropped: [], notes: [] };
  raw.names.forEach((name, k) => {
    if (name === label || name === id) return;
    // pandas' to_csv writes its row index under an empty name: a row number, never a feature, and a
    // feature without a name could not be told apart in the model or its reasons.
    const d: Decision =
      name.trim() === ''
        ? { dropped: `no name (header column ${k + 1}; a row index, as pandas writes?)` }
        : decide(name, raw.columns[k]!, maxCategories, raw);
    if ('dropped' in d) {
      report.dropped.push({ column: name, reason: d.dropped });
      return;
    }
    columns.push(d.encoding);
    if (d.encoding.kind === 'oneHot') report.oneHot.push({ column: name, levels: d.encoding.levels });
    if (d.note) report.notes.push({ column: name, note: d.note });
  });
  if (columns.length === 0) {
    const shown = report.dropped.slice(0, 10).map((d) => `${echoBare(d.column, 40)} ${d.reason}`);
    const more = report.dropped.length - shown.length;
    const unused = shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
    const besides = id === undefined ? `label "${label}"` : `label "${label}" and the id "${id}"`;
    throw new InputError(
      `${fileOf(raw)}no column to learn from: every column besides the ${besides} is unused${unused === '' ? '' : ` (${unused})`}`,
    );
  }
  const featureNames = featureNamesOf(columns);
  const seen = new Set<string>();
  for (const f of featureNames) {
    if (seen.has(f))
      throw new InputError(`${fileOf(raw)}feature name "${f}" arises twice; rename the column "${f}"`);
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
  table: TableInput,
  options: { id?: string } = {},
): { X: FeatureMatrix; ids: string[] | null; notes: ColumnNote[] } {
  if (encoding.format !== TABLE_ENCODING_FORMAT || encoding.version !== TABLE_ENCODING_VERSION) {
    throw new ModelError(
      `table encoding is ${encoding.format} version ${encoding.version}; ` +
        `this version reads ${TABLE_ENCODING_FORMAT} version ${TABLE_ENCODING_VERSION}`,
    );
  }
  const raw = cellsOf(table, [options.id, encoding.id]);
  checkRows(raw);
  const at = columnIndex(raw);
  const X = encode(encoding.columns, raw, at);
  const notes = encoding.columns.flatMap((c) => {
    const note = unreadCellsNote(c, raw.columns[at.get(c.column)!]!, (v) => flag(v) >= 0, raw);
    return note === null ? [] : [note];
  });
  const idColumn = options.id ?? (encoding.id !== null && at.has(encoding.id) ? encoding.id : undefined);
  if (idColumn === undefined) {
    // Scores keyed by row number under the model's id name would join onto the wrong subscribers.
    if (encoding.id !== null)
      notes.push({
        column: encoding.id,
        note: `not in the table (the model's id column): its rows are numbered from 1 in a column named "row"; give --id COLUMN to key the scores by the table's own ids`,
      });
    return { X, ids: null, notes };
  }
  const ids = readIds(raw, at, idColumn);
  checkIds(raw, idColumn, ids);
  return { X, ids, notes };
}
