/**
 * A wide table's columns as typed arrays, built cell by cell while a file is read, so a table of
 * millions of rows never exists as strings. Each column keeps what the table encoding decides from:
 *
 * - `values`: the number each cell reads as (`tableNumber`), NaN for a blank or text cell;
 * - counts of blank and numeric cells, whether every filled cell is the same, the first three
 *   distinct text cells and the rows they are first seen on;
 * - `codes` into `dictionary` (the distinct trimmed cells, first-seen order) for low-cardinality and
 *   text columns. A column with numbers stops keeping codes once it has more than DISTINCT_CAP
 *   distinct cells: it can only be encoded as numbers then (or dropped as mixed), and a million-row
 *   numeric column must not become a million-entry map;
 * - `texts`: every trimmed cell, only for the columns asked for by name (subscriber ids).
 *
 * Storage grows in fixed chunks, joined once at the end: no doubling copies of every column at once.
 * A file read in byte ranges on several threads builds each column once a range (`part()`);
 * `joinColumnParts` joins them into the column one pass over the file builds.
 */
import { Chunked, joinChunks } from './builders.js';
import { bytesNumber, CellDictionary, isSpace, latin1, sameText } from './cell-bytes.js';
import type { RowPlaces } from './row-places.js';

/**
 * Distinct cells a column with numbers keeps codes for: above any category count the encoding allows
 * (a column with more distinct values and numbers among them can only be numeric or dropped as mixed).
 */
export const DISTINCT_CAP = 1024;
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
  /** The row (from 0) each of strayText is first seen on. */
  readonly strayRows: readonly number[];
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

export class CellColumnBuilder {
  #values = new Chunked(Float64Array);
  #codes: Chunked<Int32Array> | null = new Chunked(Int32Array);
  #blanks = 0;
  #numbers = 0;
  #first: string | null = null;
  #allSame = true;
  #stray: string[] = [];
  #strayRows: number[] = [];
  #dictionary = new CellDictionary();
  /** Per dictionary entry, the numeric cells up to and including its first cell. */
  #numbersAt: number[] = [];
  #texts: string[] | null;

  constructor(keepText: boolean) {
    this.#texts = keepText ? [] : null;
  }

