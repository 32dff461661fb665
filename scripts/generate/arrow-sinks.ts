/**
 * Arrow IPC (file format) output in record batches: Utf8 strings, Int32 counts and flags, Int64
 * bytes, Float64 amounts; blank cells are nulls. Batches bound memory whatever the row count.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import {
  type Data,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  Utf8,
} from 'apache-arrow';
import { formatDate, formatMonth } from '../../src/calendar.js';
import {
  CARD_TYPES,
  CDR_FIELDS,
  type CdrEvent,
  type CdrSink,
  CUSTOMER_TYPES,
  DIRECTION,
  EVENT,
  EVENT_TYPES,
  STATUSES,
} from '../../src/contract.js';
import { generatedBillingFields, ownerOf } from './owners.js';
import type { BillingRecord, RecordSink } from './sinks.js';

type Kind = 'utf8' | 'int32' | 'int64' | 'float64';
const BATCH_ROWS = 65_536;
const BACKLOG_BYTES = 16 << 20;

/** A column being filled; `null` (strings) or NaN (numbers) marks a blank cell. */
interface Buffer {
  kind: Kind;
  strings: (string | null)[];
  numbers: Float64Array;
}

export class ArrowBatchWriter {
  private readonly schema: Schema;
  private readonly buffers: Buffer[];
  private rows = 0;
  private readonly writer = new RecordBatchFileWriter();
  private readonly file: WriteStream;
  private readonly done: Promise<void>;

  constructor(path: string, columns: readonly (readonly [string, Kind])[]) {
    this.schema = new Schema(columns.map(([name, kind]) => new Field(name, arrowType(kind), true)));
    this.buffers = columns.map(([, kind]) => ({
      kind,
      strings: [],
      numbers: kind === 'utf8' ? new Float64Array(0) : new Float64Array(BATCH_ROWS),
    }));
    this.file = createWriteStream(path);
    this.done = pipeline(this.writer.toNodeStream({ highWaterMark: 1 << 20 }), this.file);
    this.done.catch(() => undefined); // surfaced by close()
  }

  /** Sets column `c` of the current row; call `endRow` after the last column. */
  str(c: number, v: string | null): void {
    this.buffers[c]!.strings.push(v);
  }
  num(c: number, v: number): void {
    this.buffers[c]!.numbers[this.rows] = v;
  }
  endRow(): void {
    if (++this.rows === BATCH_ROWS) this.flush();
  }

  private flush(): void {
    if (this.rows === 0) return;
    const n = this.rows;
    const children = this.buffers.map((b) => column(b, n));
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    this.writer.write(new RecordBatch(this.schema, data));
    for (const b of this.buffers) b.strings = [];
    this.rows = 0;
  }

  /**
   * Batches reach the file only while the event loop turns, a small chunk per turn, so wait until
   * the file has caught up with all but a few batches; otherwise every batch piles up in memory.
   */
  async drain(): Promise<void> {
    const produced = (): number => (this.writer as unknown as { _position: number })._position;
    while (produced() - this.file.bytesWritten > BACKLOG_BYTES) {
      if (this.file.writableNeedDrain) await once(this.file, 'drain');
      else await new Promise((done) => setImmediate(done));
    }
  }

  async close(): Promise<void> {
    this.flush();
    this.writer.finish();
    await this.done;
  }
}

function arrowType(kind: Kind) {
  switch (kind) {
    case 'utf8':
      return new Utf8();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
  }
}

function column(b: Buffer, n: number): Data {
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  if (b.kind === 'utf8') return utf8Column(b.strings, n, bitmap);
  for (let r = 0; r < n; r++) {
    if (Number.isNaN(b.numbers[r])) nulls++;
    else bitmap[r >> 3]! |= 1 << (r & 7);
  }
  const nullBitmap = nulls > 0 ? bitmap : undefined;
  switch (b.kind) {
    case 'int32': {
      const data = Int32Array.from(b.numbers.subarray(0, n), (x) => (Number.isNaN(x) ? 0 : x));
      return makeData({ type: new Int32(), length: n, nullCount: nulls, data, nullBitmap });
    }
    case 'int64': {
      const data = BigInt64Array.from(b.numbers.subarray(0, n), (x) => BigInt(Number.isNaN(x) ? 0 : x));
      return makeData({ type: new Int64(), length: n, nullCount: nulls, data, nullBitmap });
    }
    case 'float64': {
      const data = b.numbers.slice(0, n);
      return makeData({ type: new Float64(), length: n, nullCount: nulls, data, nullBitmap });
    }
  }
}

