/**
 * One billing file read on its own, on a worker thread or in-process: every row's cells checked
 * against the contract and typed, its texts coded in first-seen order of this file. What needs the
 * other files (subscriber codes across files, a `(subscriber_id, month)` key seen before) is left to
 * billing.ts, which merges the parts in file order. A row refused by its own cells is kept as the
 * reject it makes, placed before the kept row that follows it, so the merge replays every reject in
 * file order.
 */
import { formatDate, formatMonth, monthEndDay } from '../calendar.js';
import type { Config } from '../config.js';
import { BILLING_FIELDS } from '../contract.js';
import { echo } from '../echo.js';
import { NOT_NUMERIC, numericKey, numericKeyOfBytes } from '../subscriber-key.js';
import { billingPlainRow, plainBillingFields, plainNumber } from './billing-bytes.js';
import { Chunked } from './builders.js';
import { CellDictionary } from './cell-bytes.js';
import { cellError, parseCell } from './cells.js';
import { type ColumnMap, columnLabel, mapColumns } from './columns.js';
import type { OnReadProgress } from './open.js';
import { readRecords, type TemporalHint } from './records.js';
import type { FileFormat, RejectReason } from './types.js';
import { parseNumber } from './values.js';

export const F = BILLING_FIELDS;
export const NF = F.length;
// Positions in BILLING_FIELDS.
export const ID = 0;
export const MONTH = 1;
const ACTIVATION = 2;
export const PLAN = 3;
/** The owner columns (unit, manager): text kept as read, a blank cell as no owner (code −1). */
export const OWNERS = F.flatMap((f, k) => (f.name === 'unit' || f.name === 'manager' ? [k] : []));

/** Texts coded in first-seen order of one file; code −1: a blank owner. */
export interface CodedText {
  readonly codes: Int32Array;
  readonly dictionary: string[];
}

/** A row refused by its own cells, met before the `before`-th kept row. */
export type PartReject = { readonly before: number; readonly line: number } & (
  | {
      readonly kind: 'cell';
      /** The subscriber id the row names ('' when it cannot be read) and its month (NaN: not read). */
      readonly subscriber: string;
      readonly month: number;
      readonly column: string | null;
      readonly reason: RejectReason;
      readonly value: string;
      readonly message: string;
    }
  | { readonly kind: 'utf8'; readonly column: string; readonly value: string }
);

/** A billing file's rows that passed their own checks; plain data, so it crosses threads as it is. */
export interface BillingPart {
  readonly format: FileFormat;
  readonly gzip: boolean;
  /** Position of each BILLING_FIELDS column in the file (−1: absent). */
  readonly index: Int32Array;
  /** Names of the file's extra columns, in file order. */
  readonly extraNames: string[];
  readonly n: number;
  readonly line: Int32Array;
  /** Per BILLING_FIELDS position, the typed value of each kept row (text columns hold 0). */
  readonly nums: Float64Array[];
  /**
   * Each kept row's subscriber id as its numericKey (subscriber-key.ts), NOT_NUMERIC for an id that
   * is not one: ids are distinct within a file but for repeated keys, so not coded here, and most
   * are digit strings, which cross threads and are looked up as numbers, not strings.
   */
  readonly keys: Float64Array;
  /** The ids that are not numeric keys, in row order. */
  readonly otherIds: string[];
  readonly plan: CodedText;
  /** By position in OWNERS. */
  readonly owners: CodedText[];
  /** Per extra column: each kept row's number (NaN: blank or not a number) and whether it was not one. */
  readonly extras: { readonly values: Float64Array; readonly bad: Uint8Array }[];
  readonly rejects: PartReject[];
}

/** A text column of one file: its distinct texts, looked up by text or by bytes, and each kept row's code. */
export class TextCodes {
  readonly dict = new CellDictionary();
  readonly codes = new Chunked(Int32Array);

  code(s: string): number {
    const c = this.dict.find(s);
    return c >= 0 ? c : this.dict.add(s);
  }

