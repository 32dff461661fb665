/**
 * The chunk splitter: takes the file's byte chunks (about 1 MB each) and hands the row decoder whole
 * lines, as bytes where the handler takes records as bytes and the text is ASCII, else as text. Its
 * state is what is carried from one chunk to the next: the text not read yet (`buf`, with whether it
 * holds a quote), or in byte mode the bytes of a line whose end is in a later chunk (`rest`).
 */
import { isAscii } from 'node:buffer';
import type { Utf8Decoder } from '../utf8.js';
import type { CsvReport } from './report.js';
import type { RowDecoder } from './rows.js';

const QUOTE = 0x22;
/** A record longer than this without its closing quote is taken as an unclosed quote. */
const MAX_RECORD_CHARS = 16 << 20;

export class ChunkSplitter {
  /** Text not read yet: the start of a record whose end is in a later chunk. */
  private buf = '';
  /** `buf` holds a quote. */
  private bufQuoted = false;
  /** Byte mode's rest: the start of a line whose end is in a later chunk. */
  private rest: Buffer | null = null;
  /** The first line's end has been seen, so the file's line end is known. */
  private started = false;
  /**
   * Byte mode pays when the handler takes records as bytes; field strings cut from bytes one by one
   * cost more than substrings of a decoded chunk.
   */
  private readonly byteMode: boolean;

  constructor(
    private readonly rows: RowDecoder,
    private readonly report: CsvReport,
    private readonly utf8: Utf8Decoder,
  ) {
    this.byteMode = report.takesBytes;
  }

  push(chunk: Buffer): void {
    // Looking for a quote in the bytes is a memchr; in the decoded string it is a far slower loop.
    // Byte mode's rest counts too: a quote there reaches the text path with this chunk.
    const rest = this.rest;
    const quoted: boolean =
      this.bufQuoted || chunk.indexOf(QUOTE) !== -1 || (rest !== null && rest.indexOf(QUOTE) !== -1);
    const ascii = isAscii(chunk);
    if (
      this.byteMode &&
      ascii &&
      !this.utf8.holding &&
      this.report.width >= 0 &&
      (rest !== null || isAsciiText(this.buf))
    ) {
      const head: Buffer | null = rest ?? (this.buf.length > 0 ? Buffer.from(this.buf, 'latin1') : null);
      this.buf = '';
      this.rest = this.takeBytes(head === null ? chunk : Buffer.concat([head, chunk]));
      return;
    }
    // ASCII is its own UTF-8 and Latin-1: a Latin-1 slice is several times faster than decoding.
    // After a chunk that ended inside a character, the decoder reads on from those bytes.
    let text = ascii && !this.utf8.holding ? chunk.toString('latin1') : this.utf8.write(chunk);
    if (rest !== null) {
      text = rest.toString('latin1', 0, rest.length) + text;
      this.rest = null;
    }
    if (!this.started) {
      this.start(text);
      return;
    }
    this.buf = this.rows.consume(this.buf + text, quoted);
    this.skipUnclosed();
    this.bufQuoted = quoted && this.buf.indexOf('"') !== -1;
  }

  /** The end of the file: what is left is read as the last text. */
  end(): void {
    if (this.rest !== null) this.buf = this.rest.toString('latin1', 0, this.rest.length);
    this.buf += this.utf8.end();
    if (!this.started) {
      if (this.buf.length === 0) {
        this.report.noHeader();
        return;
      }
      this.rows.newline = '\n'; // one line and no line end
    }
    this.rows.consumeLast(this.buf);
    this.buf = '';
    if (this.report.width < 0) this.report.noHeader();
  }

  /** Text before the first line end is known; the first line's end tells LF from CRLF. */
  private start(text: string): void {
    this.buf += this.buf.length === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const buf = this.buf;
    const nl = buf.indexOf('\n');
    if (nl < 0) return;
    this.started = true;
    this.rows.newline = nl > 0 && buf.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
    const plain = this.byteMode && !this.utf8.holding && isAsciiText(buf) && buf.lastIndexOf('"', nl) === -1;
    if (plain) {
      // The lines up to the header as text, the rest as bytes. A slice may end inside a record
      // (at a lone LF of a CRLF file): what consume leaves is read again with the next line.
      let p = 0;
      for (let q = nl; this.report.width < 0 && q >= 0; q = buf.indexOf('\n', q + 1))
        p = q + 1 - this.rows.consume(buf.slice(p, q + 1)).length;
      if (this.report.width >= 0) {
        this.buf = '';
        this.rest = this.takeBytes(Buffer.from(buf.slice(p), 'latin1'));
        return;
      }
      this.buf = buf.slice(p);
    }
    this.buf = this.rows.consume(this.buf);
    this.skipUnclosed();
    this.bufQuoted = this.buf.indexOf('"') !== -1;
  }

  /**
   * Byte mode over `all`. Returns the start of a line not ended yet, or null; what the text path
   * must read goes to `buf`.
   */
  private takeBytes(all: Buffer): Buffer | null {
    const quotes = all.indexOf(QUOTE) !== -1;
    const used = this.rows.consumeBytes(all, quotes);
    if (used === all.length) return null;
    if (all.indexOf(10, used) >= 0) {
      // A line the bytes path leaves to the text path, which reads from there.
      this.buf = this.rows.consume(all.toString('latin1', used, all.length), quotes);
      this.bufQuoted = quotes && this.buf.indexOf('"') !== -1;
    } else if (all.length - used > MAX_RECORD_CHARS) {
      this.buf = all.toString('latin1', used, all.length);
      this.skipUnclosed();
      this.bufQuoted = this.buf.indexOf('"') !== -1;
    } else {
      return Buffer.from(all.subarray(used)); // a copy: the chunk may be a view of a larger buffer
    }
    return null;
  }

  /** A rest longer than any record can be starts with a quote never closed: skip such lines. */
  private skipUnclosed(): void {
    while (this.buf.length > MAX_RECORD_CHARS) this.buf = this.rows.consume(this.rows.skipUnclosed(this.buf));
  }
}

/** True when every character of `s` is ASCII (so its Latin-1 bytes are its UTF-8 bytes). */
function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}
