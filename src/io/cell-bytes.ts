/**
 * A wide table's cells read straight from the bytes of a plain ASCII CSV record (RecordHandler's
 * plainRecord), without a string per cell: the number a cell reads as, and a dictionary of distinct
 * cells looked up by their bytes. Both give exactly what the text path gives for the same cell
 * (`tableNumber` of the trimmed text, a Map of trimmed strings), so a table reads the same whichever
 * path each of its lines took.
 */

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Powers of ten a double holds exactly: a product or quotient by one of them is rounded once. */
const EXACT_POWERS = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Significant digits kept in an exact integer (below 2^53). */
const MAX_DIGITS = 15;

/** ASCII whitespace as String.prototype.trim removes it (tab, line feed, VT, FF, CR, space). */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * The number b[s, e) (trimmed, non-empty, ASCII) reads as, as `tableNumber` reads its text: plain
 * decimal or exponent notation, else NaN (also for a spelling too large for a double, as 1e400).
 * Up to 15 significant digits and a scale within 10^±22 are computed here, correctly rounded as
 * Number() rounds (one exact integer times or divided by an exact power of ten); anything longer
 * goes through Number() on the cell's text.
 */
export function bytesNumber(b: Buffer, s: number, e: number): number {
  let i = s;
  let negative = false;
  if (b[i] === PLUS || b[i] === MINUS) {
    negative = b[i] === MINUS;
    i++;
  }
  let mantissa = 0;
  let digits = 0; // significant digits taken into mantissa
  let intDigits = 0;
  let fracDigits = 0;
  let scale = 0; // power of ten the mantissa is to be multiplied by
  let exact = true;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c < ZERO || c > NINE) break;
    intDigits++;
    if (digits === 0 && c === ZERO) continue;
    if (digits < MAX_DIGITS) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
    } else {
      exact = false;
      scale++;
    }
  }
  if (i < e && b[i] === DOT) {
    i++;
    for (; i < e; i++) {
      const c = b[i]!;
      if (c < ZERO || c > NINE) break;
      fracDigits++;
      if (digits === 0 && c === ZERO) {
        scale--;
        continue;
      }
      if (digits < MAX_DIGITS) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        scale--;
      } else if (c !== ZERO) exact = false;
    }
  }
  if (intDigits + fracDigits === 0) return Number.NaN;
  if (i < e && (b[i] === LOWER_E || b[i] === UPPER_E)) {
    i++;
    let expNegative = false;
    if (i < e && (b[i] === PLUS || b[i] === MINUS)) {
      expNegative = b[i] === MINUS;
      i++;
    }
    const from = i;
    let exponent = 0;
    for (; i < e; i++) {
      const c = b[i]!;
      if (c < ZERO || c > NINE) break;
      if (exponent < 100_000) exponent = exponent * 10 + (c - ZERO);
    }
    if (i === from) return Number.NaN;
    scale += expNegative ? -exponent : exponent;
  }
  if (i !== e) return Number.NaN;
  if (!exact || scale > 22 || scale < -22) {
    const long = Number(latin1(b, s, e));
    return Number.isFinite(long) ? long : Number.NaN;
  }
  const v = scale >= 0 ? mantissa * EXACT_POWERS[scale]! : mantissa / EXACT_POWERS[-scale]!;
  return negative ? -v : v;
}

/** The whole number the ASCII digits b[from..to) spell; NaN when any byte is not a digit. */
export function digitsAt(b: Buffer, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/** The text of ASCII bytes b[s, e). */
export function latin1(b: Buffer, s: number, e: number): string {
  return b.toString('latin1', s, e);
}

/** FNV-1a over UTF-16 code units, which for ASCII bytes are the bytes. */
function hashString(v: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/** Whether ASCII bytes b[s, e) spell `v`. */
export function sameText(v: string, b: Uint8Array, s: number, e: number): boolean {
  if (v.length !== e - s) return false;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) !== b[s + i]) return false;
  return true;
}

/**
 * Distinct cells in first-seen order, each with its code (its index), found by text or by bytes
 * through one open-addressing table: a lookup by bytes makes no string.
 */
export class CellDictionary {
  readonly entries: string[] = [];
  #hashes: number[] = [];
  /** Code + 1 per slot, 0 for empty; the size is a power of two kept at most half full. */
  #slots = new Int32Array(64);

  get size(): number {
    return this.entries.length;
  }

  /** The code of `v`, or -1. */
  find(v: string): number {
    const mask = this.#slots.length - 1;
    for (let k = hashString(v) & mask; ; k = (k + 1) & mask) {
      const code = this.#slots[k]! - 1;
      if (code < 0 || this.entries[code] === v) return code;
    }
  }

  /** The code of the text of b[s, e), or -1. */
  findBytes(b: Uint8Array, s: number, e: number): number {
    const mask = this.#slots.length - 1;
    const h = hashBytes(b, s, e);
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const code = this.#slots[k]! - 1;
      if (code < 0) return -1;
      if (this.#hashes[code] === h && sameText(this.entries[code]!, b, s, e)) return code;
    }
  }

  /** Adds `v` (not in the dictionary) and returns its code. */
  add(v: string): number {
    const code = this.entries.length;
    this.entries.push(v);
    this.#hashes.push(hashString(v));
    if (2 * this.entries.length > this.#slots.length) this.#grow();
    else this.#place(code);
    return code;
  }

  /** Empties the dictionary. */
  clear(): void {
    this.entries.length = 0;
    this.#hashes = [];
    this.#slots = new Int32Array(64);
  }

  #place(code: number): void {
    const mask = this.#slots.length - 1;
    let k = this.#hashes[code]! & mask;
    while (this.#slots[k] !== 0) k = (k + 1) & mask;
    this.#slots[k] = code + 1;
  }

  #grow(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    for (let code = 0; code < this.entries.length; code++) this.#place(code);
  }
}
