/**
 * Reading the records of a Parquet file (see records.ts), loaded only for Parquet input. The file is
 * read a row group at a time, column by column (hyparquet), so memory holds one row group whatever
 * the file's size. Each value becomes the same canonical text as a CSV cell, so one validation serves
 * every format: dates as YYYY-MM-DD (or YYYY-MM for a month column), timestamps as
 * YYYY-MM-DDTHH:MM:SS, 64-bit integers as their exact digits (the validators refuse a count beyond
 * 2^53), booleans as 1 or 0, nulls as blank. Text whose bytes are not UTF-8 is read with those bytes
 * escaped (utf8.ts), and its record goes to the handler's invalidUtf8. Records are numbered from 1.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import {
  type AsyncBuffer,
  type ColumnData,
  type FileMetaData,
  type ParquetParsers,
  parquetMetadata,
  parquetRead,
  parquetSchema,
  type SchemaElement,
  type SchemaTree,
  toJson,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { InputError } from '../errors.js';
import type { OnReadProgress, OpenedInput } from './open.js';
import type { RecordHandler, TemporalHint } from './record-handler.js';
import { formatTemporal } from './temporal.js';
import { hasInvalidUtf8, Utf8Decoder } from './utf8.js';

const MAGIC = 'PAR1';
/** The footer's length and the magic after it. */
const TAIL_BYTES = 8;
/** Bytes read from the end at first: the metadata of most files fits. */
const FOOTER_GUESS = 1 << 19;
const MS_PER_DAY = 86_400_000;

export async function readParquetInput(
  path: string,
  input: OpenedInput,
  handler: RecordHandler,
  onProgress?: OnReadProgress,
): Promise<void> {
  if (!input.gzip) {
    // Random access: the footer says where each row group's columns are.
    input.close();
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      await readParquet(path, fileBuffer(fh, size), handler, onProgress);
    } finally {
      await fh.close();
    }
  } else {
    // A gzipped Parquet file is buffered whole: its footer is at the end.
    const parts: Buffer[] = [];
    for await (const b of input.bytes) parts.push(b);
    const all = Buffer.concat(parts);
    const bytes = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
    await readParquet(path, bytes, handler, onProgress);
  }
}

/** A file handle as hyparquet's AsyncBuffer: each slice is one positioned read. */
function fileBuffer(fh: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const out = new Uint8Array(Math.max(0, end - start));
      let at = 0;
      while (at < out.length) {
        const { bytesRead } = await fh.read(out, at, out.length - at, start + at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return out.buffer;
    },
  };
}

