/**
 * Writing Parquet files for tests and benchmarks with hyparquet-writer, in every compression codec
 * retain reads: SNAPPY is built in, GZIP and BROTLI come from node:zlib, and ZSTD and LZ4_RAW are
 * written as stored (uncompressed) frames and literal-only blocks, which every decoder must read.
 * `csvToParquet` turns a contract CSV file (gzipped or not) into a typed Parquet file, row group
 * by row group, as a warehouse export would: dates as DATE, date-times as TIMESTAMP, counts as INT64,
 * amounts as DOUBLE, the rest as STRING.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { CompressionCodec, SchemaElement } from 'hyparquet';
import { ByteWriter, fileWriter, ParquetWriter } from 'hyparquet-writer';
import { parseDate, parseLocalDateTime } from '../../src/calendar.js';
import { readRecords } from '../../src/io/records.js';

export const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD', 'LZ4_RAW'] as const;
export type Codec = (typeof CODECS)[number];

/** A ZSTD frame of raw (stored) blocks, content size given: valid input for any ZSTD decoder. */
function zstdStored(input: Uint8Array): Uint8Array {
  const BLOCK = 1 << 17;
  const blocks = Math.max(1, Math.ceil(input.length / BLOCK));
  const out = Buffer.alloc(4 + 1 + 8 + blocks * 3 + input.length);
  out.writeUInt32LE(0xfd2fb528, 0);
  out[4] = 0xe0; // 8-byte content size, single segment
  out.writeBigUInt64LE(BigInt(input.length), 5);
  let at = 13;
  for (let b = 0; b < blocks; b++) {
    const part = input.subarray(b * BLOCK, (b + 1) * BLOCK);
    const header = ((part.length << 3) | (b === blocks - 1 ? 1 : 0)) >>> 0; // raw block type 0
    out[at] = header & 0xff;
    out[at + 1] = (header >> 8) & 0xff;
    out[at + 2] = (header >> 16) & 0xff;
    out.set(part, at + 3);
    at += 3 + part.length;
  }
  return out;
}

/** An LZ4 block holding one literal-only sequence (nothing for nothing, as hyparquet reads it). */
function lz4Literals(input: Uint8Array): Uint8Array {
  const n = input.length;
  if (n === 0) return new Uint8Array(0);
  const extra: number[] = [];
  if (n >= 15) {
    let rest = n - 15;
    while (rest >= 255) {
      extra.push(255);
      rest -= 255;
    }
    extra.push(rest);
  }
  const out = new Uint8Array(1 + extra.length + n);
  out[0] = Math.min(n, 15) << 4;
  out.set(extra, 1);
  out.set(input, 1 + extra.length);
  return out;
}

export const COMPRESSORS = {
  GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)),
  BROTLI: (b: Uint8Array) => new Uint8Array(brotliCompressSync(b)),
  ZSTD: zstdStored,
  LZ4_RAW: lz4Literals,
};

export interface TestColumn {
  /** The column's schema element (name, type, converted or logical type, repetition). */
  readonly element: SchemaElement;
  readonly data: readonly unknown[];
}

/** A column element: OPTIONAL unless said otherwise. */
export const col = (name: string, type: SchemaElement['type'], more: Partial<SchemaElement> = {}) =>
  ({ name, type, repetition_type: 'OPTIONAL', ...more }) as SchemaElement;

/** The bytes of a Parquet file of `columns`, in row groups of `rowGroupSize`. */
export function parquetBytes(
  columns: readonly TestColumn[],
  o: { codec?: Codec; rowGroupSize?: number } = {},
): Uint8Array {
  const writer = new ByteWriter();
  write(writer, columns, o);
  return new Uint8Array(writer.getBuffer());
}

function write(
  writer: ConstructorParameters<typeof ParquetWriter>[0]['writer'],
  columns: readonly TestColumn[],
  o: { codec?: Codec; rowGroupSize?: number },
): void {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map((c) => c.element),
  ];
  const w = new ParquetWriter({
    writer,
    schema,
    codec: (o.codec ?? 'SNAPPY') as CompressionCodec,
    compressors: COMPRESSORS,
  });
  w.write({
    columnData: columns.map((c) => ({ name: c.element.name, data: c.data as unknown[] })),
    rowGroupSize: o.rowGroupSize ?? 100_000,
  });
  w.finish();
}

type Kind = 'string' | 'date' | 'timestamp' | 'int64' | 'double';

const KINDS: Record<string, Kind> = {
  activation_date: 'date',
  plan_end_date: 'date',
  contact_date: 'date',
  start_time: 'timestamp',
  billed_amount: 'double',
  charge: 'double',
  suspension_count: 'int64',
  duration_s: 'int64',
  bytes: 'int64',
};

function element(name: string): SchemaElement {
  switch (KINDS[name] ?? 'string') {
    case 'date':
      return col(name, 'INT32', { converted_type: 'DATE' });
    case 'timestamp':
      return col(name, 'INT64', { converted_type: 'TIMESTAMP_MILLIS' });
    case 'int64':
      return col(name, 'INT64');
    case 'double':
      return col(name, 'DOUBLE');
    default:
      return col(name, 'BYTE_ARRAY', { converted_type: 'UTF8' });
  }
}

function value(kind: Kind, s: string): unknown {
  if (s === '') return null;
  switch (kind) {
    case 'date':
      return parseDate(s);
    case 'timestamp':
      return BigInt(parseLocalDateTime(s) * 1000);
    case 'int64':
      return BigInt(s);
    case 'double':
      return Number(s);
    default:
      return s;
  }
}

/**
 * Converts a contract CSV file (billing, CDR, outcomes; gzipped or not) into a typed Parquet file at
 * `dest`, `rowGroupSize` rows at a time. Every value must be valid for its type.
 */
export async function csvToParquet(
  src: string,
  dest: string,
  o: { codec?: Codec; rowGroupSize?: number } = {},
): Promise<void> {
  const rowGroupSize = o.rowGroupSize ?? 100_000;
  let kinds: Kind[] = [];
  let columns: unknown[][] = [];
  let w: ParquetWriter | null = null;
  const flush = () => {
    if (columns[0]!.length === 0) return;
    w!.write({
      columnData: columns.map((data, k) => ({ name: names[k]!, data })),
      rowGroupSize,
    });
    columns = columns.map(() => []);
  };
  let names: string[] = [];
  await readRecords(src, {
    header(found) {
      names = found;
      kinds = names.map((n) => KINDS[n] ?? 'string');
      columns = names.map(() => []);
      const schema: SchemaElement[] = [{ name: 'root', num_children: names.length }, ...names.map(element)];
      w = new ParquetWriter({
        writer: fileWriter(dest),
        schema,
        codec: (o.codec ?? 'SNAPPY') as CompressionCodec,
        compressors: COMPRESSORS,
      });
      return undefined;
    },
    record(fields, line) {
      for (let k = 0; k < fields.length; k++) {
        const v = value(kinds[k]!, fields[k]!);
        if (typeof v === 'number' && Number.isNaN(v)) throw new Error(`${src} line ${line}: ${fields[k]}`);
        columns[k]!.push(v);
      }
      if (columns[0]!.length === rowGroupSize) flush();
    },
    malformed(line, message) {
      throw new Error(`${src} line ${line}: ${message}`);
    },
    invalidUtf8(line) {
      throw new Error(`${src} line ${line}: not UTF-8`);
    },
  });
  flush();
  (w as ParquetWriter | null)?.finish();
}
