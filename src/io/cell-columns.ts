/**
 * A wide table's columns as typed arrays, built cell by cell while a file is read, so a table of
 * millions of rows never exists as strings. Each column keeps what the table encoding decides from:
 *
 * - `values`: the number each cell reads as (`tableNumber`), NaN for a blank or text cell;
 * - counts of blank and numeric cells, whether every filled cell is the same, the first three
 *   distinct text cells;
 * - `codes` into `dictionary` (the distinct trimmed cells, first-seen order) for low-cardinality and
 *   text columns. A column with numbers stops keeping codes once it has more than DISTINCT_CAP
 *   distinct cells: it can only be encoded as numbers then (or dropped as mixed), and a million-row
 *   numeric column must not become a million-entry map;
 * - `texts`: every trimmed cell, only for the columns asked for by name (subscriber ids).
 *
 * Storage grows in fixed chunks, joined once at the end: no doubling copies of every column at once.
 */
import { bytesNumber, CellDictionary, isSpace, latin1, sameText } from './cell-bytes.js';

/**
 * Distinct cells a column with numbers keeps codes for: above any category count the encoding allows
 * (a column with more distinct values and numbers among them can only be numeric or dropped as mixed).
 */
export const DISTINCT_CAP = 1024;
const CHUNK = 1 << 16;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell trimmed; null (missing) is blank. */
export function tableCell(v: string | null | undefined): string {
  return v == null ? '' : v.trim();
}

/**
 * The number a trimmed cell reads as: plain decimal or exponent notation, else NaN. A spelling too
 * large for a double (1e400) is not a number: it reads as text, as `bytesNumber` reads it.
 */
export function tableNumber(c: string): number {
  if (!NUMBER.test(c)) return Number.NaN;
  const v = Number(c);
  return Number.isFinite(v) ? v : Number.NaN;
}

export interface CellColumn {
  readonly n: number;
  readonly values: Float64Array;
  readonly blanks: number;
  readonly numbers: number;
  /** The first filled cell (trimmed), and whether every filled cell equals it. */
  readonly first: string | null;
  readonly allSame: boolean;
  /** The first three distinct non-blank cells that are not numbers, in first-seen order. */
  readonly strayText: readonly string[];
  /** Distinct trimmed non-blank cells in first-seen order (complete while `codes` is kept). */
  readonly dictionary: readonly string[];
  /** Dictionary index of each cell, -1 for blank; null once a column with numbers passed DISTINCT_CAP. */
  readonly codes: Int32Array | null;
  /** Every cell trimmed ('' for blank), for the columns asked for as text; else null. */
  readonly texts: readonly string[] | null;
}

export interface CellTable {
  readonly names: readonly string[];
  readonly columns: readonly CellColumn[];
  readonly rowCount: number;
  /** The file it was read from, for messages about its content. */
  readonly path?: string;
  /** Where each row sits in that file, for messages naming rows. */
  readonly places?: RowPlaces;
}

/**
 * Where a table's rows sit in its file: the CSV line or the Arrow/Parquet row (from 1) of each.
 * Kept as the rows where `place - row` changes (after the header, a quoted line break, a skipped
 * line), so it costs nothing for a table with one record a line.
 */
export interface RowPlaces {
  readonly word: 'line' | 'row';
  /** Ascending rows (from 0) from which place = row + shift[k]. */
  readonly from: Int32Array;
  readonly shift: Int32Array;
}

/** Collects RowPlaces while records are read, each with the place the reader gives it. */
export class RowPlacesBuilder {
  #from: number[] = [];
  #shift: number[] = [];
  #rows = 0;

  add(place: number): void {
    const shift = place - this.#rows;
    if (this.#shift.length === 0 || this.#shift[this.#shift.length - 1] !== shift) {
      this.#from.push(this.#rows);
      this.#shift.push(shift);
    }
    this.#rows++;
  }