  codeBytes(b: Buffer, s: number, e: number): number {
    const c = this.dict.findBytes(b, s, e);
    return c >= 0 ? c : this.dict.add(b.toString('latin1', s, e));
  }

  finish(): CodedText {
    return { codes: this.codes.finish(), dictionary: this.dict.entries };
  }
}

/** What reading a billing file needs of the config: how its columns are named. */
export interface BillingPartConfig {
  readonly columns: Pick<Config['columns'], 'billing'>;
}

/** Reads one billing file into a part; throws InputError for a file that cannot be read or lacks a column. */
export async function readBillingPart(
  path: string,
  config: BillingPartConfig,
  onProgress?: OnReadProgress,
): Promise<BillingPart> {
  const err = cellError();
  const vals = new Float64Array(NF);
  const nums = F.map(() => new Chunked(Float64Array));
  const line = new Chunked(Int32Array);
  const keys = new Chunked(Float64Array);
  const otherIds: string[] = [];
  const pushId = (id: string): void => {
    const key = numericKey(id);
    keys.push(key);
    if (key === NOT_NUMERIC) otherIds.push(id);
  };
  const plan = new TextCodes();
  const owners = OWNERS.map(() => new TextCodes());
  const rejects: PartReject[] = [];
  let n = 0;
  let map: ColumnMap = { index: new Int32Array(0), extras: [] };
  let index: Int32Array<ArrayBufferLike> = map.index;
  let names: string[] = [];
  let extraCols: number[] = [];
  let extras: { values: Chunked<Float64Array>; bad: Chunked<Uint8Array> }[] = [];
  /** The last month seen and its last day: an activation date after it is a bad row. */
  let endMonth = Number.NaN;
  let endDay = Number.NaN;
  const monthError = cellError();
  /** The cells of the row being read, or of a malformed row as far as they can be cut. */
  let cells: readonly string[] | null = null;
  const reject = (
    at: number,
    column: string | null,
    reason: RejectReason,
    value: string,
    message: string,
  ) => {
    const id = index[ID]! >= 0 ? (cells?.[index[ID]!] ?? '') : '';
    const m = index[MONTH]! >= 0 ? (cells?.[index[MONTH]!] ?? '') : '';
    const month = m === '' ? Number.NaN : parseCell(F[MONTH]!.type, m, monthError);
    rejects.push({
      kind: 'cell',
      before: n,
      line: at,
      column,
      reason,
      value,
      message,
      subscriber: id,
      month,
    });
  };

  const record = (fields: string[], at: number): void => {
    cells = fields;
    readRecord(fields, at);
    cells = null;
  };
  const readRecord = (fields: string[], at: number): void => {
    for (let k = 0; k < NF; k++) {
      const f = F[k]!;
      const pos = index[k]!;
      let s = pos < 0 ? '' : fields[pos]!;
      if (s === '') {
        if (f.fallback !== undefined) s = f.fallback;
        else if (f.required) {
          reject(at, f.name, 'missing_value', '', `${f.name} is blank`);
          return;
        } else {
          vals[k] = Number.NaN;
          continue;
        }
      }
      const v = parseCell(f.type, s, err);
      if (Number.isNaN(v)) {
        reject(at, f.name, err.reason, s, `${f.name} ${err.message}: ${echo(s)}`);
        return;
      }
      vals[k] = v;
    }
    const month = vals[MONTH]!;
    if (month !== endMonth) {
      endMonth = month;
      endDay = monthEndDay(month);
    }
    if (vals[ACTIVATION]! > endDay) {
      const activation = formatDate(vals[ACTIVATION]!);
      reject(
        at,
        'activation_date',
        'activation_after_month',
        fields[index[ACTIVATION]!]!,
        `activation_date ${activation} is after the billed month ${formatMonth(month)}`,
      );
      return;
    }
    pushId(fields[index[ID]!]!);
    plan.codes.push(plan.code(fields[index[PLAN]!]!));
    for (let k = 0; k < NF; k++) nums[k]!.push(vals[k]!);
    OWNERS.forEach((k, o) => {
      const pos = index[k]!;
      const text = pos < 0 ? '' : fields[pos]!;
      const owner = owners[o]!;
      owner.codes.push(text === '' ? -1 : owner.code(text));
    });
    for (let e = 0; e < extraCols.length; e++) {
      const s = fields[extraCols[e]!]!;
      const v = s === '' ? Number.NaN : parseNumber(s);
      extras[e]!.values.push(v);
      extras[e]!.bad.push(Number.isNaN(v) && s !== '' ? 1 : 0);
    }
    line.push(at);
    n++;
  };

  // A plain CSV record read from its bytes: only a row whose every cell passes is taken here; any
  // other row goes to record(), which names what is wrong with it.
  const plain = plainBillingFields();
  const plainRecord = (b: Buffer, spans: Int32Array, at: number): boolean => {
    if (!billingPlainRow(b, spans, index, vals, plain)) return false;
    const month = vals[MONTH]!;
    if (month !== endMonth) {
      endMonth = month;
      endDay = monthEndDay(month);
    }
    if (vals[ACTIVATION]! > endDay) return false;
    const idAt = 2 * index[ID]!;
    const key = numericKeyOfBytes(b, spans[idAt]!, spans[idAt + 1]!);
    if (key === NOT_NUMERIC) pushId(b.toString('latin1', spans[idAt]!, spans[idAt + 1]!));
    else keys.push(key);
    const planAt = 2 * index[PLAN]!;
    plan.codes.push(plan.codeBytes(b, spans[planAt]!, spans[planAt + 1]!));
    for (let k = 0; k < NF; k++) nums[k]!.push(vals[k]!);
    for (let o = 0; o < OWNERS.length; o++) {
      const pos = index[OWNERS[o]!]!;
      const owner = owners[o]!;
      const s = pos < 0 ? 0 : spans[2 * pos]!;
      const e = pos < 0 ? 0 : spans[2 * pos + 1]!;
      owner.codes.push(e === s ? -1 : owner.codeBytes(b, s, e));
    }
    for (let e = 0; e < extraCols.length; e++) {
      const c = extraCols[e]!;
      const from = spans[2 * c]!;
      const to = spans[2 * c + 1]!;
      const v = from === to ? Number.NaN : plainNumber(b, from, to);
      extras[e]!.values.push(v);
      extras[e]!.bad.push(Number.isNaN(v) && from !== to ? 1 : 0);
    }
    line.push(at);
    n++;
    return true;
  };

  const read = await readRecords(
    path,
    {
      header(found): TemporalHint[] {
        names = found;
        map = mapColumns(path, names, F, config.columns.billing);
        index = map.index;
        extraCols = map.extras;
        extras = extraCols.map(() => ({ values: new Chunked(Float64Array), bad: new Chunked(Uint8Array) }));
        const hints: TemporalHint[] = new Array(names.length).fill(undefined);
        F.forEach((f, k) => {
          const pos = index[k]!;
          if (pos >= 0 && (f.type.kind === 'month' || f.type.kind === 'date')) hints[pos] = f.type.kind;
        });
        return hints;
      },
      record,
      plainRecord,
      malformed(at, message, value) {
        // Its cells as a quote-free line cuts them: the subscriber a row cut short names is not churned.
        cells = value.includes('"') ? null : value.split(',');
        reject(at, null, 'malformed_row', value, message);
        cells = null;
      },
      invalidUtf8(at, column, value) {
        rejects.push({
          kind: 'utf8',
          before: n,
          line: at,
          column: columnLabel(map, F, names, column),
          value,
        });
      },
    },
    onProgress,
  );
  return {
    format: read.format,
    gzip: read.gzip,
    index: Int32Array.from(index),
    extraNames: extraCols.map((i) => names[i]!),
    n,
    line: line.finish(),
    nums: nums.map((g) => g.finish()),
    keys: keys.finish(),
    otherIds,
    plan: plan.finish(),
    owners: owners.map((o) => o.finish()),
    extras: extras.map((x) => ({ values: x.values.finish(), bad: x.bad.finish() })),
    rejects,
  };
}
