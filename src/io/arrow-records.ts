/**
 * Reading the records of an Arrow IPC file or stream (see records.ts), loaded only for Arrow input.
 * Text the Arrow library would decode with U+FFFD for bytes that are not UTF-8 is read with those
 * bytes escaped instead (utf8.ts), and its record goes to the handler's invalidUtf8.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { type Data, DataType, type RecordBatch, RecordBatchReader, type Vector } from 'apache-arrow';
import { formatDate, formatMonth, monthIndex } from '../calendar.js';
import type { OpenedInput } from './open.js';
import type { RecordHandler, TemporalHint } from './record-handler.js';
import { hasInvalidUtf8, Utf8Decoder } from './utf8.js';

export async function readArrowInput(
  path: string,
  input: OpenedInput,
  handler: RecordHandler,
): Promise<void> {
  if (input.format === 'arrow-file' && !input.gzip) {
    // Random access: the footer says where each batch is, so batches are read one at a time.
    input.close();
    const fh = await open(path, 'r');
    try {
      await readArrowRecords(await RecordBatchReader.from(fh), handler);
    } finally {
      await fh.close();
    }
  } else if (input.format === 'arrow-file') {
    // A gzipped Arrow file is buffered whole (its footer is at the end); a stream is read batch by batch.
    await readArrowRecords(RecordBatchReader.from(await collect(input.bytes)), handler);
  } else {
    await readArrowRecords(await RecordBatchReader.from(input.bytes), handler);
  }
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
    let invalid = false;
    const cells = fields.map((f, c) => {
      const vec = batch.getChildAt(c)!;
      const escaped = escapedCells(vec);
      if (escaped === null) return cellReader(vec, f.type, hints[c]);
      invalid = true;
      const read = cellReader(vec, f.type, hints[c]);
      return (i: number) => escaped.get(i) ?? read(i);
    });
    const values = new Array<string>(cells.length).fill('');
    for (let i = 0; i < batch.numRows; i++) {
      for (let c = 0; c < cells.length; c++) values[c] = cells[c]!(i);
      row += 1;
      const bad = invalid ? values.findIndex(hasInvalidUtf8) : -1;
      if (bad < 0) handler.record(values, row);
      else handler.invalidUtf8(row, bad, values[bad]!);
    }
  }
  if (!started) {
    const schema = (reader as { schema?: { fields: { name: string }[] } }).schema;
    handler.header(schema ? schema.fields.map((f) => f.name) : []);
  }
}

/**
 * The cells of a text column (or a dictionary of text) that are not UTF-8, by row, with their bad
 * bytes escaped; null when all are UTF-8 (one native check of the column's bytes per batch).
 */
function escapedCells(vec: Vector): Map<number, string> | null {
  let found: Map<number, string> | null = null;
  let base = 0;
  for (const d of vec.data as Data[]) {
    const rows = DataType.isDictionary(d.type) ? escapedKeys(d) : escapedText(d);
    if (rows !== null) {
      found ??= new Map();
      for (const [i, text] of rows) found.set(base + i, text);
    }
    base += d.length;
  }
  return found;
}

function escapedText(d: Data): Map<number, string> | null {
  if (!DataType.isUtf8(d.type) && !DataType.isLargeUtf8(d.type)) return null;
  const values = d.values as Uint8Array;
  const offsets = d.valueOffsets as ArrayLike<number | bigint>;
  const at = (i: number) => Number(offsets[i]!);
  if (d.length === 0 || isUtf8(values.subarray(at(0), at(d.length)))) return null;
  const out = new Map<number, string>();
  for (let i = 0; i < d.length; i++) {
    const bytes = values.subarray(at(i), at(i + 1));
    if (isUtf8(bytes)) continue;
    const decoder = new Utf8Decoder();
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    out.set(i, decoder.write(b) + decoder.end());
  }
  return out;
}

/** Rows of a dictionary-encoded column whose dictionary value is not UTF-8. */
function escapedKeys(d: Data): Map<number, string> | null {
  const dictionary = d.dictionary === undefined ? null : escapedCells(d.dictionary);
  if (dictionary === null) return null;
  const keys = d.values as ArrayLike<number | bigint>;
  const out = new Map<number, string>();
  for (let i = 0; i < d.length; i++) {
    const text = dictionary.get(Number(keys[i]!));
    if (text !== undefined && d.getValid(i)) out.set(i, text);
  }
  return out;
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
