/**
 * Streaming CSV records through papaparse's parser, one chunk (about 1 MB) at a time, so a file of any
 * size is read in bounded memory. Values stay strings (no type guessing: `007000123` stays as is).
 * Each record carries its file line (header = line 1), counted through quoted line breaks. A record
 * holding bytes that are not UTF-8 goes to the handler's invalidUtf8, never to record().
 */
import { isAscii } from 'node:buffer';
import Papa from 'papaparse';
import type { RecordHandler } from './record-handler.js';
import { hasInvalidUtf8, Utf8Decoder } from './utf8.js';

const QUOTE = 0x22;
/** A record longer than this without its closing quote is taken as an unclosed quote. */
const MAX_RECORD_CHARS = 16 << 20;

interface PapaParser {
  parse(
    input: string,
    baseIndex: number,
    ignoreLastRow: boolean,
  ): { data: string[][]; errors: { code: string; row?: number }[]; meta: { cursor: number } };
}

export interface CsvRead {
  /** Lines read, header and blank lines included. */
  lines: number;
  /** Rows reported malformed for their quotes (not balanced, or a quoted field never closed). */
  quoteProblems: number;
}

/** Reads all records into `handler`. */
export async function readCsvRecords(bytes: AsyncIterable<Buffer>, handler: RecordHandler): Promise<CsvRead> {
  const decoder = new Utf8Decoder();
  let parser: PapaParser | null = null;
  let width = -1;
  let line = 1;
  let quoteProblems = 0;
  let newline: '\n' | '\r\n' = '\n';

  let fields: string[] = [];
  /** Byte mode: field c of the current line is bytes [spans[2c], spans[2c + 1]). */
  let spans = new Int32Array(2);

  const emit = (rows: string[][], errors: { code: string; row?: number }[], text: string): void => {
    const bad = errors.length > 0 ? new Set(errors.map((e) => e.row ?? -1)) : null;
    const quoted = text.indexOf('"') !== -1;
    const checkText = decoder.sawInvalid && hasInvalidUtf8(text);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const at = line;
      line += 1;
      if (quoted) for (let c = 0; c < row.length; c++) line += countNewlines(row[c]!);
      const last = row.length - 1;
      // A stray CR before LF in a file whose first line ended with LF only.
      if (newline === '\n' && row[last]!.charCodeAt(row[last]!.length - 1) === 13)
        row[last] = row[last]!.slice(0, -1);
      if (last === 0 && row[0] === '') continue; // blank line
      if (width < 0) {
        setHeader(row);
        continue;
      }
      if (bad?.has(r)) {
        quoteProblems++;
        handler.malformed(at, 'quotes are not balanced', row.join(','));
      } else if (row.length !== width) handler.malformed(at, widthMessage(row.length), row.join(','));
      else if (!checkText || !invalidField(row, at)) handler.record(row, at);
    }
  };

  const widthMessage = (fields: number): string => `${fields} fields where the header has ${width}`;
  /** Hands a record with a field that is not UTF-8 to the handler; false when every field is. */
  const invalidField = (row: string[], at: number): boolean => {
    for (let c = 0; c < row.length; c++) {
      if (!hasInvalidUtf8(row[c]!)) continue;
      handler.invalidUtf8(at, c, row[c]!);
      return true;
    }
    return false;
  };
  /** A quote-free line with another field count than the header's. */
  const wrongWidth = (at: number, value: string): void =>
    handler.malformed(at, widthMessage(value.split(',').length), value);

  const setHeader = (row: string[]): void => {
    width = row.length;
    fields = new Array<string>(width).fill('');
    spans = new Int32Array(2 * width);
    handler.header(row.map((h) => h.trim()));
  };

  /**
   * The same records as papaparse's fast mode (split on the newline, then on commas) for text with no
   * quote character, without its per-row line string and arrays: fields are cut straight from `text`
   * into one reused array, which took 2.5 times less CPU than papaparse on a CDR file. Returns where
   * the unconsumed rest (a line without its newline yet) starts.
   */
  const consumePlain = (text: string): number => {
    const checkText = decoder.sawInvalid && hasInvalidUtf8(text);
    const nlLen = newline.length;
    const n = text.length;
    let p = 0;
    for (;;) {
      // In a CRLF file a lone LF is part of a field, but a line of the file all the same, as emit
      // counts it: the line numbers must not depend on where the chunks were cut.
      let lf = text.indexOf('\n', p);
      let lone = 0;
      if (nlLen === 2)
        while (lf >= 0 && text.charCodeAt(lf - 1) !== 13) {
          lone++;
          lf = text.indexOf('\n', lf + 1);
        }
      if (lf < 0) return p;
      const eol = lf + 1 - nlLen;
      const at = line;
      line += 1 + lone;
      let end = eol;
      if (nlLen === 1 && end > p && text.charCodeAt(end - 1) === 13) end--; // stray CR, as in emit
      if (end > p) {
        if (width < 0) setHeader(text.substring(p, end).split(','));
        else if (splitInto(text, p, end)) {
          if (!checkText || !invalidField(fields, at)) handler.record(fields, at);
        } else {
          const value = text.substring(p, end);
          wrongWidth(at, value);
        }
      }
      p = eol + nlLen;
      if (p >= n) return n;
    }
  };

  /** Cuts text[p, end) into `fields`; false when it does not hold exactly `width` fields. */
  const splitInto = (text: string, p: number, end: number): boolean => {
    const last = width - 1;
    let s = p;
    for (let c = 0; c < last; c++) {
      const k = text.indexOf(',', s);
      if (k < 0 || k >= end) return false;
      fields[c] = text.substring(s, k);
      s = k + 1;
    }
    const k = text.indexOf(',', s);
    if (k >= 0 && k < end) return false;
    fields[last] = text.substring(s, end);
    return true;
  };

  /**
   * Byte mode, for ASCII after the header: the records the string path gives, cut from the bytes
   * without a string per line. A handler's plainRecord may take a record as bytes; otherwise its
   * fields become strings for record(). With `quotes` (the bytes hold a quote), fields are cut quote
   * by quote, and a line the simple cut cannot read exactly is left to the string path: a quote
   * inside a field, a quoted field over several lines, or a field count that needs the quotes read.
   * Returns where the unconsumed rest starts: a line not ended yet, or one left to the string path
   * (as is a lone LF in a CRLF file, which is part of a field).
   */
  const consumeBytes = (b: Buffer, quotes: boolean): number => {
    const crlf = newline === '\r\n';
    const n = b.length;
    let p = 0;
    for (;;) {
      const eol = b.indexOf(10, p);
      if (eol < 0) return p;
      let end = eol;
      const cr = end > p && b[end - 1] === 13;
      if (cr)
        end--; // the CR of CRLF, or a stray CR as consumePlain strips it
      else if (crlf) return p;
      let count = 0;
      if (end > p) {
        count = quotes ? cutQuoted(b, p, end, cr && !crlf) : cutPlain(b, p, end);
        if (count < 0) return p;
      }
      const at = line;
      line += 1;
      if (end > p) {
        if (count === width) {
          if (handler.plainRecord?.(b, spans, at) !== true) {
            for (let k = 0; k < width; k++)
              fields[k] = b.toString('latin1', spans[2 * k]!, spans[2 * k + 1]!);
            handler.record(fields, at);
          }
        } else {
          const value = b.toString('latin1', p, end);
          wrongWidth(at, value);
        }
      }
      p = eol + 1;
      if (p >= n) return n;
    }
  };

  /** Cuts b[p, end) at its commas into `spans`; returns the field count (width + 1 for any more). */
  const cutPlain = (b: Buffer, p: number, end: number): number => {
    let c = 0;
    let s = p;
    for (let i = p; i < end; i++) {
      if (b[i] !== 44) continue;
      if (c === width - 1) return width + 1;
      spans[2 * c] = s;
      spans[2 * c + 1] = i;
      c++;
      s = i + 1;
    }
    spans[2 * c] = s;
    spans[2 * c + 1] = end;
    return c + 1;
  };

  /**
   * Cuts b[p, end) into `spans`, a quoted field without its quotes; -1 when the line holds a quote
   * this cut does not read exactly as papaparse does (then the string path reads it), including any
   * quoted line after a stray CR or with a field count other than the header's.
   */
  const cutQuoted = (b: Buffer, p: number, end: number, strayCr: boolean): number => {
    // A line of just "" is one empty field, which the string path takes for a blank line.
    if (end - p === 2 && b[p] === QUOTE && b[p + 1] === QUOTE) return -1;
    let c = 0;
    let quoted = false;
    for (let i = p; ; ) {
      if (c === width) return -1;
      let e: number;
      let next: number;
      if (i < end && b[i] === QUOTE) {
        quoted = true;
        const close = b.indexOf(QUOTE, i + 1);
        if (close < 0 || close >= end || (close + 1 < end && b[close + 1] !== 44)) return -1;
        spans[2 * c] = i + 1;
        e = close;
        next = close + 1;
      } else {
        let j = i;
        for (; j < end && b[j] !== 44; j++) if (b[j] === QUOTE) return -1;
        spans[2 * c] = i;
        e = j;
        next = j;
      }
      spans[2 * c + 1] = e;
      c++;
      if (next >= end) break;
      i = next + 1;
    }
    return quoted && (c !== width || strayCr) ? -1 : c;
  };

  const startParser = (nl: '\n' | '\r\n'): PapaParser => {
    newline = nl;
    return new Papa.Parser({ delimiter: ',', newline, quoteChar: '"' }) as unknown as PapaParser;
  };

  /**
   * Parses the complete records at the start of `text`; returns the incomplete rest. `quoted` says
   * whether the text holds a quote, when the caller knows it already.
   */
  const consume = (text: string, quoted = text.indexOf('"') !== -1): string => {
    if (!quoted) return text.substring(consumePlain(text));
    const res = parser!.parse(text, 0, true);
    emit(res.data, res.errors, text);
    return text.substring(res.meta.cursor);
  };

  /** The record starting `text` never closes its quote: report its first line and skip that line. */
  const skipUnclosed = (text: string): string => {
    const nl = text.indexOf('\n');
    const first = nl < 0 ? text : text.slice(0, nl);
    if (width < 0) handler.header([]);
    else {
      quoteProblems++;
      handler.malformed(line, 'a quoted field is not closed', first.slice(0, 200));
    }
    line += 1;
    return nl < 0 ? '' : text.slice(nl + 1);
  };

  /**
   * Byte mode over `all`. Returns the start of a line not ended yet, or null; what the string path
   * must read goes to `buf`.
   */
  const takeBytes = (all: Buffer): Buffer | null => {
    const quotes = all.indexOf(QUOTE) !== -1;
    const used = consumeBytes(all, quotes);
    if (used === all.length) return null;
    if (all.indexOf(10, used) >= 0) {
      // A line the bytes path leaves to the string path, which reads from there.
      buf = consume(all.toString('latin1', used, all.length), quotes);
      bufQuoted = quotes && buf.indexOf('"') !== -1;
    } else if (all.length - used > MAX_RECORD_CHARS) {
      buf = all.toString('latin1', used, all.length);
      while (buf.length > MAX_RECORD_CHARS) buf = consume(skipUnclosed(buf));
      bufQuoted = buf.indexOf('"') !== -1;
    } else {
      return Buffer.from(all.subarray(used)); // a copy: the chunk may be a view of a larger buffer
    }
    return null;
  };

  // Byte mode pays when the handler takes records as bytes; field strings cut from bytes one by one
  // cost more than substrings of a decoded chunk.
  const byteMode = handler.plainRecord !== undefined;
  let buf = '';
  let bufQuoted = false;
  /** Byte mode's rest: the start of a line whose end is in a later chunk. */
  let rest: Buffer | null = null;
  for await (const chunk of bytes) {
    // Looking for a quote in the bytes is a memchr; in the decoded string it is a far slower loop.
    // Byte mode's rest counts too: a quote there reaches the string path with this chunk.
    const quoted: boolean =
      bufQuoted || chunk.indexOf(QUOTE) !== -1 || (rest !== null && rest.indexOf(QUOTE) !== -1);
    const ascii = isAscii(chunk);
    if (byteMode && ascii && !decoder.holding && width >= 0 && (rest !== null || isAsciiText(buf))) {
      const head: Buffer | null = rest ?? (buf.length > 0 ? Buffer.from(buf, 'latin1') : null);
      const all: Buffer = head === null ? chunk : Buffer.concat([head, chunk]);
      buf = '';
      rest = takeBytes(all);
      continue;
    }
    // ASCII is its own UTF-8 and Latin-1: a Latin-1 slice is several times faster than decoding.
    // After a chunk that ended inside a character, the decoder reads on from those bytes.
    let text = ascii && !decoder.holding ? chunk.toString('latin1') : decoder.write(chunk);
    if (rest !== null) {
      text = rest.toString('latin1', 0, rest.length) + text;
      rest = null;
    }
    if (parser === null) {
      // The first line's end tells LF from CRLF: read on until it comes.
      if (buf.length === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      buf += text;
      const nl = buf.indexOf('\n');
      if (nl < 0) continue;
      parser = startParser(nl > 0 && buf.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n');
      const plain = byteMode && !decoder.holding && isAsciiText(buf) && buf.lastIndexOf('"', nl) === -1;
      if (plain) {
        // The lines up to the header as text, the rest as bytes. A slice may end inside a record
        // (at a lone LF of a CRLF file): what consume leaves is read again with the next line.
        let p = 0;
        for (let q = nl; width < 0 && q >= 0; q = buf.indexOf('\n', q + 1))
          p = q + 1 - consume(buf.slice(p, q + 1)).length;
        if (width >= 0) {
          const after = buf.slice(p);
          buf = '';
          rest = takeBytes(Buffer.from(after, 'latin1'));
          continue;
        }
        buf = buf.slice(p);
      }
      buf = consume(buf);
      while (buf.length > MAX_RECORD_CHARS) buf = consume(skipUnclosed(buf));
      bufQuoted = buf.indexOf('"') !== -1;
      continue;
    }
    buf = consume(buf + text, quoted);
    while (buf.length > MAX_RECORD_CHARS) buf = consume(skipUnclosed(buf));
    bufQuoted = quoted && buf.indexOf('"') !== -1;
  }
  if (rest !== null) buf = rest.toString('latin1', 0, rest.length);
  buf += decoder.end();
  if (parser === null) {
    if (buf.length === 0) {
      handler.header([]);
      return { lines: 0, quoteProblems };
    }
    parser = startParser('\n'); // one line and no line end
  }
  while (buf.length > 0) {
    buf = consume(buf);
    if (buf.length === 0) break;
    const res = parser.parse(buf, 0, false);
    if (res.errors.some((e) => e.code === 'MissingQuotes')) {
      buf = skipUnclosed(buf);
      continue;
    }
    emit(res.data, res.errors, buf);
    break;
  }
  if (width < 0) handler.header([]);
  return { lines: line - 1, quoteProblems };
}

/** True when every character of `s` is ASCII (so its Latin-1 bytes are its UTF-8 bytes). */
function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

function countNewlines(s: string): number {
  let n = 0;
  let i = s.indexOf('\n');
  while (i !== -1) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}
