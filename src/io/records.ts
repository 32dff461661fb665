/**
 * One record interface over CSV and Arrow IPC: a header, then each record as text fields with its
 * line (CSV: file line, header = 1; Arrow: record number, "row N"). Arrow values are turned into the
 * same canonical text as CSV (dates as YYYY-MM-DD, nulls as blank), so both share one validation.
 */
import { open } from 'node:fs/promises';
import { DataType, type RecordBatch, RecordBatchReader, type Vector } from 'apache-arrow';
import { formatDate, formatMonth, monthIndex } from '../calendar.js';
import { InputError } from '../errors.js';
import { readCsvRecords } from './csv.js';
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
  malformed(line: number, message: string, value: string): void;
}

/** Thrown by a handler to stop reading early (e.g. after the header); readRecords then returns normally. */
export class StopReading extends Error {}

export interface RecordsRead {
  format: FileFormat;
  gzip: boolean;
  /** CSV: lines read, header and blank lines included (records over several lines count each). */
  lines: number;
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
        lines: await readCsvRecords(partBytes(path, part, onProgress), handler),
      };
    } catch (err) {
      if (err instanceof StopReading) return { format: 'csv', gzip: false, lines: 0 };
      if (err instanceof InputError || err instanceof UnsplittableFile) throw err;
      throw new InputError(`${path}: cannot read csv content (${(err as Error).message})`, { cause: err });
    }
  }
  const input = await openInput(path, onProgress);
  let lines = 0;
  try {
    if (input.format === 'csv') lines = await readCsvRecords(input.bytes, handler);
    else if (input.format === 'arrow-file' && !input.gzip) {
      // Random access: the footer says where each batch is, so batches are read one at a time.
      input.close();
      const fh = await open(path, 'r');
      try {
        await readArrowRecords(await RecordBatchReader.from(fh), handler);
      } finally {
        await fh.close();
      }
    } else {
      // A gzipped Arrow file is buffered whole (its footer is at the end); a stream is read batch by batch.
      if (input.format === 'arrow-file')
        await readArrowRecords(RecordBatchReader.from(await collect(input.bytes)), handler);
      else await readArrowRecords(await RecordBatchReader.from(input.bytes), handler);
    }
  } catch (err) {
    if (err instanceof StopReading) return { format: input.format, gzip: input.gzip, lines };
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read ${input.format} content (${(err as Error).message})`, {
      cause: err,
    });
  } finally {
    input.close();
  }
  return { format: input.format, gzip: input.gzip, lines };
}

async function collect(bytes: AsyncIterable<Buffer>): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const b of bytes) parts.push(b);
  return Buffer.concat(parts);
}

type Cell = (i: number) => string;

async function readArrowRecords(
  reader: RecordBatchReader | Awaited<ReturnType<typeof RecordBatchReader.from>>,
  handler: RecordHandler,
): Promise<void> {
  let started = false;
  let hints: TemporalHint[] = [];
  let row = 0;
  for await (const batch of reader as AsyncIterable<RecordBatch>) {
    const fields = batch.schema.fields;
    if (!started) {
      started = true;
      hints = handler.header(fields.map((f) => f.name)) ?? [];
    }
    const cells = fields.map((f, c) => cellReader(batch.getChildAt(c)!, f.type, hints[c]));
    const values = new Array<string>(cells.length).fill('');
    for (let i = 0; i < batch.numRows; i++) {
      for (let c = 0; c < cells.length; c++) values[c] = cells[c]!(i);
      row += 1;
      handler.record(values, row);
    }
  }
  if (!started) {
    const schema = (reader as { schema?: { fields: { name: string }[] } }).schema;
    handler.header(schema ? schema.fields.map((f) => f.name) : []);
  }
}

const MS_PER_DAY = 86_400_000;

/** Text of each cell of one column; null is blank. */
function cellReader(vec: Vector, type: DataType, hint: TemporalHint): Cell {
  const get = (i: number): unknown => (vec.isValid(i) ? vec.get(i) : null);
  if (DataType.isDate(type) || DataType.isTimestamp(type)) {
    const as: TemporalHint = hint ?? (DataType.isTimestamp(type) ? 'datetime' : 'date');
    return (i) => {
      const v = get(i);
      if (v === null) return '';
      const ms = Number(v instanceof Date ? v.getTime() : v);
      return formatTemporal(ms, as);
    };
  }
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type)) {
    // BigInt text is exact; the number validators reject integers beyond 2^53.
    return (i) => {
      const v = get(i);
      return v === null ? '' : String(v);
    };
  }
  if (DataType.isBool(type))
    return (i) => {
      const v = get(i);
      return v === null ? '' : v ? '1' : '0';
    };
  return (i) => {
    const v = get(i);
    return v === null ? '' : typeof v === 'string' ? v : String(v);
  };
}

function formatTemporal(ms: number, as: TemporalHint): string {
  if (!Number.isFinite(ms)) return String(ms);
  const day = Math.floor(ms / MS_PER_DAY);
  switch (as) {
    case 'month': {
      const d = new Date(day * MS_PER_DAY);
      return formatMonth(monthIndex(d.getUTCFullYear(), d.getUTCMonth() + 1));
    }
    case 'datetime':
      return new Date(ms).toISOString().slice(0, 19);
    default:
      return formatDate(day);
  }
}
