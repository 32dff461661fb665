/**
 * The cells of a CSV file written straight from typed columns (write.ts writeCsv). Each column is
 * turned once into a cell writer for its kind of data, so the row loop makes no string and boxes no
 * value for a number, a dictionary entry or a month:
 *
 * - numbers from a typed array, as CsvBytes writes them (a Float64Array optionally rounded to a
 *   number of decimals, as `Math.round(v · 10^d) / 10^d`);
 * - a dictionary column's entries, each made a cell (csvTextCell) and encoded once into a byte pool;
 * - values that repeat (months, dates) formatted once per distinct value;
 * - anything else through the column's `value(i)`.
 *
 * The byte pools live in a CellCache, which a set of files written together shares (a call list
 * holds the same subscribers, segments and reasons as scores.csv): each entry is encoded once for
 * all of them. Every path writes exactly the bytes `value(i)` would give.
 */
import type { DictColumn, NumericColumn } from '../frame.js';
import type { CsvBytes } from './write-bytes.js';
import { RowCache } from './write-rows.js';

const SIGNED_NUMBER = /^[+-]\d+(\.\d+)?$/;
const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** A text cell made safe for spreadsheets and quoted per RFC 4180 when needed (see write.ts). */
export function csvTextCell(s: string): string {
  const c = s.charCodeAt(0);
  // = + - @ TAB CR start a formula in spreadsheet programs; a quote is doubled to keep the inverse exact.
  const formula = c === 61 || c === 64 || c === 9 || c === CR || c === 39;
  const signed = (c === 43 || c === 45) && !SIGNED_NUMBER.test(s);
  const t = formula || signed ? `'${s}` : s;
  for (let i = 0; i < t.length; i++) {
    const d = t.charCodeAt(i);
    if (d === COMMA || d === QUOTE || d === LF || d === CR) return `"${t.replaceAll('"', '""')}"`;
  }
  return t;
}

/** The value a text cell of retain's own CSV output was written from: csvTextCell's quote taken off. */
export function csvTextValue(cell: string): string {
  return cell.charCodeAt(0) === 39 ? cell.slice(1) : cell;
}

/**
 * Whether the UTF-8 bytes b[s, e) of a text are its CSV cell as they are: csvTextCell would neither
 * mark nor quote it. It looks at bytes, not characters: every character csvTextCell looks for is
 * ASCII, and in UTF-8 an ASCII byte is never part of another character.
 */
function plainCell(b: Uint8Array, s: number, e: number): boolean {
  if (s === e) return true;
  const c = b[s]!;
  if (c === 61 || c === 64 || c === 9 || c === CR || c === 39 || c === 43 || c === 45) return false;
  for (let k = s; k < e; k++) {
    const d = b[k]!;
    if (d === COMMA || d === QUOTE || d === LF || d === CR) return false;
  }
  return true;
}

/** What a column's cells are made from, when the writer can read it directly. */
export type CellSource =
  | { readonly kind: 'dict'; readonly column: DictColumn }
  | { readonly kind: 'numbers'; readonly values: NumericColumn; readonly decimals?: number }
  | {
      readonly kind: 'repeated';
      readonly values: ArrayLike<number>;
      /** The text of a value, or null for a blank cell; called once per distinct value. */
      readonly format: (v: number) => string | null;
    };

/** A column as the writer sees it: `value(i)` always, a source when there is a faster path. */
export interface CellColumn {
  readonly kind: 'text' | 'number';
  value(i: number): string | number | null;
  readonly source?: CellSource;
}

/** Writes the cell of row i (nothing for a blank one). */
export type CellWriter = (out: CsvBytes, i: number) => void;

/**
 * A dictionary's entries as CSV cells, each encoded (UTF-8) when first asked for, into one growing
 * byte pool: entry `code` is bytes [start[code], end[code]) of `bytes`.
 */
export class DictCells {
  bytes: Buffer;
  /** `bytes` as a plain Uint8Array, for CsvBytes.range. */
  view: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  private used = 0;

