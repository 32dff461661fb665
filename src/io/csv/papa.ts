/**
 * Quoted CSV text through papaparse's documented `Papa.parse` with a `step` callback: each record
 * comes with its errors and the offset where it ends, so the records complete in a chunk can be told
 * from the rest that continues in the next one.
 */
import Papa from 'papaparse';

export interface ParsedRows {
  readonly rows: string[][];
  /** Indexes in `rows` of the records papaparse found malformed for their quotes. */
  readonly bad: ReadonlySet<number> | null;
  /** Where the unread rest of the text starts (the text's length when `final`). */
  readonly cursor: number;
  /** The last record opens a quoted field that the text never closes (only when `final`). */
  readonly unclosed: boolean;
}

/**
 * Parses `text` with `newline` as the line end. Unless `final`, the last record is left unread: it
 * may go on in the next chunk (papaparse always ends its records with one that runs to the end of
 * the text, empty after a final line end).
 */
export function parseRows(text: string, newline: '\n' | '\r\n', final: boolean): ParsedRows {
  const rows: string[][] = [];
  const ends: number[] = [];
  const errorRows: number[] = [];
  let unclosed = false;
  Papa.parse<string[]>(text, {
    delimiter: ',',
    newline,
    quoteChar: '"',
    step(result) {
      if (result.errors.length > 0) {
        errorRows.push(rows.length);
        if (result.errors.some((e) => e.code === 'MissingQuotes')) unclosed = true;
      }
      rows.push(result.data);
      ends.push(result.meta.cursor);
    },
  });
  if (final)
    return { rows, bad: errorRows.length > 0 ? new Set(errorRows) : null, cursor: text.length, unclosed };
  const kept = Math.max(0, rows.length - 1);
  rows.length = kept;
  const bad = errorRows.filter((r) => r < kept);
  return {
    rows,
    bad: bad.length > 0 ? new Set(bad) : null,
    cursor: kept > 0 ? ends[kept - 1]! : 0,
    unclosed: false,
  };
}
