/**
 * One record interface over CSV and Arrow IPC: a header, then each record as text fields with its
 * line (CSV: file line, header = 1; Arrow: record number, "row N"). Arrow values are turned into the
 * same canonical text as CSV (dates as YYYY-MM-DD, nulls as blank), so both share one validation.
 */
import { InputError } from '../errors.js';
import { type CsvRead, readCsvRecords } from './csv.js';
import { type OnReadProgress, openInput } from './open.js';
import { type CsvPart, partBytes, UnsplittableFile } from './parts.js';
import type { FileFormat } from './types.js';

/** How a date-typed Arrow column should be written as text. */
export type TemporalHint = 'month' | 'date' | 'datetime' | undefined;

export interface RecordHandler {
  /** Called once with the column names (empty when the file has none); may throw. */
  header(names: string[]): TemporalHint[] | undefined;
  /** `fields` is reused between calls: copy what you keep. */
  record(fields: string[], line: number): void;
  /**
   * Optional fast path for a plain CSV record (ASCII, the header's field count, quotes only around
   * whole fields with no quote, comma or line break inside): field c is bytes[spans[2c], spans[2c+1])
   * of `bytes`, without its quotes. Returns false to have it passed to record() instead, which must
   * then give the same outcome; both are reused between calls.
   */
  plainRecord?(bytes: Buffer, spans: Int32Array, line: number): boolean;
  malformed(line: number, message: string, value: string): void;
}

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
  handler: RecordHandler,
  onProgress?: OnReadProgress,
  part?: CsvPart,
): Promise<RecordsRead> {
  if (part) {
    try {
      return {
        format: 'csv',
        gzip: false,
        ...(await readCsvRecords(partBytes(path, part, onProgress), handler)),
      };
    } catch (err) {
      if (err instanceof StopReading) return { format: 'csv', gzip: false, lines: 0, quoteProblems: 0 };
      if (err instanceof InputError || err instanceof UnsplittableFile) throw err;
      throw new InputError(`${path}: cannot read csv content (${(err as Error).message})`, { cause: err });
    }
  }
  const input = await openInput(path, onProgress);
  let csv: CsvRead = { lines: 0, quoteProblems: 0 };
  try {
    if (input.format === 'csv') csv = await readCsvRecords(input.bytes, handler);
    // Arrow's library loads only for Arrow input: it is a tenth of a second of every start otherwise.
    else await (await import('./arrow-records.js')).readArrowInput(path, input, handler);
  } catch (err) {
    if (err instanceof StopReading) return { format: input.format, gzip: input.gzip, ...csv };
    if (err instanceof InputError || err instanceof UnsplittableFile) throw err;
    throw new InputError(`${path}: cannot read ${input.format} content (${(err as Error).message})`, {
      cause: err,
    });
  } finally {
    input.close();
  }
  return { format: input.format, gzip: input.gzip, ...csv };
}
