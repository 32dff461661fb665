/**
 * The billing reader: files (CSV or Arrow, several stacked) into one BillingTable, built column by column
 * in growable typed arrays. Each row is checked against the contract; a bad row is rejected whole with
 * its first problem; `(subscriber_id, month)` must be unique across all files of one read.
 *
 * The files are parsed on worker threads, several at once (billing-threads.ts), and merged here in
 * file order: subscriber codes, duplicate keys and rejects come out as one pass over the files would
 * give them.
 */
import { BILLING_FIELDS, type BillingTable, type SetAsideRows } from '../contract.js';
import { echo } from '../echo.js';
import { type Column, type DictColumn, makeFrame } from '../frame.js';
import { HashTable } from '../hash-table.js';
import { idOfKey, keyHash, keyHashOfWords, keyHigh, keyLow, NOT_NUMERIC } from '../subscriber-key.js';
import { type BillingPart, type CodedText, ID, MONTH, NF, OWNERS, PLAN } from './billing-part.js';
import { billingParts } from './billing-threads.js';
import { Chunked, DictBuilder, Growable } from './builders.js';
import { resolveReadOptions, withRejects } from './options.js';
import { checkBadShare, emptyReport, RejectCounter, where } from './rejects.js';
import type { FileReport, ReadOptions, RejectSink } from './types.js';

const F = BILLING_FIELDS;

/**
 * Subscriber ids coded in first-seen order, found by numeric key (subscriber-key.ts) in a hash
 * table of numbers: a Map of 660,000 fresh id strings from the threads, each hashed on lookup, was
 * most of the merge's time.
 */
class SubscriberCodes {
  /** Numeric keys → code, in cells of 4 words (hash-table.ts); other ids in a Map. */
  readonly table = new HashTable(4, 1 << 16, keyHashOfWords);
  readonly other = new Map<string, number>();
  readonly dictionary: string[] = [];
  readonly codes = new Chunked(Int32Array);

  /** The code of the id whose key is `key` (`id` when the key is NOT_NUMERIC), or −1. */
  find(key: number, id: string): number {
    if (key === NOT_NUMERIC) return this.other.get(id) ?? -1;
    const o = this.table.find(keyHash(key), keyHigh(key), keyLow(key));
    return o < 0 ? -1 : this.table.cells[o + 2]!;
  }

  /** Codes an id not seen yet. */
  add(key: number, id: string): number {
    const code = this.dictionary.length;
    this.dictionary.push(id);
    if (key === NOT_NUMERIC) this.other.set(id, code);
    else {
      const high = keyHigh(key);
      const low = keyLow(key);
      this.table.insert(this.table.find(keyHash(key), high, low), high, low, code);
    }
    return code;
  }

  finish(): DictColumn {
    return { kind: 'dict', codes: this.codes.finish(), dictionary: this.dictionary };
  }
}

class BillingBuilder {
  readonly subscriber = new SubscriberCodes();
  readonly plan = new DictBuilder();
  /** By position in OWNERS; `seen` once a file has the column, so the table has it. */
  readonly owners = OWNERS.map(() => ({ dict: new DictBuilder(), seen: false }));
  /**
   * Numeric columns in BILLING_FIELDS order (id and plan slots unused), as each part's kept rows:
   * a part that kept every row is taken as it is, and the table's columns are joined once at the end.
   */
  readonly nums: Float64Array[][] = F.map(() => []);
  /**
   * Per extra column: its values while every filled cell is a number (null once one is not), how many
   * are, and where the first cell that is not one was (file and line or row), for the notice.
   */
  readonly extras = new Map<
    string,
    { values: Growable<Float64Array> | null; seen: number; firstText: string | null }
  >();
  /** Per accepted row: which file and line, to name the first of a duplicate pair. */
  readonly fileOf = new Chunked(Uint16Array);
  readonly lineOf = new Chunked(Int32Array);
  /** Rows set aside as bad, by the subscriber and month they name (SetAsideRows). */
  readonly setAside = { subscribers: [] as string[], months: new Growable(Int32Array), unnamed: 0 };
  /** Per month: accepted row + 1 by subscriber code (0 = none yet). */
  readonly byMonth = new Map<number, Growable<Int32Array>>();
  n = 0;

