/**
 * CSV bytes built straight into buffers (write.ts writeCsv): numbers as their digits, text through
 * Buffer.write, so a row makes no string for its numbers nor one joined string for the row.
 *
 * A number is written as String(v) would write it. Its fast path takes a value that is a whole
 * number, or one with at most six decimals (q / 10^6 === v for the integer q = round(v · 10^6)),
 * under 10^15 in size: the decimal q · 10^-6 then reads back as v, has at most 15 significant
 * digits, and so is the shortest decimal that does, the one String(v) gives (any two decimals of at
 * most 15 significant digits read back as different doubles); for |v| ≥ 10^-6 String(v) writes it
 * without an exponent. Every other value goes through String(v).
 */

/** Bytes a buffer is sent on at; it holds a row more (grown when a row is longer). */
export const CHUNK_BYTES = 1 << 20;

const MAX_FAST = 1e15;
const SCALE = 1e6;
const ZERO = 48;
const INT32_MAX = 0x7fffffff;

export class CsvBytes {
  private buf: Buffer;
  private at = 0;

  constructor(private readonly chunk = CHUNK_BYTES) {
    this.buf = Buffer.allocUnsafe(2 * chunk);
  }

  /** Bytes written since the last take. */
  get length(): number {
    return this.at;
  }

  /** The bytes written so far, handed over (the next ones go to a new buffer). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(2 * this.chunk);
    this.at = 0;
    return out;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  /** Text as UTF-8. */
  text(s: string): void {
    this.room(3 * s.length);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** Bytes made once (a dictionary entry's cell). */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    if (b.length > 32) this.buf.set(b, this.at);
    else for (let i = 0; i < b.length; i++) this.buf[this.at + i] = b[i]!;
    this.at += b.length;
  }

  /**
   * Bytes [start, end) of `b` (a cell made once: a dictionary entry's, a month's). Give a plain
   * Uint8Array, not a Buffer: a long cell is copied through a view of it, which a Buffer makes slowly.
   */
  range(b: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.room(length);
    const buf = this.buf;
    let at = this.at;
    if (length > 32) buf.set(b.subarray(start, end), at);
    else for (let k = start; k < end; k++) buf[at++] = b[k]!;
    this.at += length;
  }

  /** A number as String(v) writes it; nothing for NaN or ±Infinity. */
  number(v: number): void {
    if (!Number.isFinite(v)) return;
    // -0 included: String(-0) is "0".
    if (v === 0) {
      this.byte(ZERO);
      return;
    }
    const size = Math.abs(v);
    if (size < MAX_FAST) {
      if (Number.isInteger(v)) {
        this.digits(v < 0, size, 0);
        return;
      }
      const q = Math.round(size * SCALE);
      if (q >= 1 && q < MAX_FAST && q / SCALE === size) {
        this.digits(v < 0, q, 6);
        return;
      }
    }
    this.text(String(v));
  }

  /** q · 10^-decimals (q a whole number below 10^15), the fraction's trailing zeros dropped. */
  private digits(negative: boolean, q: number, decimals: number): void {
    this.room(24);
    const buf = this.buf;
    if (negative) buf[this.at++] = 45;
    let whole = q;
    let fraction = 0;
    if (decimals > 0) {
      whole = Math.floor(q / SCALE);
      fraction = q - whole * SCALE;
    }
    this.whole(whole);
    if (fraction === 0) return;
    // The fraction is below 10^6: its digits in 32-bit integer arithmetic.
    let f = fraction | 0;
    let places = decimals;
    while (f % 10 === 0) {
      f = (f / 10) | 0;
      places--;
    }
    buf[this.at++] = 46;
    for (let i = places - 1; i >= 0; i--) {
      const t = (f / 10) | 0;
      buf[this.at + i] = ZERO + f - 10 * t;
      f = t;
    }
    this.at += places;
  }

  /** The digits of a whole number w ≥ 0 (below 10^15; room made by the caller). */
  private whole(w: number): void {
    const buf = this.buf;
    if (w <= INT32_MAX) {
      let v = w | 0;
      let n = 1;
      for (let t = v; t >= 10; t = (t / 10) | 0) n++;
      for (let i = n - 1; i >= 0; i--) {
        const t = (v / 10) | 0;
        buf[this.at + i] = ZERO + v - 10 * t;
        v = t;
      }
      this.at += n;
      return;
    }
    let n = 1;
    for (let t = w; t >= 10; t = Math.floor(t / 10)) n++;
    for (let i = n - 1, t = w; i >= 0; i--, t = Math.floor(t / 10)) buf[this.at + i] = ZERO + (t % 10);
    this.at += n;
  }
}
