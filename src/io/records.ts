/**
 * One record interface over CSV, Arrow IPC and Parquet: a header, then each record as text fields
 * with its line (CSV: file line, header = 1; Arrow and Parquet: record number, "row N"). Arrow and
 * Parquet values are turned into the same canonical text as CSV (dates as YYYY-MM-DD, nulls as
 * blank), so all share one validation.
 */
import { echo, echoBare } from '../echo.js';
import { InputError } from '../errors.js';
import { type CsvRead, readCsvRecords } from './csv.js';
import { type OnReadProgress, openInput } from './open.js';
import { type CsvPart, partBytes, UnsplittableFile } from './parts.js';
import type { RecordHandler } from './record-handler.js';
import type { FileFormat } from './types.js';
import { hasInvalidUtf8 } from './utf8.js';

export type { RecordHandler, TemporalHint } from './record-handler.js';

/** Thrown by a handler to stop reading early (e.g. after the header); readRecords then returns normally. */
export class StopReading extends Error {}

export interface RecordsRead extends CsvRead {
  format: FileFormat;
  gzip: boolean;
}

/**
 * Reads every record of a CSV or Arrow file into `handler`; with `part`, only that part of a plain
 * CSV file (its header line, then its range; see parts.ts), numbering the range's first line 2.
 */
export async function readRecords(
  path: string,
  reader: RecordHandler,
  onProgress?: OnReadProgress,
  part?: CsvPart,
): Promise<RecordsRead> {
  const handler = checkingHeader(path, reader);
  if (part) {
    try {
      return {
        format: 'csv',
        gzip: false,
        ...(await readCsvRecords(partBytes(path, part, onProgress), handler)),
      };
    } catch (err) {
      if (err instanceof StopReading) return { format: 'csv', gzip: false, lines: 0, quoteProblems: 0 };
      throw readFailure(path, 'csv', err);
    }
  }
  const input = await openInput(path, onProgress);
  let csv: CsvRead = { lines: 0, quoteProblems: 0 };
  try {
    if (input.format === 'csv') csv = await readCsvRecords(input.bytes, handler);
    // Arrow's and Parquet's libraries load only for their input: a tenth of a second of every start otherwise.
    else if (input.format === 'parquet')
      await (await import('./parquet-records.js')).readParquetInput(path, input, handler, onProgress);
    else await (await import('./arrow-records.js')).readArrowInput(path, input, handler);
  } catch (err) {
    if (err instanceof StopReading) return { format: input.format, gzip: input.gzip, ...csv };
    throw readFailure(path, input.format, err);
  } finally {
    input.close();
  }
  return { format: input.format, gzip: input.gzip, ...csv };
}

/** `handler` with its header checked first: names must be distinct and valid UTF-8. */
function checkingHeader(path: string, handler: RecordHandler): RecordHandler {
  const checked = Object.create(handler) as RecordHandler;
  checked.header = (names) => {
    checkHeader(path, names);
    return handler.header(names);
  };
  return checked;
}

/**
 * Throws InputError naming every repeated column name, the first name that is not UTF-8, or line ends
 * of CR alone.
 */
function checkHeader(path: string, names: readonly string[]): void {
  const bad = names.findIndex(hasInvalidUtf8);
  if (bad >= 0)
    throw new InputError(
      `${path}: the header is not valid UTF-8 (column ${bad + 1}: ${echo(names[bad]!)}); save the file as UTF-8`,
    );
  // A file whose lines end with CR alone reads as one line: its header runs on into the rows.
  if (names.some((n) => n.includes('\r')))
    throw new InputError(
      `${path}: its lines end with a carriage return alone (CR, as in old Mac files), so the file reads as ` +
        'one line; save it with LF or CRLF line ends',
    );
  const seen = new Map<string, number[]>();
  names.forEach((n, i) => {
    const at = seen.get(n);
    if (at) at.push(i + 1);
    else seen.set(n, [i + 1]);
  });
  const repeated = [...seen].filter(([, at]) => at.length > 1);
  if (repeated.length === 0) return;
  const columns = (at: number[]) => (at.length > 5 ? `${at.slice(0, 5).join(', ')}, …` : at.join(', '));
  const shown = repeated.slice(0, 10).map(([n, at]) => `${echo(n, 60)} (columns ${columns(at)})`);
  const more = repeated.length > shown.length ? ` and ${repeated.length - shown.length} more` : '';
  throw new InputError(
    `${path}: column names repeated in the header: ${shown.join(', ')}${more}; each column needs its own name`,
  );
}

/**
 * The error to throw for `err` met while reading: ours as they are, a reader library's as an
 * InputError naming the file (its message, which may quote the file's bytes, made one safe line).
 */
function readFailure(path: string, format: FileFormat, err: unknown): Error {
  if (err instanceof InputError || err instanceof UnsplittableFile) return err;
  const why = echoBare(err instanceof Error ? err.message : String(err));
  const what = format === 'csv' ? 'CSV content' : formatName(format);
  const damaged = format === 'csv' ? '' : ': it is truncated or damaged';
  return new InputError(`${path}: cannot read the ${what}${damaged} (${why})`, { cause: err });
}

/** A binary format's name in messages: "Arrow file", "Arrow stream", "Parquet file". */
function formatName(format: Exclude<FileFormat, 'csv'>): string {
  return format === 'parquet' ? 'Parquet file' : `Arrow ${format === 'arrow-file' ? 'file' : 'stream'}`;
}
