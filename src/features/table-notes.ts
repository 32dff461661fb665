/**
 * What a table's reading could not take as numbers or as the categories training saw: numeric cells
 * holding text, and category cells holding a value training never saw. Such cells are read as missing
 * (or as none of the levels), so each column with any is named, with its count and a few of the
 * values, each with the line (CSV) or row (Arrow, Parquet) it is first seen on. A numeric column in
 * which not one cell reads as a number is refused instead (`numericTextNote`).
 */
import { echo } from '../echo.js';
import { InputError } from '../errors.js';
import type { CellColumn } from '../io/cell-columns.js';
import { placeOfRow, type RowPlaces } from '../io/row-places.js';
import { fileOf } from './table-rows.js';

export interface ColumnNote {
  readonly column: string;
  readonly note: string;
}

/** How a column was encoded in training (table.ts's ColumnEncoding, as far as reading it needs). */
type Encoded =
  | { readonly kind: 'numeric'; readonly column: string }
  | { readonly kind: 'flag'; readonly column: string }
  | { readonly kind: 'binary'; readonly column: string; readonly one: string; readonly zero: string }
  | { readonly kind: 'oneHot'; readonly column: string; readonly levels: readonly string[] };

const SHOWN_VALUES = 3;

/** A value shown in a note, with where it is first seen: `"n/a" on line 19`. */
function valueAt(value: string, row: number, places: RowPlaces | undefined): string {
  return `${echo(value, 60)} on ${places?.word ?? 'row'} ${placeOfRow(places, row)}`;
}

/** The file a column was read from and where its rows sit in it, for messages (a CellTable is one). */
export interface CellsFrom {
  readonly path?: string | undefined;
  readonly places?: RowPlaces | undefined;
}

/** What a numeric column's cells must look like, said when one holds none. */
const PLAIN_NUMBERS =
  'plain numbers such as 1234.5, -0.25 or 1.5e3 (a point before any decimals; no thousands separator, currency sign, percent sign or unit)';
/** What to do about a numeric column whose text is spreadsheet errors (#N/A) instead. */
const UNEVALUATED =
  'the spreadsheet could not compute them: export the column with its values (fix the formula, or paste as values)';

/**
 * A number as exports spell it that the reader does not take as one: a decimal comma (12,5), digits
 * in groups of three under one separator (1,234.50; 1.234,50; 1 234), a currency sign or code before
 * or after ($12.50, 12,50 €, EUR 12), a percent sign, a Unicode minus or accounting parentheses.
 * Dates (01.08.2025), versions (1.2.3), times, units (12 GB) and codes (5G-299) are not.
 */