  /** Takes the next cell as text (null is blank). */
  add(raw: string | null | undefined): void {
    const c = tableCell(raw);
    this.#texts?.push(c);
    if (c === '') {
      this.#blank();
      return;
    }
    const v = tableNumber(c);
    this.#values.push(v);
    if (Number.isNaN(v)) this.#strayText(c);
    else this.#numbers++;
    if (this.#first === null) this.#first = c;
    else if (this.#allSame && c !== this.#first) this.#allSame = false;
    if (this.#codes === null) return;
    const code = this.#dictionary.find(c);
    this.#code(code < 0 ? this.#newCode(c) : code);
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
    if (s === e) {
      this.#blank();
      return;
    }
    const v = bytesNumber(b, s, e);
    this.#values.push(v);
    if (!Number.isNaN(v)) this.#numbers++;
    else if (this.#stray.length < 3) this.#strayText(latin1(b, s, e));
    if (this.#allSame) {
      if (this.#first === null) this.#first = latin1(b, s, e);
      else if (!sameText(this.#first, b, s, e)) this.#allSame = false;
    }
    const codes = this.#codes;
    if (codes === null) return;
    const code = this.#dictionary.findBytes(b, s, e);
    if (code >= 0) codes.push(code);
    else this.#code(this.#newCode(latin1(b, s, e)));
  }

  #blank(): void {
    this.#blanks++;
    this.#values.push(Number.NaN);
    this.#codes?.push(-1);
  }

  /** A text cell, the last one taken. */
  #strayText(text: string): void {
    if (this.#stray.length >= 3 || this.#stray.includes(text)) return;
    this.#stray.push(text);
    this.#strayRows.push(this.#values.length - 1);
  }

  /** The cell's code; none once the column stopped keeping codes (newCode gave -1). */
  #code(code: number): void {
    if (code >= 0) this.#codes!.push(code);
  }

  /** The code of a cell not in the dictionary, or -1 once the column stops keeping codes. */
  #newCode(c: string): number {
    if (this.#dictionary.size >= DISTINCT_CAP && this.#numbers > 0) {
      this.#codes = null;
      this.#dictionary.clear();
      this.#numbersAt = [];
      return -1;
    }
    this.#numbersAt.push(this.#numbers);
    return this.#dictionary.add(c);
  }

  /** The column so far as it stands, chunks unjoined: to join with the parts of a file read after it. */
  part(): CellColumnPart {
    return {
      n: this.#values.length,
      values: this.#values.held(),
      blanks: this.#blanks,
      numbers: this.#numbers,
      first: this.#first,
      allSame: this.#allSame,
      strayText: this.#stray,
      strayRows: this.#strayRows,
      dictionary: this.#dictionary.entries,
      numbersAt: Int32Array.from(this.#numbersAt),
      codes: this.#codes?.held() ?? null,
      texts: this.#texts,
    };
  }

  finish(): CellColumn {
    return joinColumnParts([this.part()]);
  }
}

/**
 * A column of one part of a file, as CellColumnBuilder.part gives it: plain data, so it crosses
 * threads (its chunks transferred, not copied).
 */
export interface CellColumnPart {
  readonly n: number;
  /** Chunks of values (Chunked.held), the last one filled only up to n. */
  readonly values: Float64Array[];
  readonly blanks: number;
  readonly numbers: number;
  readonly first: string | null;
  readonly allSame: boolean;
  readonly strayText: readonly string[];
  /** The part's row (from 0) each of strayText is first seen on. */
  readonly strayRows: readonly number[];
  readonly dictionary: string[];
  /** Per dictionary entry, the part's numeric cells up to and including the entry's first cell. */
  readonly numbersAt: Int32Array;
  readonly codes: Int32Array[] | null;
  readonly texts: string[] | null;
}

/**
 * The column one pass over the parts' cells, in order, builds: counts summed, the first filled cell
 * and the stray text taken in order, and the dictionary replayed entry by entry in first-seen order,
 * stopping codes where one pass would (a new entry past DISTINCT_CAP with numbers seen before it:
 * a part that stopped them has more than DISTINCT_CAP entries after a number, so one pass stops too).
 */
export function joinColumnParts(parts: readonly CellColumnPart[]): CellColumn {
  const head = parts[0]!;
  let n = 0;
  let blanks = 0;
  let first: string | null = null;
  let allSame = true;
  const stray: string[] = [];
  const strayRows: number[] = [];
  for (const p of parts) {
    p.strayText.forEach((t, k) => {
      if (stray.length >= 3 || stray.includes(t)) return;
      stray.push(t);
      strayRows.push(n + p.strayRows[k]!);
    });
    n += p.n;
    blanks += p.blanks;
    if (!p.allSame) allSame = false;
    if (p.first !== null) {
      if (first === null) first = p.first;
      else if (p.first !== first) allSame = false;
    }
  }
  // Codes: the head's as they are; each later part's entries looked up, or added, in order.
  let dictionary = head.dictionary;
  let kept = head.codes !== null;
  const remaps: (Int32Array | null)[] = [null];
  let numbers = head.numbers;
  let index: Map<string, number> | null = null;
  for (const p of parts.slice(1)) {
    if (kept && p.codes === null) kept = false;
    if (kept) {
      index ??= new Map(dictionary.map((e, code) => [e, code]));
      const remap = new Int32Array(p.dictionary.length);
      for (let j = 0; j < remap.length; j++) {
        const e = p.dictionary[j]!;
        let code = index.get(e);
        if (code === undefined) {
          if (dictionary.length >= DISTINCT_CAP && numbers + p.numbersAt[j]! > 0) {
            kept = false;
            break;
          }
          code = dictionary.length;
          dictionary.push(e);
          index.set(e, code);
        }
        remap[j] = code;
      }
      remaps.push(remap);
    }
    numbers += p.numbers;
  }
  if (!kept) dictionary = [];
  let codes: Int32Array | null = null;
  if (kept) {
    parts.forEach((p, k) => {
      const remap = remaps[k];
      if (!remap) return;
      for (const chunk of p.codes!)
        for (let i = 0; i < chunk.length; i++) if (chunk[i]! >= 0) chunk[i] = remap[chunk[i]!]!;
    });
    codes = joinChunks(
      parts.map((p) => ({ length: p.n, chunks: p.codes! })),
      Int32Array,
    );
  }
  let texts = head.texts;
  if (texts !== null) for (const p of parts.slice(1)) texts = texts.concat(p.texts!);
  return {
    n,
    values: joinChunks(
      parts.map((p) => ({ length: p.n, chunks: p.values })),
      Float64Array,
    ),
    blanks,
    numbers,
    first,
    allSame,
    strayText: stray,
    strayRows,
    dictionary,
    codes,
    texts,
  };
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
