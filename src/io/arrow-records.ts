/** Reading the records of an Arrow IPC file or stream (see records.ts), loaded only for Arrow input. */
import { open } from 'node:fs/promises';
import { DataType, type RecordBatch, RecordBatchReader, type Vector } from 'apache-arrow';
import { formatDate, formatMonth, monthIndex } from '../calendar.js';
import type { OpenedInput } from './open.js';
import type { RecordHandler, TemporalHint } from './records.js';

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
