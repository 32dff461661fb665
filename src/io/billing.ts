/**
 * The billing reader: files (CSV or Arrow, several stacked) into one BillingTable, built column by column
 * in growable typed arrays. Each row is checked against the contract; a bad row is rejected whole with
 * its first problem; `(subscriber_id, month)` must be unique across all files of one read.
 */
import { formatDate, formatMonth, monthEndDay } from '../calendar.js';
import { BILLING_FIELDS, type BillingTable } from '../contract.js';
import { echo, echoList } from '../echo.js';
import { type Column, makeFrame } from '../frame.js';
import { DictBuilder, Growable } from './builders.js';
import { cellError, parseCell } from './cells.js';
import { type ColumnMap, columnLabel, mapColumns } from './columns.js';
import { resolveReadOptions, withRejects } from './options.js';
import { readRecords, type TemporalHint } from './records.js';
import { checkBadShare, emptyReport, RejectCounter, where } from './rejects.js';
import type { FileReport, ReadOptions, RejectSink } from './types.js';
import { parseNumber } from './values.js';

const F = BILLING_FIELDS;
const NF = F.length;
// Positions in BILLING_FIELDS.
const ID = 0;
const MONTH = 1;
const ACTIVATION = 2;
const PLAN = 3;

class BillingBuilder {
  readonly subscriber = new DictBuilder();
  readonly plan = new DictBuilder();
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
    for (const [name, x] of this.extras) if (x.values && x.seen > 0) cols[`x_${name}`] = x.values.finish();
    return makeFrame(cols, this.n) as BillingTable;
  }
}

/** Reads billing files into one table; throws InputError on a missing column or (policy `fail`) too many bad rows. */
export async function readBilling(
  paths: readonly string[],
  options: Partial<ReadOptions> = {},
): Promise<{ table: BillingTable; files: FileReport[] }> {
  const opts = resolveReadOptions(options);
  return withRejects(opts.rejects, async (sink) => {
    const b = new BillingBuilder();
    const files: FileReport[] = [];
    const extraNames: string[][] = [];
    for (const path of paths) files.push(await readFile(path, b, files, extraNames, opts, sink));
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

async function readFile(
  path: string,
  b: BillingBuilder,
  earlier: readonly FileReport[],
  extraNamesOut: string[][],
  opts: ReadOptions,
  sink: RejectSink | null,
): Promise<FileReport> {
  const report = emptyReport(path, 'billing');
  const fileNo = earlier.length;
  const bad = new RejectCounter(report, sink, opts.sampleLimit);
  const err = cellError();
  const vals = new Float64Array(NF);
  const months = new Set<number>();
  let subscribers = 0;
  const seenHere = new Growable(Uint8Array);
  const startRow = b.n;
  let map: ColumnMap = { index: new Int32Array(0), extras: [] };
  let index: Int32Array<ArrayBufferLike> = map.index;
  let names: string[] = [];
  /** The last month seen and its last day: an activation date after it is a bad row. */
  let endMonth = Number.NaN;
  let endDay = Number.NaN;
  let extraCols: number[] = [];
  let extraState: { values: Growable<Float64Array> | null; seen: number }[] = [];
  let extraNames: string[] = [];

  const record = (fields: string[], line: number): void => {
    for (let k = 0; k < NF; k++) {
      const f = F[k]!;
      const at = index[k]!;
      let s = at < 0 ? '' : fields[at]!;
      if (s === '') {
        if (f.fallback !== undefined) s = f.fallback;
        else if (f.required) {
          bad.add(line, f.name, 'missing_value', '', `${f.name} is blank`);
          return;
        } else {
          vals[k] = Number.NaN;
          continue;
        }
      }
      const v = parseCell(f.type, s, err);
      if (Number.isNaN(v)) {
        bad.add(line, f.name, err.reason, s, `${f.name} ${err.message}: ${echo(s)}`);
        return;
      }
      vals[k] = v;
    }
    const id = fields[index[ID]!]!;
    const month = vals[MONTH]!;
    if (month !== endMonth) {
      endMonth = month;
      endDay = monthEndDay(month);
    }
    if (vals[ACTIVATION]! > endDay) {
      const activation = formatDate(vals[ACTIVATION]!);
      bad.add(
        line,
        'activation_date',
        'activation_after_month',
        fields[index[ACTIVATION]!]!,
        `activation_date ${activation} is after the billed month ${formatMonth(month)}`,
      );
      return;
    }
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
      return;
    }
    if (code === undefined) code = b.subscriber.code(id);
    if (slots === undefined) {
      slots = new Growable(Int32Array);
      b.byMonth.set(month, slots);
    }
    if (code >= slots.length) slots.resize(Math.max(code + 1, b.subscriber.dictionary.length), 0);
    slots.set(code, b.n + 1);
    b.subscriber.codes.push(code);
    b.plan.push(fields[index[PLAN]!]!);
    for (let k = 0; k < NF; k++) if (k !== ID && k !== PLAN) b.nums[k]!.push(vals[k]!);
    for (let e = 0; e < extraCols.length; e++) {
      const x = extraState[e]!;
      if (x.values === null) continue;
      const s = fields[extraCols[e]!]!;
      const v = s === '' ? Number.NaN : parseNumber(s);
      if (Number.isNaN(v) && s !== '') x.values = null;
      else {
        x.values.push(v);
        if (s !== '') x.seen++;
      }
    }
    b.fileOf.push(fileNo);
    b.lineOf.push(line);
    b.n++;
    report.rows++;
    report.accepted++;
    months.add(month);
    if (code >= seenHere.length) seenHere.resize(b.subscriber.dictionary.length, 0);
    if (seenHere.get(code) === 0) {
      seenHere.set(code, 1);
      subscribers++;
    }
  };

  const read = await readRecords(
    path,
    {
      header(found): TemporalHint[] {
        names = found;
        map = mapColumns(path, names, F, opts.config.columns.billing);
        index = map.index;
        extraCols = map.extras;
        extraNames = extraCols.map((i) => names[i]!);
        extraNamesOut.push(extraNames);
        extraState = extraNames.map((name) => {
          let x = b.extras.get(name);
          if (x === undefined) {
            const values = new Growable(Float64Array);
            values.resize(startRow, Number.NaN);
            x = { values, seen: 0 };
            b.extras.set(name, x);
          }
          return x;
        });
        const hints: TemporalHint[] = new Array(names.length).fill(undefined);
        F.forEach((f, k) => {
          const at = index[k]!;
          if (at >= 0 && (f.type.kind === 'month' || f.type.kind === 'date')) hints[at] = f.type.kind;
        });
        return hints;
      },
      record,
      malformed(line, message, value) {
        bad.add(line, null, 'malformed_row', value, message);
      },
      invalidUtf8(line, column, value) {
        bad.invalidUtf8(line, columnLabel(map, F, names, column), value);
      },
    },
    opts.onProgress ?? undefined,
  );
  Object.assign(report, { format: read.format, gzip: read.gzip });
  // Columns this file lacks are missing for its rows.
  for (const x of b.extras.values()) if (x.values) x.values.resize(b.n, Number.NaN);
  report.months = [...months].sort((a, z) => a - z);
  report.subscribers = subscribers;
  if (opts.badRows === 'fail') checkBadShare(report, opts.config.input.max_bad_row_share);
  return report;
}
