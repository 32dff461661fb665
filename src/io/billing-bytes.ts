/**
 * A billing row read straight from the bytes of a plain CSV record (RecordHandler.plainRecord), with
 * no string per cell: months and dates cut from their digits, numbers as parseNumber reads them,
 * flags and enum values compared byte by byte. It takes only a row whose every cell passes its
 * contract check, and gives for it exactly what parseCell gives for the cells' texts; any other row
 * is declined, and the text path names what is wrong with it.
 */
import { dayOfDate, monthIndex } from '../calendar.js';
import { BILLING_FIELDS, type FieldType } from '../contract.js';
import { digitsAt, latin1 } from './cell-bytes.js';
import { cellError, parseCell } from './cells.js';
import { POW10, parseNumber } from './values.js';

const F = BILLING_FIELDS;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;

/** What checking a billing field from bytes needs, per BILLING_FIELDS position. */
export interface PlainBillingField {
  readonly type: FieldType;
  readonly required: boolean;
  /** The value a blank or absent cell takes (NaN: none, the cell stays missing). */
  readonly fallback: number;
  /** An enum's values as bytes. */
  readonly values: readonly Buffer[];
}

/** The billing fields as plainBillingRow reads them; the fallbacks are parsed once here. */
export function plainBillingFields(): PlainBillingField[] {
  const err = cellError();
  return F.map((f) => ({
    type: f.type,
    required: f.required,
    fallback: f.fallback === undefined ? Number.NaN : parseCell(f.type, f.fallback, err),
    values: f.type.kind === 'enum' ? f.type.values.map((v) => Buffer.from(v, 'latin1')) : [],
  }));
}

/** The number b[s, e) reads as by parseNumber of its text (NaN when it is not one). */
export function plainNumber(b: Buffer, s: number, e: number): number {
  const n = e - s;
  if (n === 0 || n > 16) return parseNumber(latin1(b, s, e));
  let i = s;
  let neg = false;
  const c0 = b[s]!;
  if (c0 === MINUS || c0 === PLUS) {
    neg = c0 === MINUS;
    i++;
    if (n === 1) return Number.NaN;
  }
  let v = 0;
  let scale = -1;
  let digits = 0;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === DOT && scale < 0) scale = 0;
    else return parseNumber(latin1(b, s, e));
  }
  if (digits === 0) return Number.NaN;
  const r = scale > 0 ? v / POW10[scale]! : v;
  return neg ? -r : r;
}

/** `YYYY-MM` as parseMonth reads it; NaN otherwise. */
function monthAt(b: Buffer, s: number, e: number): number {
  if (e - s !== 7 || b[s + 4] !== MINUS) return Number.NaN;
  const y = digitsAt(b, s, s + 4);
  const m = digitsAt(b, s + 5, s + 7);
  if (Number.isNaN(y) || Number.isNaN(m) || m < 1 || m > 12) return Number.NaN;
  return monthIndex(y, m);
}

/** `YYYY-MM-DD` as parseDate reads it; NaN otherwise. */
function dateAt(b: Buffer, s: number, e: number): number {
  if (e - s !== 10 || b[s + 4] !== MINUS || b[s + 7] !== MINUS) return Number.NaN;
  return dayOfDate(digitsAt(b, s, s + 4), digitsAt(b, s + 5, s + 7), digitsAt(b, s + 8, s + 10));
}

function enumAt(values: readonly Buffer[], b: Buffer, s: number, e: number): number {
  const n = e - s;
  next: for (let v = 0; v < values.length; v++) {
    const x = values[v]!;
    if (x.length !== n) continue;
    for (let i = 0; i < n; i++) if (x[i] !== b[s + i]) continue next;
    return v;
  }
  return -1;
}

/** A non-blank cell's value as parseCell gives it, or NaN for a cell parseCell refuses (or a date-time). */
function cellAt(f: PlainBillingField, b: Buffer, s: number, e: number): number {
  const type = f.type;
  switch (type.kind) {
    case 'id':
    case 'string':
      return 0;
    case 'month':
      return monthAt(b, s, e);
    case 'date':
      return dateAt(b, s, e);
    case 'amount': {
      const v = plainNumber(b, s, e);
      return Number.isFinite(v) && v >= 0 ? v : Number.NaN;
    }
    case 'count': {
      const v = plainNumber(b, s, e);
      return Number.isFinite(v) && v >= 0 && Number.isInteger(v) && v <= Number.MAX_SAFE_INTEGER
        ? v
        : Number.NaN;
    }
    case 'flag':
      if (e - s !== 1) return Number.NaN;
      return b[s] === 48 ? 0 : b[s] === 49 ? 1 : Number.NaN;
    case 'enum': {
      const v = enumAt(f.values, b, s, e);
      return v < 0 ? Number.NaN : v;
    }
    default:
      return Number.NaN;
  }
}

/**
 * Fills `vals` (per BILLING_FIELDS position) from the record whose field c is b[spans[2c],
 * spans[2c + 1]), given each field's column in `index` (−1: absent); false when some cell is not
 * accepted as it is (`vals` is then partly written), so the text path reads the row.
 */
export function billingPlainRow(
  b: Buffer,
  spans: Int32Array,
  index: Int32Array,
  vals: Float64Array,
  fields: readonly PlainBillingField[],
): boolean {
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k]!;
    const pos = index[k]!;
    const s = pos < 0 ? 0 : spans[2 * pos]!;
    const e = pos < 0 ? 0 : spans[2 * pos + 1]!;
    if (e === s) {
      if (!Number.isNaN(f.fallback)) vals[k] = f.fallback;
      else if (f.required) return false;
      else vals[k] = Number.NaN;
      continue;
    }
    const v = cellAt(f, b, s, e);
    if (Number.isNaN(v)) return false;
    vals[k] = v;
  }
  return true;
}