  finish(): BillingTable {
    const num = (k: number): Float64Array => joined(this.nums[k]!, this.n);
    const cols: Record<string, Column> = {
      subscriber_id: this.subscriber.finish(),
      month: new Int32Array(num(1)),
      activation_date: new Int32Array(num(2)),
      plan_id: this.plan.finish(),
      plan_end_date: num(4),
      billed_amount: num(5),
      status: new Uint8Array(num(6)),
      suspension_count: new Int32Array(num(7)),
      card_type: new Uint8Array(num(8)),
      customer_type: new Uint8Array(num(9)),
      ownership_change: new Uint8Array(num(10)),
      plan_change: new Uint8Array(num(11)),
      do_not_disturb: new Uint8Array(num(12)),
    };
    OWNERS.forEach((k, o) => {
      const owner = this.owners[o]!;
      if (owner.seen) cols[F[k]!.name] = owner.dict.finish();
    });
    for (const [name, x] of this.extras) if (x.values && x.seen > 0) cols[`x_${name}`] = x.values.finish();
    return makeFrame(cols, this.n) as BillingTable;
  }
}

export interface BillingReadOptions extends ReadOptions {
  /** Threads parsing files at once (0 = all cores); the table does not depend on it. */
  threads: number;
}

/** Reads billing files into one table; throws InputError on a missing column or (policy `fail`) too many bad rows. */
export async function readBilling(
  paths: readonly string[],
  options: Partial<BillingReadOptions> = {},
): Promise<{ table: BillingTable; files: FileReport[]; setAside: SetAsideRows }> {
  const opts = resolveReadOptions(options);
  return withRejects(opts.rejects, async (sink) => {
    const b = new BillingBuilder();
    const files: FileReport[] = [];
    const extraNames: string[][] = [];
    const parts = billingParts(paths, opts.config, options.threads ?? 0, opts.onProgress ?? undefined);
    try {
      for (const [i, path] of paths.entries())
        files.push(mergePart(path, await parts.part(i), b, files, extraNames, opts, sink));
    } finally {
      await parts.close();
    }
    const table = b.finish();
    files.forEach((f, i) => {
      const why: string[] = [];
      for (const name of extraNames[i]!) {
        const x = b.extras.get(name)!;
        if (x.values && x.seen > 0) f.extraColumns.push(`x_${name}`);
        else {
          f.ignoredColumns.push(name);
          why.push(x.firstText === null ? 'blank throughout' : `first text at ${x.firstText}`);
        }
      }
      if (f.ignoredColumns.length > 0)
        f.notices.push(
          `${f.path}: ignored extra columns that are not numeric: ${f.ignoredColumns.map((name, k) => `${echo(name)} (${why[k]})`).join(', ')}`,
        );
    });
    const { subscribers, months, unnamed } = b.setAside;
    return { table, files, setAside: { subscribers, months: months.finish(), unnamed } };
  });
}

