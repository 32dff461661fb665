/**
 * Quoted CSV text through papaparse's documented `Papa.parse`. A chunk of a file ends inside a
 * record: only the text up to its last line end is parsed, and when a quoted field is still open
 * there (a record with line breaks that goes on in the next chunk), the text is parsed again with a
 * `step` callback, whose per-record cursor tells where the complete records end. The step callback
 * costs about 15% more CPU per record, so it is kept for those chunks.
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

type Newline = '\n' | '\r\n';

const config = (newline: Newline) => ({ delimiter: ',', newline, quoteChar: '"' });

/**
 * Parses `text` with `newline` as the line end. Unless `final`, the last record is left unread: it
 * may go on in the next chunk.
 */
export function parseRows(text: string, newline: Newline, final: boolean): ParsedRows {
  if (final) {
    const { data, errors } = Papa.parse<string[]>(text, config(newline));
    const bad = errors.length > 0 ? new Set(errors.map((e) => e.row ?? -1)) : null;
    return { rows: data, bad, cursor: text.length, unclosed: errors.some((e) => e.code === 'MissingQuotes') };
  }
  const end = text.lastIndexOf(newline);
  if (end < 0) return { rows: [], bad: null, cursor: 0, unclosed: false };
  const cursor = end + newline.length;
  const { data, errors } = Papa.parse<string[]>(text.slice(0, cursor), config(newline));
  // Papa ends with the record after the last line end: empty, unless a quoted field is still open.
  const last = data.length - 1;
  const closed = last >= 0 && data[last]!.length === 1 && data[last]![0] === '';
  if (!closed || errors.some((e) => (e.row ?? -1) >= last)) return parseStepwise(text, newline);
  data.length = last;
  return {
    rows: data,
    bad: errors.length > 0 ? new Set(errors.map((e) => e.row ?? -1)) : null,
    cursor,
    unclosed: false,
  };
}

/** The complete records of `text` one by one, each with the offset where it ends. */
function parseStepwise(text: string, newline: Newline): ParsedRows {
  const rows: string[][] = [];
  const ends: number[] = [];
  const bad: number[] = [];
  Papa.parse<string[]>(text, {
    ...config(newline),
    step(result) {
      if (result.errors.length > 0) bad.push(rows.length);
      rows.push(result.data);
      ends.push(result.meta.cursor);
    },
  });
  // Papa always ends with the record that runs to the end of the text: it may go on.
  const kept = Math.max(0, rows.length - 1);
  rows.length = kept;
  const badKept = bad.filter((r) => r < kept);
  return {
    rows,
    bad: badKept.length > 0 ? new Set(badKept) : null,
    cursor: kept > 0 ? ends[kept - 1]! : 0,
    unclosed: false,
  };
}
