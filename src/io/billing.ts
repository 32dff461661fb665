/**
 * The billing reader: files (CSV or Arrow, several stacked) into one BillingTable, built column by column
 * in growable typed arrays. Each row is checked against the contract; a bad row is rejected whole with
 * its first problem; `(subscriber_id, month)` must be unique across all files of one read.
 *
 * The files are parsed on worker threads, several at once (billing-threads.ts), and merged here in
 * file order: subscriber codes, duplicate keys and rejects come out as one pass over the files would
 * give them.
 */
import { BILLING_FIELDS, type BillingTable } from '../contract.js';
import { echo, echoList } from '../echo.js';
import { type Column, makeFrame } from '../frame.js';
import { type BillingPart, type CodedText, ID, MONTH, NF, OWNERS, PLAN } from './billing-part.js';
import { billingParts } from './billing-threads.js';
import { DictBuilder, Growable } from './builders.js';
import { resolveReadOptions, withRejects } from './options.js';
import { checkBadShare, emptyReport, RejectCounter, where } from './rejects.js';
import type { FileReport, ReadOptions, RejectSink } from './types.js';

const F = BILLING_FIELDS;

class BillingBuilder {
  readonly subscriber = new DictBuilder();
  readonly plan = new DictBuilder();
  /** By position in OWNERS; `seen` once a file has the column, so the table has it. */
  readonly owners = OWNERS.map(() => ({ dict: new DictBuilder(), seen: false }));
  /** Numeric columns in BILLING_FIELDS order (id and plan slots unused). */
  readonly nums: Growable<Float64Array>[] = F.map(() => new Growable(Float64Array));
  readonly extras = new Map<string, { values: Growable<Float64Array> | null; seen: number }>();
  /** Per accepted row: which file and line, to name the first of a duplicate pair. */
  readonly fileOf = new Growable(Uint16Array);
  readonly lineOf = new Growable(Int32Array);
  /** Per month: accepted row + 1 by subscriber code (0 = none yet). */
  readonly byMonth = new Map<number, Growable<Int32Array>>();
  n = 0;

  finish(): BillingTable {
    const cols: Record<string, Column> = {
      subscriber_id: this.subscriber.finish(),
      month: Int32Array.from(this.nums[1]!.finish()),
      activation_date: Int32Array.from(this.nums[2]!.finish()),
      plan_id: this.plan.finish(),
      plan_end_date: this.nums[4]!.finish(),
      billed_amount: this.nums[5]!.finish(),
      status: Uint8Array.from(this.nums[6]!.finish()),
      suspension_count: Int32Array.from(this.nums[7]!.finish()),
      card_type: Uint8Array.from(this.nums[8]!.finish()),
      customer_type: Uint8Array.from(this.nums[9]!.finish()),
      ownership_change: Uint8Array.from(this.nums[10]!.finish()),
      plan_change: Uint8Array.from(this.nums[11]!.finish()),
      do_not_disturb: Uint8Array.from(this.nums[12]!.finish()),
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
): Promise<{ table: BillingTable; files: FileReport[] }> {
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
      for (const name of extraNames[i]!) {
        const x = b.extras.get(name)!;
        if (x.values && x.seen > 0) f.extraColumns.push(`x_${name}`);
        else f.ignoredColumns.push(name);
      }
      if (f.ignoredColumns.length > 0)
        f.notices.push(
          `${f.path}: ignored extra columns that are not numeric: ${echoList(f.ignoredColumns)}`,
        );
    });
    return { table, files };
  });
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
  const seenHere = new Growable(Uint8Array);
  OWNERS.forEach((k, o) => {
    if (part.index[k]! >= 0) b.owners[o]!.seen = true;
  });
  extraNamesOut.push(part.extraNames);
  const extraState = part.extraNames.map((name) => {
    let x = b.extras.get(name);
    if (x === undefined) {
      const values = new Growable(Float64Array);
      values.resize(b.n, Number.NaN);
      x = { values, seen: 0 };
      b.extras.set(name, x);
    }
    return x;
  });
  // Row by row, the keys: which rows are kept (a key seen before is refused), the rejects in line order.
  const kept = new Int32Array(part.n);
  let nKept = 0;
  let r = 0;
  const replay = (upTo: number): void => {
    for (; r < part.rejects.length && part.rejects[r]!.before <= upTo; r++) {
      const x = part.rejects[r]!;
      if (x.kind === 'utf8') bad.invalidUtf8(x.line, x.column, x.value);
      else bad.add(x.line, x.column, x.reason, x.value, x.message);
    }
  };
  const monthOf = part.nums[MONTH]!;
  for (let row = 0; row < part.n; row++) {
    replay(row);
    const line = part.line[row]!;
    const id = part.ids[row]!;
    const month = monthOf[row]!;
    let code = b.subscriber.index.get(id);
    let slots = b.byMonth.get(month);
    if (code !== undefined && slots !== undefined && code < slots.length && slots.get(code) > 0) {
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
    if (code === undefined) code = b.subscriber.code(id);
    if (slots === undefined) {
      slots = new Growable(Int32Array);
      b.byMonth.set(month, slots);
    }
    if (code >= slots.length) slots.resize(Math.max(code + 1, b.subscriber.dictionary.length), 0);
    slots.set(code, b.n + 1);
    b.subscriber.codes.push(code);
    b.fileOf.push(fileNo);
    b.lineOf.push(line);
    b.n++;
    kept[nKept++] = row;
    report.rows++;
    report.accepted++;
    months.add(month);
    if (code >= seenHere.length) seenHere.resize(b.subscriber.dictionary.length, 0);
    if (seenHere.get(code) === 0) {
      seenHere.set(code, 1);
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
    const to = b.nums[k]!;
    for (let i = 0; i < nKept; i++) to.push(from[kept[i]!]!);
  }
  part.extras.forEach((cell, e) => {
    const x = extraState[e]!;
    for (let i = 0; i < nKept && x.values !== null; i++) {
      const row = kept[i]!;
      if (cell.bad[row] === 1) x.values = null;
      else {
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
  if (opts.badRows === 'fail') checkBadShare(report, opts.config.input.max_bad_row_share);
  return report;
}
