/**
 * Writing tables out. A table to write is a list of column specs `{ header, kind, value(i) }` over `n`
 * rows (or a Frame, whose columns become specs as they are). Specs let a caller format as it writes:
 * month index → YYYY-MM, enum index → text, NaN → blank, without building string columns first.
 *
 * CSV: RFC 4180 quoting, written in ~1 MB pieces (never one giant string), atomically. Text cells that
 * start with = + - @ tab or CR get a leading single quote so a spreadsheet shows them rather than runs
 * them, except a plain signed number (`+8613800000000`, `-2`), which runs nothing and stays as it is
 * for the machines that read the lists (a dialler wants the `+`); number columns are numbers. A text
 * cell that starts with a quote gets one more, so `csvTextValue` gives back every value exactly.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { formatDate, formatMonth } from '../calendar.js';
import { type Column, type DictColumn, type Frame, isDict } from '../frame.js';
import { writeFileAtomic } from './atomic.js';
import { CHUNK_BYTES, CsvBytes } from './write-bytes.js';

export type OutKind = 'text' | 'number';

export interface OutColumn {
  readonly header: string;
  readonly kind: OutKind;
  /** The cell at row i: a string for text, a number for numbers; null (or NaN) is blank. */
  value(i: number): string | number | null;
  /** The dictionary column `value` reads, when it reads one as stored: CSV words each entry once. */
  readonly dict?: DictColumn;
}

export interface OutTable {
  readonly n: number;
  readonly columns: readonly OutColumn[];
}

/** Ready-made column specs. */
export const out = {
  text: (header: string, value: (i: number) => string | null): OutColumn => ({ header, kind: 'text', value }),
  number: (header: string, value: (i: number) => number): OutColumn => ({ header, kind: 'number', value }),
  /** Any frame column as stored (dictionary → text, typed array → number). */
  column: (header: string, c: Column): OutColumn =>
    isDict(c) ? out.dict(header, c) : { header, kind: 'number', value: (i) => c[i]! },
  dict: (header: string, c: DictColumn): OutColumn => ({
    header,
    kind: 'text',
    value: (i) => (c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!),
    dict: c,
  }),
  month: (header: string, months: ArrayLike<number>): OutColumn => ({
    header,
    kind: 'text',
    value: (i) => (Number.isFinite(months[i]!) ? formatMonth(months[i]!) : null),
  }),
  date: (header: string, days: ArrayLike<number>): OutColumn => ({
    header,
    kind: 'text',
    value: (i) => (Number.isFinite(days[i]!) ? formatDate(days[i]!) : null),
  }),
  enumOf: (header: string, codes: ArrayLike<number>, values: readonly string[]): OutColumn => ({
    header,
    kind: 'text',
    value: (i) => values[codes[i]!] ?? null,
  }),
};

/** A frame as specs, one per column, headed by the column name. */
export function frameColumns(frame: Frame): OutTable {
  return { n: frame.n, columns: Object.entries(frame.cols).map(([name, c]) => out.column(name, c)) };
}

export function toOutTable(data: Frame | OutTable): OutTable {
  return 'columns' in data ? data : frameColumns(data);
}

const SIGNED_NUMBER = /^[+-]\d+(\.\d+)?$/;
const COMMA = 44;
const NEWLINE = 10;

/** A text cell made safe for spreadsheets and quoted per RFC 4180 when needed. */
export function csvTextCell(s: string): string {
  const c = s.charCodeAt(0);
  // = + - @ TAB CR start a formula in spreadsheet programs; a quote is doubled to keep the inverse exact.
  const formula = c === 61 || c === 64 || c === 9 || c === 13 || c === 39;
  const signed = (c === 43 || c === 45) && !SIGNED_NUMBER.test(s);
  const t = formula || signed ? `'${s}` : s;
  for (let i = 0; i < t.length; i++) {
    const d = t.charCodeAt(i);
    if (d === 44 || d === 34 || d === 10 || d === 13) return `"${t.replaceAll('"', '""')}"`;
  }
  return t;
}

/** The value a text cell of retain's own CSV output was written from: csvTextCell's quote taken off. */
export function csvTextValue(cell: string): string {
  return cell.charCodeAt(0) === 39 ? cell.slice(1) : cell;
}

export interface CsvWriteOptions {
  /** A UTF-8 byte order mark first, so spreadsheet programs read non-ASCII text correctly. */
  bom?: boolean;
}

/** Writes a table as CSV to `path` atomically. */
export async function writeCsv(
  data: Frame | OutTable,
  path: string,
  options: CsvWriteOptions = {},
): Promise<void> {
  const table = toOutTable(data);
  await writeFileAtomic(path, async (tmp) => {
    const stream = createWriteStream(tmp);
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    // A write error (a full disk) may reject `done` while a write is awaited; that await throws it,
    // so `done` is left unawaited and must not become an unhandled rejection that kills the process.
    done.catch(() => {});
    // events.once removes its listeners when either 'drain' or 'error' comes, so none pile up.
    const put = async (b: Buffer): Promise<void> => {
      if (!stream.write(b)) await once(stream, 'drain');
    };
    const cols = table.columns;
    // A dictionary column's cells as bytes, each made when first met rather than once per row.
    const cells = cols.map((c) => (c.dict ? new Array<Buffer | undefined>(c.dict.dictionary.length) : null));
    const out = new CsvBytes();
    out.text((options.bom ? '\uFEFF' : '') + cols.map((c) => csvTextCell(c.header)).join(','));
    out.byte(NEWLINE);
    for (let i = 0; i < table.n; i++) {
      for (let k = 0; k < cols.length; k++) {
        if (k > 0) out.byte(COMMA);
        const worded = cells[k];
        if (worded) {
          const { codes, dictionary } = cols[k]!.dict!;
          const code = codes[i]!;
          if (code < 0) continue;
          let cell = worded[code];
          if (cell === undefined) {
            cell = Buffer.from(csvTextCell(dictionary[code]!), 'utf8');
            worded[code] = cell;
          }
          out.bytes(cell);
          continue;
        }
        const col = cols[k]!;
        const v = col.value(i);
        if (v === null) continue;
        if (typeof v === 'number') out.number(v);
        else if (v !== '') out.text(col.kind === 'number' ? v : csvTextCell(v));
      }
      out.byte(NEWLINE);
      if (out.length >= CHUNK_BYTES) await put(out.take());
    }
    await put(out.take());
    stream.end();
    await done;
  });
}