/** The parts of a column joined into one array of `n` values. */
function joined(parts: readonly Float64Array[], n: number): Float64Array {
  if (parts.length === 1 && parts[0]!.length === n) return parts[0]!;
  const out = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Codes of one part's texts in the table's dictionary, looked up once a text (−1: not yet). */
const unmapped = (n: number) => new Int32Array(n).fill(-1);

/** Appends the kept rows of a part's coded texts to `to`, in row order; code −1 (a blank owner) stays. */
function appendCoded(to: DictBuilder, from: CodedText, kept: Int32Array, nKept: number): void {
  const codes = unmapped(from.dictionary.length);
  for (let i = 0; i < nKept; i++) {
    const c = from.codes[kept[i]!]!;
    if (c < 0) {
      to.codes.push(-1);
      continue;
    }
    if (codes[c]! < 0) codes[c] = to.code(from.dictionary[c]!);
    to.codes.push(codes[c]!);
  }
}

/** Adds a file's part to the table, in file order: the rows its cells passed, unless their key repeats. */
function mergePart(
  path: string,
  part: BillingPart,
  b: BillingBuilder,
  earlier: readonly FileReport[],
  extraNamesOut: string[][],
  opts: ReadOptions,
  sink: RejectSink | null,
): FileReport {
  const report = emptyReport(path, 'billing');
  const fileNo = earlier.length;
  const bad = new RejectCounter(report, sink, opts.sampleLimit);
  const months = new Set<number>();
  let subscribers = 0;
  /** Codes can go no higher than this part's rows all new would take them. */
  const most = b.subscriber.dictionary.length + part.n;
  const seenHere = new Uint8Array(most);
  OWNERS.forEach((k, o) => {
    if (part.index[k]! >= 0) b.owners[o]!.seen = true;
  });
  extraNamesOut.push(part.extraNames);
  const extraState = part.extraNames.map((name) => {
    let x = b.extras.get(name);
    if (x === undefined) {
      const values = new Growable(Float64Array);
      values.resize(b.n, Number.NaN);
      x = { values, seen: 0, firstText: null };
      b.extras.set(name, x);
    }
    return x;
  });
  // Row by row, the keys: which rows are kept (a key seen before is refused), the rejects in line order.
  const kept = new Int32Array(part.n);
  let nKept = 0;
  let r = 0;
  /** The rows set aside here that name a subscriber, their month placed once the file's are known. */
  const named: { subscriber: string; month: number }[] = [];
  const replay = (upTo: number): void => {
    for (; r < part.rejects.length && part.rejects[r]!.before <= upTo; r++) {
      const x = part.rejects[r]!;
      if (x.kind === 'utf8') {
        bad.invalidUtf8(x.line, x.column, x.value);
        b.setAside.unnamed++;
      } else {
        bad.add(x.line, x.column, x.reason, x.value, x.message);
        if (x.subscriber === '') b.setAside.unnamed++;
        else named.push({ subscriber: x.subscriber, month: x.month });
      }
    }
  };
  const monthOf = part.nums[MONTH]!;
  let other = 0;
  let lastMonth = Number.NaN;
  /** The month of the last kept row: a file holds one month or a few, in runs. */
  let keptMonth = Number.NaN;
  let slots: Growable<Int32Array> | undefined;
  for (let row = 0; row < part.n; row++) {
    if (r < part.rejects.length) replay(row);
    const line = part.line[row]!;
    const key = part.keys[row]!;
    const otherId = key === NOT_NUMERIC ? part.otherIds[other++]! : '';
    const month = monthOf[row]!;
    let code = b.subscriber.find(key, otherId);
    if (month !== lastMonth) {
      lastMonth = month;
      slots = b.byMonth.get(month);
    }
    if (code >= 0 && slots !== undefined && code < slots.length && slots.get(code) > 0) {
      const id = key === NOT_NUMERIC ? otherId : idOfKey(key);
      const first = slots.get(code) - 1;
      const firstFile = earlier[b.fileOf.get(first)] ?? report;
      bad.add(
        line,
        'subscriber_id',
        'duplicate_key',
        id,
        `subscriber ${echo(id)} already has a row for this month at ${firstFile.path} ${where(firstFile, b.lineOf.get(first))}`,
      );
      continue;
    }
    if (code < 0) code = b.subscriber.add(key, key === NOT_NUMERIC ? otherId : idOfKey(key));
    if (slots === undefined) {
      slots = new Growable(Int32Array);
      b.byMonth.set(month, slots);
    }
    // Lengthened by doubling, not at every new subscriber; never past `most`, nor far past the
    // subscribers a month has (a file may hold many months of the same subscribers).
    if (code >= slots.length) slots.resize(Math.min(most, Math.max(code + 1, 2 * slots.length)), 0);
    slots.set(code, b.n + 1);
    b.subscriber.codes.push(code);
    b.fileOf.push(fileNo);
    b.lineOf.push(line);
    b.n++;
    kept[nKept++] = row;
    report.rows++;
    report.accepted++;
    if (month !== keptMonth) {
      keptMonth = month;
      months.add(month);
    }
    if (seenHere[code] === 0) {
      seenHere[code] = 1;
      subscribers++;
    }
  }
  // Column by column, the kept rows' values.
  appendCoded(b.plan, part.plan, kept, nKept);
  part.owners.forEach((o, j) => {
    appendCoded(b.owners[j]!.dict, o, kept, nKept);
  });
  for (let k = 0; k < NF; k++) {
    if (k === ID || k === PLAN) continue;
    const from = part.nums[k]!;
    if (nKept === part.n) {
      b.nums[k]!.push(from);
      continue;
    }
    const to = new Float64Array(nKept);
    for (let i = 0; i < nKept; i++) to[i] = from[kept[i]!]!;
    b.nums[k]!.push(to);
  }
  part.extras.forEach((cell, e) => {
    const x = extraState[e]!;
    for (let i = 0; i < nKept && x.values !== null; i++) {
      const row = kept[i]!;
      if (cell.bad[row] === 1) {
        x.values = null;
        x.firstText = `${path} ${part.format === 'csv' ? 'line' : 'row'} ${part.line[row]}`;
      } else {
        const v = cell.values[row]!;
        x.values.push(v);
        if (!Number.isNaN(v)) x.seen++;
      }
    }
  });
  replay(Number.POSITIVE_INFINITY);
  Object.assign(report, { format: part.format, gzip: part.gzip });
  // Columns this file lacks are missing for its rows.
  for (const x of b.extras.values()) if (x.values) x.values.resize(b.n, Number.NaN);
  report.months = [...months].sort((a, z) => a - z);
  report.subscribers = subscribers;
  // A row whose month cell cannot be read is of the file's month when the file holds one.
  for (const x of named) {
    const month = Number.isNaN(x.month) && report.months.length === 1 ? report.months[0]! : x.month;
    if (Number.isNaN(month)) b.setAside.unnamed++;
    else {
      b.setAside.subscribers.push(x.subscriber);
      b.setAside.months.push(month);
    }
  }
  if (opts.badRows === 'fail') checkBadShare(report, opts.config.input.max_bad_row_share);
  return report;
}
