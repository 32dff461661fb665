/**
 * Rows of a wide table named in messages by where they sit in the file (CSV line or Arrow/Parquet
 * row), and the check that a table's subscriber ids are filled and each appears once.
 */
import { echo } from '../echo.js';
import { InputError } from '../errors.js';
import { type CellColumn, type CellTable, cellText } from '../io/cell-columns.js';
import { placeOfRow } from '../io/row-places.js';

/** `<file>: ` to start a message about a table's content, when it came from a file. */
export function fileOf(raw: { readonly path?: string | undefined }): string {
  return raw.path === undefined ? '' : `${raw.path}: `;
}

/** Rows shown in a message: the first few, and how many there are. */
export const SHOWN_ROWS = 5;
/** Duplicate ids shown in a message. */
const SHOWN_IDS = 5;

/** The first rows (from 0) of `count` as their file's lines (CSV) or rows: "lines 3, 4 and 2 more". */
export function listRows(raw: CellTable, rows: readonly number[], count: number): string {
  const word = raw.places?.word ?? 'row';
  const shown = rows
    .slice(0, SHOWN_ROWS)
    .map((row) => placeOfRow(raw.places, row))
    .join(', ');
  return `${word}${count > 1 ? 's' : ''} ${count > SHOWN_ROWS ? `${shown} and ${count - SHOWN_ROWS} more` : shown}`;
}

/** Rows (from 0) whose cell of `column` is `text`: by its code, its kept text, or its first stray row. */
function rowsHolding(column: CellColumn, text: string): number[] {
  const rows: number[] = [];
  if (column.texts !== null) {
    column.texts.forEach((t, i) => {
      if (t === text) rows.push(i);
    });
  } else if (column.codes !== null) {
    const code = column.dictionary.indexOf(text);
    if (code >= 0) for (let i = 0; i < column.codes.length; i++) if (column.codes[i] === code) rows.push(i);
  } else {
    // A column of numbers past the distinct cap keeps its first text cells only.
    const k = column.strayText.indexOf(text);
    if (k >= 0) rows.push(column.strayRows[k]!);
  }
  return rows;
}

/** Whether cell `row` of `column` is `text` (a column kept as numbers only: a text cell it saw there). */
function holds(column: CellColumn, row: number, text: string): boolean {
  if (column.texts !== null || column.codes !== null) return cellText(column, row) === text;
  return Number.isNaN(column.values[row]!) && column.strayText.includes(text);
}

/**
 * Refuses a table with its header line again among its rows (two exports joined with `cat`): read as
 * a row, it would be a subscriber named after the id column, scored or learnt from.
 */
export function checkRepeatedHeader(raw: CellTable): void {
  const { names, columns } = raw;
  if (names.length === 0 || columns.length !== names.length) return;
  const repeats = rowsHolding(columns[0]!, names[0]!).filter((row) =>
    names.every((name, k) => holds(columns[k]!, row, name)),
  );
  if (repeats.length === 0) return;
  const file = fileOf(raw);
  throw new InputError(
    `${file}the header repeats on ${listRows(raw, repeats, repeats.length)} (files joined together?); ` +
      'keep the header on the first line only',
  );
}

/** FNV-1a over UTF-16 code units. */
function hash(v: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The ids that appear more than once, each with its rows (from 0). Ids are hashed and the hashes
 * sorted, so only ids sharing a hash are kept in a map: no map of every id of a ten-million-row table.
 */
function duplicates(ids: readonly string[]): Map<string, number[]> {
  const hashes = Uint32Array.from(ids, hash);
  const sorted = hashes.slice().sort();
  const shared = new Set<number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) shared.add(sorted[i]!);
  const rows = new Map<string, number[]>();
  if (shared.size === 0) return rows;
  ids.forEach((id, i) => {
    if (id === '' || !shared.has(hashes[i]!)) return;
    const seen = rows.get(id);
    if (seen) seen.push(i);
    else rows.set(id, [i]);
  });
  for (const [id, at] of rows) if (at.length < 2) rows.delete(id);
  return rows;
}

/** What one subscriber on two rows would do, by what the table is read for. */
const TWICE = {
  score: 'or the subscriber would be called twice',
  train: 'or the subscriber would weigh twice in the model and could be validated on a row it was trained on',
} as const;

/**
 * A table's subscriber ids: a blank id names nobody, and two rows of one id are one subscriber twice
 * (on the call list when scoring, in the model when training); either is refused naming the lines.
 */
export function checkIds(
  raw: CellTable,
  column: string,
  ids: readonly string[],
  use: keyof typeof TWICE = 'score',
): void {
  const file = fileOf(raw);
  const blank: number[] = [];
  let blanks = 0;
  ids.forEach((id, i) => {
    if (id !== '') return;
    if (blanks++ < SHOWN_ROWS) blank.push(i);
  });
  if (blanks > 0)
    throw new InputError(
      `${file}id column "${column}" is blank on ${listRows(raw, blank, blanks)}; every row needs its subscriber id`,
    );
  const twice = [...duplicates(ids)];
  if (twice.length === 0) return;
  const shown = twice
    .slice(0, SHOWN_IDS)
    .map(([id, rows]) => `${echo(id, 60)} (${listRows(raw, rows, rows.length)})`)
    .join(', ');
  const more = twice.length > SHOWN_IDS ? ` and ${twice.length - SHOWN_IDS} more` : '';
  throw new InputError(
    `${file}id column "${column}" repeats ${twice.length} id${twice.length > 1 ? 's' : ''}: ${shown}${more}; ` +
      `one row per subscriber, ${TWICE[use]}`,
  );
}
