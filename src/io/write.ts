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
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { formatDate, formatMonth } from '../calendar.js';
import { type Column, type DictColumn, type Frame, isDict, type NumericColumn } from '../frame.js';
import { writeFileAtomic } from './atomic.js';
import { mappingWriteFailures } from './fs-errors.js';
import { CHUNK_BYTES, CsvBytes } from './write-bytes.js';
import { CellCache, type CellSource, type CellWriter, cellWriter, csvTextCell } from './write-cells.js';
import type { LeadCells, RowKeeper } from './write-rows.js';

export { csvTextCell, csvTextValue } from './write-cells.js';

export type OutKind = 'text' | 'number';

export interface OutColumn {
  readonly header: string;
  readonly kind: OutKind;
  /** The cell at row i: a string for text, a number for numbers; null (or NaN) is blank. */
  value(i: number): string | number | null;
  /** What `value` reads, when CSV can read it directly (write-cells.ts): it gives the same cells. */
  readonly source?: CellSource;
}

export interface OutTable {
  readonly n: number;
  readonly columns: readonly OutColumn[];
  /** Leading columns repeated from another table of the set being written (write-rows.ts). */
  readonly lead?: LeadCells;
}

/** Ready-made column specs. */
export const out = {
  text: (header: string, value: (i: number) => string | null): OutColumn => ({ header, kind: 'text', value }),
  number: (header: string, value: (i: number) => number): OutColumn => ({ header, kind: 'number', value }),
  /** Any frame column as stored (dictionary → text, typed array → number). */
  column: (header: string, c: Column): OutColumn =>
    isDict(c) ? out.dict(header, c) : out.numbers(header, c),
  dict: (header: string, c: DictColumn): OutColumn => ({
    header,
    kind: 'text',
    value: (i) => (c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!),
    source: { kind: 'dict', column: c },
  }),
  /** Numbers as stored, or rounded to `decimals` places (`Math.round(v · 10^d) / 10^d`). */
  numbers: (header: string, c: NumericColumn, decimals?: number): OutColumn => {
    const source: CellSource =
      decimals === undefined ? { kind: 'numbers', values: c } : { kind: 'numbers', values: c, decimals };
    if (decimals === undefined) return { header, kind: 'number', value: (i) => c[i]!, source };
    const scale = 10 ** decimals;
    return { header, kind: 'number', value: (i) => Math.round(c[i]! * scale) / scale, source };
  },
  month: (header: string, months: ArrayLike<number>): OutColumn => repeated(header, months, formatMonth),
  date: (header: string, days: ArrayLike<number>): OutColumn => repeated(header, days, formatDate),
  enumOf: (header: string, codes: ArrayLike<number>, values: readonly string[]): OutColumn => ({
    header,
    kind: 'text',
    value: (i) => values[codes[i]!] ?? null,
  }),
};

/** A text column of values that repeat (months, days): blank where not finite, each value formatted once. */
function repeated(header: string, values: ArrayLike<number>, text: (v: number) => string): OutColumn {
  const format = (v: number): string | null => (Number.isFinite(v) ? text(v) : null);
  return {
    header,
    kind: 'text',
    value: (i) => format(values[i]!),
    source: { kind: 'repeated', values, format },
  };
}

/** A frame as specs, one per column, headed by the column name. */
export function frameColumns(frame: Frame): OutTable {
  return { n: frame.n, columns: Object.entries(frame.cols).map(([name, c]) => out.column(name, c)) };
}

export function toOutTable(data: Frame | OutTable): OutTable {
  return 'columns' in data ? data : frameColumns(data);
}

const COMMA = 44;
const NEWLINE = 10;

export interface CsvWriteOptions {
  /** A UTF-8 byte order mark first, so spreadsheet programs read non-ASCII text correctly. */
  bom?: boolean;
  /** Dictionary cells shared with the other files of a set (newCellCache); default this file's own. */
  cells?: CellCache;
}

/** A cache of dictionary cells for files written together: each dictionary entry is encoded once. */
export const newCellCache = (): CellCache => new CellCache();