const SPELLED_NUMBER =
  /^[-+\u2212(]?\s*(?:[$¢£¥€₹₩₽]|(?:USD|EUR|GBP|CNY|RMB|JPY|INR|CHF)\s?)?\s*(?:\d{1,3}(?<sep>[,.'\u00a0\u202f ])\d{3}(?:\k<sep>\d{3})*|\d+)(?:[.,]\d+)?\s*(?:[$¢£¥€₹₩₽%]|USD|EUR|GBP|CNY|RMB|JPY|INR|CHF)?\)?$/u;

/** Whether a trimmed cell that is not a plain number is one spelled another way (12,5; $12.50). */
export function isSpelledNumber(cell: string): boolean {
  return SPELLED_NUMBER.test(cell);
}

/**
 * Whether a column holds numbers, every one spelled as the reader does not take them: no cell reads
 * as a number and every filled one is a number spelled another way. Decided from the dictionary of
 * distinct cells, complete in a column without numbers.
 */
export function spelledNumbers(column: CellColumn): boolean {
  return (
    column.numbers === 0 &&
    column.codes !== null &&
    column.dictionary.length > 0 &&
    column.dictionary.every(isSpelledNumber)
  );
}

/** The error values a spreadsheet writes into a cell it could not compute (Excel, LibreOffice, Sheets). */
const SPREADSHEET_ERROR =
  /^#(?:N\/A|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|ERROR!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|PYTHON!|GETTING_DATA)$/i;

/**
 * Whether every filled cell of a column is a spreadsheet's error value (#N/A, #DIV/0!): a formula
 * column exported unevaluated, which holds no value to learn, not two categories.
 */
export function spreadsheetErrors(column: CellColumn): boolean {
  return (
    column.numbers === 0 &&
    column.codes !== null &&
    column.dictionary.length > 0 &&
    column.dictionary.every((cell) => SPREADSHEET_ERROR.test(cell))
  );
}

/**
 * Whether the text among a column's numbers (the first cells kept) is spreadsheet errors: numbers a
 * formula failed to compute, which are neither categories nor numbers spelled another way.
 */
export function numbersWithErrors(column: CellColumn): boolean {
  return column.numbers > 0 && strayErrors(column);
}

/** Whether the first text cells a column kept are all spreadsheet errors (and there are some). */
function strayErrors(column: CellColumn): boolean {
  return column.strayText.length > 0 && column.strayText.every((cell) => SPREADSHEET_ERROR.test(cell));
}

/**
 * Most share of a numeric column's filled cells that may be text, read as missing with a warning.
 * Above it a decimal-comma or currency export (29,85 beside 70) would be scored or trained with most
 * of the column missing: it is refused, as a column with no number is.
 */
export const MAX_TEXT_SHARE = 0.1;

/**
 * The one rule for text in a numeric column, training and scoring alike. Blank cells are missing
 * data. A few text cells are read as missing too, and said: the note returned (null when there are
 * none). A column with filled cells not one of which reads as a number holds numbers spelled as
 * retain does not read them (12,5; $12.50) or no numbers at all: read as missing, the whole column
 * would be lost, so it is refused (InputError), naming the file, the column and its first values with
 * their lines or rows; so is a column more than MAX_TEXT_SHARE of whose filled cells are text. A column
 * of blanks only is missing data, not refused.
 */
export function numericTextNote(column: CellColumn, name: string, from: CellsFrom = {}): string | null {
  const filled = column.n - column.blanks;
  const text = filled - column.numbers;
  if (text === 0) return null;
  const shown = strayTextShown(column, from);
  // Spreadsheet errors are values a formula failed to compute, not numbers spelled another way: the
  // advice is to export the values, not to respell them.
  const errors = strayErrors(column);
  const expected = errors ? UNEVALUATED : `expected ${PLAIN_NUMBERS}`;
  if (column.numbers === 0) {
    const kind = errors ? 'spreadsheet errors' : 'text';
    const cells = text > 1 ? `all ${text} filled cells are ${kind}` : `its one filled cell is ${kind}`;
    throw new InputError(`${fileOf(from)}column "${name}" holds no number: ${cells} (${shown}); ${expected}`);
  }
  if (text > MAX_TEXT_SHARE * filled)
    throw new InputError(
      `${fileOf(from)}column "${name}" is not numbers throughout: ${text} of its ${filled} filled cells are text (${shown}), more than ${MAX_TEXT_SHARE * 100}%; ${expected}`,
    );
  return `${text} text cell${text > 1 ? 's' : ''} (${shown}) read as missing`;
}

/**
 * The note for a column of numbers and text, more than MAX_TEXT_SHARE of it text, and few enough
 * distinct values to be learnt as categories: said, since each number is then a category of its own,
 * and a number training never saw is scored as missing.
 */
export function categoriesNote(column: CellColumn, categories: number, from: CellsFrom = {}): string {
  const text = column.n - column.blanks - column.numbers;
  return `learnt as ${categories} categories, not as a number: ${text} of its ${column.n - column.blanks} filled cells are text (${strayTextShown(column, from)}), more than ${MAX_TEXT_SHARE * 100}%`;
}

/** The first text cells of a column of numbers, with their lines or rows: `"#N/A" on line 4, …`. */
export function strayTextShown(column: CellColumn, from: CellsFrom = {}): string {
  return column.strayText.map((v, k) => valueAt(v, column.strayRows[k]!, from.places)).join(', ');
}

/** The values an encoded text column reads, for a message. */
function knownValues(encoding: Exclude<Encoded, { kind: 'numeric' }>): string {
  if (encoding.kind === 'flag') return 'a yes/no value such as Yes/No, True/False, 1/0 or Y/N';
  if (encoding.kind === 'binary') return `${echo(encoding.one, 60)} or ${echo(encoding.zero, 60)}`;
  const levels = encoding.levels.slice(0, 10).map((v) => echo(v, 60));
  const more = encoding.levels.length > 10 ? ` and ${encoding.levels.length - 10} more` : '';
  return `one of ${levels.join(', ')}${more}`;
}

/**
 * The note for one encoded column of a scored table, or null when every filled cell was read.
 * `isFlag` says whether a value is in the yes/no vocabulary a flag column reads. A text column none of
 * whose filled cells holds a value training saw is refused (InputError), naming them and the values
 * expected; a numeric column by numericTextNote's rule.
 */
export function unreadCellsNote(
  encoding: Encoded,
  column: CellColumn,
  isFlag: (value: string) => boolean,
  from: CellsFrom = {},
): ColumnNote | null {
  const name = encoding.column;
  if (encoding.kind === 'numeric') {
    const note = numericTextNote(column, name, from);
    return note === null ? null : { column: name, note };
  }
  const { codes, dictionary } = column;
  if (codes === null) return null;
  const known =
    encoding.kind === 'flag'
      ? isFlag
      : encoding.kind === 'binary'
        ? (v: string) => v === encoding.one || v === encoding.zero
        : (
            (levels) => (v: string) =>
              levels.has(v)
          )(new Set(encoding.levels));
  const unseen = Uint8Array.from(dictionary, (v) => (known(v) ? 0 : 1));
  if (!unseen.includes(1)) return null;
  let count = 0;
  const firstRow = new Int32Array(dictionary.length).fill(-1);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0 || unseen[c] !== 1) continue;
    count++;
    if (firstRow[c] === -1) firstRow[c] = i;
  }
  if (count === 0) return null;
  // Dictionary entries are in first-seen order, so the values shown are the first the file holds.
  const codesShown = dictionary.flatMap((_, k) => (firstRow[k] === -1 ? [] : [k]));
  const shown = codesShown
    .slice(0, SHOWN_VALUES)
    .map((k) => valueAt(dictionary[k]!, firstRow[k]!, from.places))
    .join(', ');
  const more = codesShown.length > SHOWN_VALUES ? ` and ${codesShown.length - SHOWN_VALUES} more` : '';
  // Not one value the model knows (a column recoded or renamed since training): read as missing, the
  // whole column would be lost, as a numeric column without a number would.
  if (count === column.n - column.blanks)
    throw new InputError(
      `${fileOf(from)}column "${name}" holds no value training saw: ${shown}${more}; expected ${knownValues(encoding)}`,
    );
  return {
    column: name,
    note: `${count} cell${count > 1 ? 's' : ''} hold${count > 1 ? '' : 's'} a value training never saw (${shown}${more}), read as missing`,
  };
}
