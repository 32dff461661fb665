/**
 * Decoding UTF-8 chunk by chunk without ever turning a bad byte into U+FFFD silently: two different
 * ids that differ only in their bad bytes would both become "?" and merge. Each byte that is not
 * part of a valid UTF-8 character is read as U+DC80 + (byte - 0x80), a lone surrogate (as Python's
 * `surrogateescape`), which no valid UTF-8 decodes to: the reader finds such a record with
 * `hasInvalidUtf8` and rejects it, and messages show the byte as `\xNN` (echo.ts).
 *
 * Valid chunks cost one native validity check (`isUtf8`) on top of the ordinary decode; only a chunk
 * holding a bad byte is decoded here byte by byte.
 */
import { isUtf8 } from 'node:buffer';
import { escapedByte, hexByte } from '../echo.js';

/** A character cut by a chunk's end waits for the next chunk; a character is at most 4 bytes. */
export class Utf8Decoder {
  private pending: Buffer | null = null;
  /** Set once any byte has been read as not UTF-8: only then need records be checked. */
  sawInvalid = false;

  /** True when bytes of a character cut by the last chunk's end wait for the next. */
  get holding(): boolean {
    return this.pending !== null;
  }

  write(chunk: Buffer): string {
    let head = '';
    let from = 0;
    if (this.pending !== null) {
      // Complete the waiting character with the continuation bytes that start this chunk (a few
      // bytes copied, not the chunk); without them, its bytes are escaped.
      const pending = this.pending;
      this.pending = null;
      const need = sequenceLength(pending[0]!) - pending.length;
      while (from < need && from < chunk.length && (chunk[from]! & 0xc0) === 0x80) from++;
      const joined = Buffer.concat([pending, chunk.subarray(0, from)]);
      if (from < need && from === chunk.length) {
        this.pending = joined; // the chunk ended first: wait on
        return '';
      }
      head = this.decode(joined, 0, joined.length);
    }
    const end = cutEnd(chunk);
    // A copy: the caller may reuse the chunk's memory for the next one.
    if (end < chunk.length) this.pending = Buffer.from(chunk.subarray(end));
    return head + this.decode(chunk, from, end);
  }

  /** What is left at the end: bytes of a character never completed are not UTF-8. */
  end(): string {
    if (this.pending === null) return '';
    const rest = this.pending;
    this.pending = null;
    return this.escape(rest, 0, rest.length);
  }

  /** b[from, to) as text, each bad byte escaped. */
  private decode(b: Buffer, from: number, to: number): string {
    if (to <= from) return '';
    if (isUtf8(from === 0 && to === b.length ? b : b.subarray(from, to))) return b.toString('utf8', from, to);
    let out = '';
    let run = from;
    for (let i = from; i < to; ) {
      const len = validLength(b, i, to);
      if (len > 0) {
        i += len;
        continue;
      }
      if (i > run) out += b.toString('utf8', run, i);
      out += this.escape(b, i, i + 1);
      i += 1;
      run = i;
    }
    return run < to ? out + b.toString('utf8', run, to) : out;
  }

  private escape(b: Buffer, from: number, to: number): string {
    this.sawInvalid = true;
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(0xdc00 + b[i]!);
    return s;
  }
}

/** Bytes a character starting with `lead` takes (1 for a byte that cannot start one). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Length of the valid character at b[i] (within b[..to]), or 0 when it is not one. */
function validLength(b: Buffer, i: number, to: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const n = sequenceLength(c);
  if (n === 1 || i + n > to) return 0;
  const c1 = b[i + 1]!;
  // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  if (c1 < lo || c1 > hi) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/**
 * Where the complete characters of `b` end: before a lead byte in the last three bytes whose
 * character the chunk cuts (bad bytes are left in, to be escaped).
 */
function cutEnd(b: Buffer): number {
  const n = b.length;
  for (let i = n - 1; i >= Math.max(0, n - 3); i--) {
    const c = b[i]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const len = sequenceLength(c);
    return len > 1 && i + len > n ? i : n;
  }
  return n;
}

/** Matches a byte read as not UTF-8 (a lone surrogate U+DC80..U+DCFF). */
const INVALID = /[\udc80-\udcff]/u;
/** A byte that was not UTF-8, or a control character other than tab, LF and CR (NUL, ESC, DEL). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const UNSHOWN_ALL = /[\udc80-\udcff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/gu;

/** True when `s` holds a byte that was not UTF-8. */
export function hasInvalidUtf8(s: string): boolean {
  return INVALID.test(s);
}

/**
 * `s` whole, with only its bytes that were not UTF-8 and its control characters (but tab, LF and CR,
 * which CSV quoting keeps) written as `\xNN`: the rejects file's value, readable by any CSV tool.
 */
export function showInvalidBytes(s: string): string {
  return s.replace(UNSHOWN_ALL, (ch) => {
    const c = ch.charCodeAt(0);
    return hexByte(c < 0x80 ? c : escapedByte(c));
  });
}