/** Cells [from, to) of row i, comma-separated. */
function cells(writers: readonly CellWriter[], out: CsvBytes, i: number, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    if (k > from) out.byte(COMMA);
    writers[k]!(out, i);
  }
}

/** What was written: the file's size and SHA-256, taken from the bytes as they were written. */
export interface CsvWritten {
  readonly bytes: number;
  readonly sha256: string;
}

/** Writes a table as CSV to `path` atomically. */
export async function writeCsv(
  data: Frame | OutTable,
  path: string,
  options: CsvWriteOptions = {},
): Promise<CsvWritten> {
  let written: CsvWritten | undefined;
  await writeFileAtomic(path, async (tmp) => {
    // Room for a few chunks, so the next one is made while the last is written.
    const stream = createWriteStream(tmp, { highWaterMark: 4 * CHUNK_BYTES });
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    // A write error (a full disk) may reject `done` while a write is awaited; that await throws it,
    // so `done` is left unawaited and must not become an unhandled rejection that kills the process.
    done.catch(() => {});
    // events.once removes its listeners when either 'drain' or 'error' comes, so none pile up.
    written = await csvChunks(toOutTable(data), options, async (b) => {
      if (!stream.write(b)) await once(stream, 'drain');
    });
    stream.end();
    await done;
  });
  return written!;
}

/**
 * Writes a table as CSV to a stream that is not a file of retain's (standard output), chunk by chunk,
 * each written before the next is made. A pipe whose reader is gone (EPIPE) ends it as a
 * ClosedOutputError, any other failed write as an InputError naming `target` (fs-errors.ts); the
 * stream keeps a listener for the error event that follows the failed write, so that event cannot
 * end the process.
 */
export async function writeCsvTo(
  stream: NodeJS.WritableStream,
  target: string,
  data: Frame | OutTable,
  options: CsvWriteOptions = {},
): Promise<CsvWritten> {
  let failed: Error | null = null;
  stream.on('error', (err: Error) => {
    failed ??= err;
  });
  return mappingWriteFailures(target, () =>
    csvChunks(
      toOutTable(data),
      options,
      (b) =>
        new Promise<void>((resolve, reject) => {
          if (failed) reject(failed);
          else stream.write(b, (err?: Error | null) => (err ? reject(err) : resolve()));
        }),
    ),
  );
}

/** A table's CSV bytes in ~1 MB chunks, each handed to `put` (and awaited), with their size and hash. */
async function csvChunks(
  table: OutTable,
  options: CsvWriteOptions,
  write: (b: Buffer) => Promise<void>,
): Promise<CsvWritten> {
  const hash = createHash('sha256');
  let bytes = 0;
  const put = async (b: Buffer, keeper: RowKeeper | null): Promise<void> => {
    keeper?.written(b);
    hash.update(b);
    bytes += b.length;
    await write(b);
  };
  const cols = table.columns;
  const cache = options.cells ?? newCellCache();
  const writers = cols.map((c) => cellWriter(c, cache));
  const out = new CsvBytes();
  out.text((options.bom ? '\uFEFF' : '') + cols.map((c) => csvTextCell(c.header)).join(','));
  out.byte(NEWLINE);
  const lead = table.lead && table.lead.columns > 0 ? table.lead : null;
  const kept = lead ? cache.rows.of(lead) : null;
  const keeper = kept ? kept.keeper() : null;
  const leading = lead ? Math.min(lead.columns, writers.length) : 0;
  for (let i = 0; i < table.n; i++) {
    if (kept) {
      // The leading cells as another file of the set made them, or made here and noted for the others.
      const row = lead!.rows ? lead!.rows[i]! : i;
      if (!kept.copy(out, row)) {
        const from = out.length;
        cells(writers, out, i, 0, leading);
        keeper?.keep(row, from, out.length);
      }
      if (leading < writers.length) {
        out.byte(COMMA);
        cells(writers, out, i, leading, writers.length);
      }
    } else cells(writers, out, i, 0, writers.length);
    out.byte(NEWLINE);
    if (out.length >= CHUNK_BYTES) await put(out.take(), keeper);
  }
  await put(out.take(), keeper);
  return { bytes, sha256: hash.digest('hex') };
}