const encoder = new TextEncoder();

/** Writes `v` as UTF-8 at `at`; returns the end. ASCII (all generated values) skips the encoder. */
function putString(v: string, bytes: Uint8Array, at: number): number {
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (c > 0x7f) return at + encoder.encodeInto(v, bytes.subarray(at)).written;
    bytes[at + k] = c;
  }
  return at + v.length;
}

/** Builds Utf8 data directly (offsets + bytes); much faster than Arrow's generic builder. */
function utf8Column(strings: readonly (string | null)[], n: number, bitmap: Uint8Array): Data {
  let chars = 0;
  for (let r = 0; r < n; r++) chars += strings[r]?.length ?? 0;
  const bytes = new Uint8Array(chars * 3);
  const valueOffsets = new Int32Array(n + 1);
  let at = 0;
  let nulls = 0;
  for (let r = 0; r < n; r++) {
    const v = strings[r] ?? null;
    if (v === null) nulls++;
    else {
      bitmap[r >> 3]! |= 1 << (r & 7);
      at = putString(v, bytes, at);
    }
    valueOffsets[r + 1] = at;
  }
  const nullBitmap = nulls > 0 ? bitmap : undefined;
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount: nulls,
    nullBitmap,
    valueOffsets,
    data: bytes.slice(0, at),
  });
}

const BILLING_KINDS: Record<string, Kind> = {
  billed_amount: 'float64',
  suspension_count: 'int32',
  ownership_change: 'int32',
  plan_change: 'int32',
  do_not_disturb: 'int32',
};
const CDR_KINDS: Record<string, Kind> = { duration_s: 'int32', bytes: 'int64', charge: 'float64' };

/** Billing rows; with `units` > 0 each row also names its unit and manager (owners.ts). */
export function billingArrowSink(path: string, units = 0): RecordSink<BillingRecord> & ArrowBatchWriter {
  const w = new ArrowBatchWriter(
    path,
    generatedBillingFields(units).map((name) => [name, BILLING_KINDS[name] ?? 'utf8'] as const),
  );
  return Object.assign(w, {
    add(r: Readonly<BillingRecord>) {
      w.str(0, r.subscriberId);
      w.str(1, formatMonth(r.month));
      w.str(2, formatDate(r.activationDay));
      w.str(3, r.planId);
      w.str(4, Number.isNaN(r.planEndDay) ? null : formatDate(r.planEndDay));
      w.num(5, r.billedAmount);
      w.str(6, STATUSES[r.status]!);
      w.num(7, r.suspensionCount);
      w.str(8, CARD_TYPES[r.cardType]!);
      w.str(9, CUSTOMER_TYPES[r.customerType]!);
      w.num(10, r.ownershipChange);
      w.num(11, r.planChange);
      w.num(12, r.doNotDisturb);
      if (units > 0) {
        const o = ownerOf(r.subscriberId, units);
        w.str(13, o.unit);
        w.str(14, o.manager);
      }
      w.endRow();
    },
  });
}

const TWO = Array.from({ length: 60 }, (_, k) => String(k).padStart(2, '0'));

export function cdrArrowSink(path: string): CdrSink & ArrowBatchWriter {
  const w = new ArrowBatchWriter(
    path,
    CDR_FIELDS.map((f) => [f.name, CDR_KINDS[f.name] ?? 'utf8'] as const),
  );
  const days = new Map<number, string>();
  return Object.assign(w, {
    add(e: Readonly<CdrEvent>) {
      const day = Math.floor(e.startTime / 86_400);
      let date = days.get(day);
      if (date === undefined) {
        date = formatDate(day);
        days.set(day, date);
      }
      const s = e.startTime - day * 86_400;
      const h = Math.floor(s / 3600);
      const m = Math.floor((s - h * 3600) / 60);
      const data = e.eventType === EVENT.data;
      w.str(0, e.subscriberId);
      w.str(1, `${date}T${TWO[h]}:${TWO[m]}:${TWO[s - h * 3600 - m * 60]}`);
      w.str(2, EVENT_TYPES[e.eventType]!);
      w.str(3, data ? null : e.direction === DIRECTION.in ? 'in' : 'out');
      w.num(4, e.eventType === EVENT.voice ? e.durationS : Number.NaN);
      w.num(5, data ? e.bytes : Number.NaN);
      w.str(6, data ? null : e.otherParty);
      w.num(7, e.charge);
      w.endRow();
    },
  });
}