  finish(word: 'line' | 'row'): RowPlaces {
    return { word, from: Int32Array.from(this.#from), shift: Int32Array.from(this.#shift) };
  }
}

/** The place of `row` (from 0) in its file; row + 1 when the places are not known. */
export function placeOfRow(places: RowPlaces | undefined, row: number): number {
  if (places === undefined || places.from.length === 0) return row + 1;
  let lo = 0;
  let hi = places.from.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (places.from[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return row + places.shift[lo]!;
}

function joinChunks<T extends Float64Array | Int32Array>(chunks: T[], n: number, make: (n: number) => T): T {
  const out = make(n);
  chunks.forEach((chunk, k) => {
    out.set(chunk.subarray(0, Math.min(CHUNK, n - k * CHUNK)), k * CHUNK);
  });
  chunks.length = 0;
  return out;
}

export class CellColumnBuilder {
  #n = 0;
  #values: Float64Array[] = [];
  #codes: Int32Array[] | null = [];
  /** The chunks cells go to now: the last of #values and of #codes. */
  #valueChunk = new Float64Array(0);
  #codeChunk: Int32Array | null = null;
  #blanks = 0;
  #numbers = 0;
  #first: string | null = null;
  #allSame = true;
  #stray: string[] = [];
  #dictionary = new CellDictionary();
  #texts: string[] | null;

  constructor(keepText: boolean) {
    this.#texts = keepText ? [] : null;
  }

  /** Takes the next cell as text (null is blank). */
  add(raw: string | null | undefined): void {
    const i = this.#next();
    const c = tableCell(raw);
    this.#texts?.push(c);
    if (c === '') {
      this.#blank(i);
      return;
    }
    const v = tableNumber(c);
    this.#number(i, v, c);
    if (this.#first === null) this.#first = c;
    else if (this.#allSame && c !== this.#first) this.#allSame = false;
    if (this.#codes === null) return;
    const code = this.#dictionary.find(c);
    this.#code(i, code < 0 ? this.#newCode(c) : code);
  }

  /**
   * Takes the next cell as the ASCII bytes b[s, e), as `add` takes their text, making a string only
   * for a distinct cell first seen, stray text and kept text.
   */
  addBytes(b: Buffer, s: number, e: number): void {
    if (this.#texts !== null) {
      this.add(latin1(b, s, e));
      return;
    }
    while (s < e && isSpace(b[s]!)) s++;
    while (e > s && isSpace(b[e - 1]!)) e--;
    const i = this.#next();
    if (s === e) {
      this.#blank(i);
      return;
    }
    const v = bytesNumber(b, s, e);
    this.#valueChunk[i] = v;
    if (!Number.isNaN(v)) this.#numbers++;
    else if (this.#stray.length < 3) this.#strayText(latin1(b, s, e));
    if (this.#allSame) {
      if (this.#first === null) this.#first = latin1(b, s, e);
      else if (!sameText(this.#first, b, s, e)) this.#allSame = false;
    }
    const codes = this.#codeChunk;
    if (codes === null) return;
    const code = this.#dictionary.findBytes(b, s, e);
    if (code >= 0) codes[i] = code;
    else this.#code(i, this.#newCode(latin1(b, s, e)));
  }

  /** The next cell's place in the current chunk, starting a chunk when needed. */
  #next(): number {
    const i = this.#n++ & (CHUNK - 1);
    if (i === 0) {
      this.#valueChunk = new Float64Array(CHUNK);
      this.#values.push(this.#valueChunk);
      if (this.#codes !== null) {
        this.#codeChunk = new Int32Array(CHUNK);
        this.#codes.push(this.#codeChunk);
      }
    }
    return i;
  }

  #blank(i: number): void {
    this.#blanks++;
    this.#valueChunk[i] = Number.NaN;
    if (this.#codeChunk !== null) this.#codeChunk[i] = -1;
  }

  /** Stores a filled cell's number, and the cell among the first stray text when it is not one. */
  #number(i: number, v: number, text: string): void {
    this.#valueChunk[i] = v;
    if (Number.isNaN(v)) this.#strayText(text);
    else this.#numbers++;
  }

  #strayText(text: string): void {
    if (this.#stray.length < 3 && !this.#stray.includes(text)) this.#stray.push(text);
  }

  #code(i: number, code: number): void {
    if (code >= 0 && this.#codeChunk !== null) this.#codeChunk[i] = code;
  }

  /** The code of a cell not in the dictionary, or -1 once the column stops keeping codes. */
  #newCode(c: string): number {
    if (this.#dictionary.size >= DISTINCT_CAP && this.#numbers > 0) {
      this.#codes = null;
      this.#codeChunk = null;
      this.#dictionary.clear();
      return -1;
    }
    return this.#dictionary.add(c);
  }

  finish(): CellColumn {
    const n = this.#n;
    return {
      n,
      values: joinChunks(this.#values, n, (m) => new Float64Array(m)),
      blanks: this.#blanks,
      numbers: this.#numbers,
      first: this.#first,
      allSame: this.#allSame,
      strayText: this.#stray,
      dictionary: this.#dictionary.entries,
      codes: this.#codes === null ? null : joinChunks(this.#codes, n, (m) => new Int32Array(m)),
      texts: this.#texts,
    };
  }
}

/** Cell columns of a table held as text (tests, small inputs): the same columns the reader builds. */
export function cellTableOf(
  table: {
    names: readonly string[];
    columns: readonly (readonly (string | null)[])[];
    rowCount: number;
    path?: string;
  },
  text: readonly string[] = [],
): CellTable {
  return {
    names: table.names,
    rowCount: table.rowCount,
    ...(table.path === undefined ? {} : { path: table.path }),
    columns: table.columns.map((values, k) => {
      const b = new CellColumnBuilder(text.includes(table.names[k]!));
      for (const v of values) b.add(v);
      return b.finish();
    }),
  };
}

/** Cell `i` as text (trimmed, '' for blank): kept text, its code's entry, or the number it read as. */
export function cellText(column: CellColumn, i: number): string {
  if (column.texts !== null) return column.texts[i]!;
  if (column.codes !== null) {
    const code = column.codes[i]!;
    return code < 0 ? '' : column.dictionary[code]!;
  }
  const v = column.values[i]!;
  return Number.isNaN(v) ? '' : String(v);
}
