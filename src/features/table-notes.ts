/**
 * What scoring a table could not read as the model was trained to: numeric cells holding text, and
 * category cells holding a value training never saw. Such cells are scored as missing (or as none of
 * the levels), so each column with any is named, with its count and a few of the values, each with
 * the line (CSV) or row (Arrow, Parquet) it is first seen on.
 */
import { echo } from '../echo.js';
import type { CellColumn } from '../io/cell-columns.js';
import { placeOfRow, type RowPlaces } from '../io/row-places.js';

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

/**
 * How many filled cells of a numeric column are text, and the first ones seen with their places
 * (`places` of the table read; without them, rows from 1); null when none.
 */
export function strayTextNote(column: CellColumn, places?: RowPlaces): string | null {
  const text = column.n - column.blanks - column.numbers;
  if (text === 0) return null;
  const shown = column.strayText.map((v, k) => valueAt(v, column.strayRows[k]!, places)).join(', ');
  return `${text} text cell${text > 1 ? 's' : ''} (${shown}) read as missing`;
}

/**
 * The note for one encoded column of a scored table, or null when every filled cell was read.
 * `isFlag` says whether a value is in the yes/no vocabulary a flag column reads.
 */
export function unreadCellsNote(
  encoding: Encoded,
  column: CellColumn,
  isFlag: (value: string) => boolean,
  places?: RowPlaces,
): ColumnNote | null {
  const name = encoding.column;
  if (encoding.kind === 'numeric') {
    const note = strayTextNote(column, places);
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
    .map((k) => valueAt(dictionary[k]!, firstRow[k]!, places))
    .join(', ');
  const more = codesShown.length > SHOWN_VALUES ? ` and ${codesShown.length - SHOWN_VALUES} more` : '';
  return {
    column: name,
    note: `${count} cell${count > 1 ? 's' : ''} hold${count > 1 ? '' : 's'} a value training never saw (${shown}${more}), read as missing`,
  };
}