/** The file's metadata, after checking its footer; a damaged one is an InputError naming the file. */
async function readMetadata(path: string, file: AsyncBuffer): Promise<FileMetaData> {
  const size = file.byteLength;
  const damaged = (why: string) =>
    new InputError(`${path}: cannot read the Parquet file: it is truncated or damaged (${why})`);
  if (size < MAGIC.length + TAIL_BYTES) throw damaged(`${size} bytes, too short for a Parquet file`);
  const from = Math.max(0, size - FOOTER_GUESS);
  let tail = new Uint8Array(await file.slice(from, size));
  const last = Buffer.from(tail.subarray(tail.length - 4)).toString('latin1');
  if (last !== MAGIC) throw damaged('it does not end with PAR1: the footer is missing');
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const footer = view.getUint32(tail.length - TAIL_BYTES, true);
  if (footer + TAIL_BYTES + MAGIC.length > size)
    throw damaged(`its footer claims ${footer} bytes of a ${size}-byte file`);
  if (footer + TAIL_BYTES > tail.length)
    tail = new Uint8Array(await file.slice(size - footer - TAIL_BYTES, size));
  try {
    return parquetMetadata(
      tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.byteLength) as ArrayBuffer,
    );
  } catch (err) {
    throw damaged(`its footer cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** How a column's values become text. */
type Kind = 'text' | 'number' | 'float32' | 'bool' | 'date' | 'timestamp' | 'nested' | 'bytes';

function kindOf(node: SchemaTree): Kind {
  const e: SchemaElement = node.element;
  if (node.children.length > 0) return 'nested';
  const lt = e.logical_type?.type;
  const ct = e.converted_type;
  if (lt === 'DATE' || ct === 'DATE') return 'date';
  if (lt === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || e.type === 'INT96')
    return 'timestamp';
  if (e.type === 'BOOLEAN') return 'bool';
  if (e.type === 'FLOAT' && lt !== 'DECIMAL' && ct !== 'DECIMAL') return 'float32';
  if (e.type === 'FIXED_LEN_BYTE_ARRAY' && lt !== 'DECIMAL' && ct !== 'DECIMAL' && lt !== 'UUID')
    return lt === 'FLOAT16' ? 'number' : 'bytes';
  if (e.type === 'BYTE_ARRAY' || lt === 'UUID') return 'text';
  return 'number';
}

/**
 * Parsers that keep what the cell text needs: dates as day numbers, timestamps as milliseconds,
 * text decoded strictly (bad bytes escaped, and noted in `state.invalid`), JSON as its text.
 */
function parsers(state: { invalid: boolean }): Partial<ParquetParsers> {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const text = (bytes: Uint8Array | undefined): string | undefined => {
    if (bytes === undefined) return undefined;
    try {
      return strict.decode(bytes);
    } catch {
      state.invalid = true;
      const d = new Utf8Decoder();
      return d.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) + d.end();
    }
  };
  return {
    timestampFromMilliseconds: (v) => Number(v),
    timestampFromMicroseconds: (v) => Number(v / 1000n),
    timestampFromNanoseconds: (v) => Number(v / 1_000_000n),
    dateFromDays: (d) => d,
    stringFromBytes: text,
    jsonFromBytes: text,
  };
}

async function readParquet(
  path: string,
  file: AsyncBuffer,
  handler: RecordHandler,
  onProgress?: OnReadProgress,
): Promise<void> {
  const metadata = await readMetadata(path, file);
  const columns = parquetSchema(metadata).children;
  const names = columns.map((c) => c.element.name);
  const hints = handler.header(names) ?? [];
  const cells = columns.map((c, k) => cellText(kindOf(c), hints[k]));
  const state = { invalid: false };
  const options = { file, metadata, compressors, parsers: parsers(state), columns: names };
  const values = new Array<string>(names.length).fill('');
  let groupStart = 0;
  let row = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const groupEnd = groupStart + rows;
    const chunks: ColumnData[] = [];
    state.invalid = false;
    // One row group at a time: its columns are decoded, turned into records, then let go.
    await parquetRead({ ...options, rowStart: groupStart, rowEnd: groupEnd, onChunk: (c) => chunks.push(c) });
    const data = names.map((name) => groupColumn(chunks, name, groupStart, rows));
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < values.length; c++) values[c] = cells[c]!(data[c]![i]);
      row += 1;
      const bad = state.invalid ? values.findIndex(hasInvalidUtf8) : -1;
      if (bad < 0) handler.record(values, row);
      else handler.invalidUtf8(row, bad, values[bad]!);
    }
    groupStart = groupEnd;
    if (onProgress) onProgress(groupBytesEnd(group), file.byteLength);
  }
}

/** Where a row group's data ends in the file, for a progress bar. */
function groupBytesEnd(group: FileMetaData['row_groups'][number]): number {
  let end = 0;
  for (const c of group.columns) {
    const m = c.meta_data;
    if (m === undefined) continue;
    const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
    end = Math.max(end, start + Number(m.total_compressed_size));
  }
  return end;
}

/** The values of one column over [start, start + rows), from the chunks hyparquet handed over. */
function groupColumn(
  chunks: readonly ColumnData[],
  name: string,
  start: number,
  rows: number,
): ArrayLike<unknown> {
  const mine = chunks.filter((c) => c.columnName === name);
  if (mine.length === 1 && mine[0]!.rowStart === start && mine[0]!.columnData.length === rows)
    return mine[0]!.columnData;
  const out = new Array<unknown>(rows).fill(null);
  for (const c of mine) {
    for (let i = 0; i < c.columnData.length; i++) {
      const at = c.rowStart - start + i;
      if (at >= 0 && at < rows) out[at] = c.columnData[i];
    }
  }
  return out;
}

/** The cell text of one value of a column of `kind`; null and undefined are blank. */
function cellText(kind: Kind, hint: TemporalHint): (v: unknown) => string {
  switch (kind) {
    case 'date':
      return (v) => (v == null ? '' : formatTemporal(Number(v) * MS_PER_DAY, hint ?? 'date'));
    case 'timestamp':
      return (v) => (v == null ? '' : formatTemporal(Number(v), hint ?? 'datetime'));
    case 'bool':
      return (v) => (v == null ? '' : v ? '1' : '0');
    case 'float32':
      return (v) => (v == null ? '' : float32Text(v as number));
    case 'bytes':
      return (v) => (v == null ? '' : Buffer.from(v as Uint8Array).toString('hex'));
    case 'nested':
      return (v) => (v == null ? '' : JSON.stringify(toJson(v)));
    case 'text':
      return (v) => (v == null ? '' : typeof v === 'string' ? v : String(v));
    default:
      // A bigint's text is exact; the validators refuse integers beyond 2^53 as CSV digits.
      return (v) => (v == null ? '' : String(v));
  }
}

/** The shortest decimal that reads back as the same 32-bit float (0.1f is "0.1", not 0.100000001…). */
export function float32Text(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p < 9; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === v) return String(t);
  }
  return String(v);
}
