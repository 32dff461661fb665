/**
 * What scoring a table could not read as the model was trained to: numeric cells holding text, and
 * category cells holding a value training never saw. Such cells are scored as missing (or as none of
 * the levels), so each column with any is named, with its count and a few of the values.
 */
import { echo } from '../echo.js';
import type { CellColumn } from '../io/cell-columns.js';

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

/** How many filled cells of a numeric column are text, and the first ones seen; null when none. */
export function strayTextNote(column: CellColumn): string | null {
  const text = column.n - column.blanks - column.numbers;
  if (text === 0) return null;
  return `${text} text cells (${column.strayText.map((v) => echo(v, 60)).join(', ')}) read as missing`;
}

/**
 * The note for one encoded column of a scored table, or null when every filled cell was read.
 * `isFlag` says whether a value is in the yes/no vocabulary a flag column reads.
 */
export function unreadCellsNote(
  encoding: Encoded,
  column: CellColumn,
  isFlag: (value: string) => boolean,
): ColumnNote | null {
  const name = encoding.column;
  if (encoding.kind === 'numeric') {
    const note = strayTextNote(column);
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
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0 && unseen[c] === 1) count++;
  }
  if (count === 0) return null;
  const values = dictionary.filter((_, k) => unseen[k] === 1);
  const shown = values
    .slice(0, SHOWN_VALUES)
    .map((v) => echo(v, 60))
    .join(', ');
  const more = values.length > SHOWN_VALUES ? ` and ${values.length - SHOWN_VALUES} more` : '';
  return {
    column: name,
    note: `${count} cell${count > 1 ? 's' : ''} hold${count > 1 ? '' : 's'} a value training never saw (${shown}${more}), read as missing`,
  };
}