  constructor(readonly dictionary: readonly string[]) {
    this.start = new Int32Array(dictionary.length).fill(-1);
    this.end = new Int32Array(dictionary.length);
    // Room for every entry as ASCII with a mark and quotes: one buffer, grown only for other text.
    // Pages not written to (entries never asked for) take no memory.
    let room = 64;
    for (const entry of dictionary) room += entry.length + 3;
    this.bytes = Buffer.allocUnsafe(room);
    this.view = plain(this.bytes);
  }

  /**
   * Encodes entry `code` (not yet encoded) into the pool: its text as it is, looked over as bytes
   * (the text of a dictionary built by concatenation is slow to read character by character), and
   * only when that is not its cell, the cell csvTextCell makes of it.
   */
  encode(code: number): void {
    const text = this.dictionary[code]!;
    const at = this.used;
    this.room(3 * text.length);
    let end = at + this.bytes.write(text, at, 'utf8');
    if (!plainCell(this.bytes, at, end)) {
      const cell = csvTextCell(text);
      this.room(3 * cell.length);
      end = at + this.bytes.write(cell, at, 'utf8');
    }
    this.start[code] = at;
    this.end[code] = end;
    this.used = end;
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.used + bytes));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
    this.view = plain(grown);
  }
}

const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/**
 * What the files of one write share: dictionary cells, keyed by the dictionary they encode, and the
 * leading cells of rows that several files repeat (write-rows.ts).
 */
export class CellCache {
  readonly #pools = new WeakMap<readonly string[], DictCells>();
  readonly rows: RowCache;

  /** `rowBudget`: most bytes of leading cells kept (write-rows.ts). */
  constructor(rowBudget?: number) {
    this.rows = new RowCache(rowBudget);
  }

  of(dictionary: readonly string[]): DictCells {
    let pool = this.#pools.get(dictionary);
    if (pool === undefined) {
      pool = new DictCells(dictionary);
      this.#pools.set(dictionary, pool);
    }
    return pool;
  }
}

/** The writer of a column's cells. */
export function cellWriter(c: CellColumn, cache: CellCache): CellWriter {
  const s = c.source;
  if (s === undefined) return valueCells(c);
  switch (s.kind) {
    case 'dict':
      return dictCells(s.column.codes, cache.of(s.column.dictionary));
    case 'numbers':
      return numberCells(s.values, s.decimals);
    case 'repeated':
      return repeatedCells(s.values, s.format);
  }
}

function dictCells(codes: Int32Array, pool: DictCells): CellWriter {
  const { start, end } = pool;
  return (out, i) => {
    const code = codes[i]!;
    if (code < 0) return;
    if (start[code]! < 0) pool.encode(code);
    out.range(pool.view, start[code]!, end[code]!);
  };
}

// One writer per array type, so each one's element reads stay monomorphic.
function numberCells(values: NumericColumn, decimals: number | undefined): CellWriter {
  if (values instanceof Float64Array) {
    if (decimals === undefined) return (out, i) => out.number(values[i]!);
    const scale = 10 ** decimals;
    return (out, i) => out.number(Math.round(values[i]! * scale) / scale);
  }
  if (values instanceof Int32Array) return (out, i) => out.number(values[i]!);
  return (out, i) => out.number(values[i]!);
}

function repeatedCells(values: ArrayLike<number>, format: (v: number) => string | null): CellWriter {
  const made = new Map<number, Uint8Array>();
  let last = Number.NaN;
  let lastBytes: Uint8Array | null = null;
  return (out, i) => {
    const v = values[i]!;
    if (v !== last || lastBytes === null) {
      let b = made.get(v);
      if (b === undefined) {
        const text = format(v);
        b = plain(Buffer.from(text === null ? '' : csvTextCell(text), 'utf8'));
        made.set(v, b);
      }
      last = v;
      lastBytes = b;
    }
    out.range(lastBytes, 0, lastBytes.length);
  };
}

function valueCells(c: CellColumn): CellWriter {
  const number = c.kind === 'number';
  return (out, i) => {
    const v = c.value(i);
    if (v === null) return;
    if (typeof v === 'number') out.number(v);
    else if (v !== '') out.text(number ? v : csvTextCell(v));
  };
}
