/**
 * The row decoder: turns complete lines, as text or as bytes, into the header and records, counting
 * file lines (header = line 1) through quoted line breaks. Its state is the line count, the line end
 * of the file and the reused field buffers; what each row becomes is told to a CsvReport.
 */
import type { Utf8Decoder } from '../utf8.js';
import { hasInvalidUtf8 } from '../utf8.js';
import { cutPlain, cutQuoted, splitInto } from './cut.js';
import { type ParsedRows, parseRows } from './papa.js';
import type { CsvReport } from './report.js';

export class RowDecoder {
  /** The file line the next row starts on. */
  line = 1;
  /** The file's line end, from its first line. */
  newline: '\n' | '\r\n' = '\n';
  /** Reused for each record cut from text (or from bytes the handler declines). */
  private fields: string[] = [];
  /** Byte mode: field c of the current line is bytes [spans[2c], spans[2c + 1]). */
  private spans = new Int32Array(2);

  /** `utf8` is the reader's decoder: once it has seen bytes that are not UTF-8, rows are checked. */
  constructor(
    private readonly report: CsvReport,
    private readonly utf8: Utf8Decoder,
  ) {}

  /**
   * Reads the complete records at the start of `text`; returns the incomplete rest. `quoted` says
   * whether the text holds a quote, when the caller knows it already: quote-free text is cut here,
   * quoted text goes through papaparse.
   */
  consume(text: string, quoted = text.indexOf('"') !== -1): string {
    if (!quoted) return text.substring(this.consumePlain(text));
    const parsed = parseRows(text, this.newline, false);
    this.emit(parsed, text);
    return text.substring(parsed.cursor);
  }

  /**
   * The last text of the file, with no line end to come: its records, each record that never closes
   * its quote reported and skipped by its first line.
   */
  consumeLast(text: string): void {
    let buf = text;
    while (buf.length > 0) {
      buf = this.consume(buf);
      if (buf.length === 0) break;
      const parsed = parseRows(buf, this.newline, true);
      if (parsed.unclosed) {
        buf = this.skipUnclosed(buf);
        continue;
      }
      this.emit(parsed, buf);
      break;
    }
  }

  /** The record starting `text` never closes its quote: report its first line and skip that line. */
  skipUnclosed(text: string): string {
    const nl = text.indexOf('\n');
    const first = nl < 0 ? text : text.slice(0, nl);
    // A first record that runs on over CR-only line ends is the header the checks name as such.
    if (this.report.width < 0 && /\r(?!\n|$)/.test(first)) this.setHeader(first.split(','));
    else if (this.report.width < 0) this.report.noHeader();
    else this.report.unclosed(this.line, first.slice(0, 200));
    this.line += 1;
    return nl < 0 ? '' : text.slice(nl + 1);
  }

  /**
   * Byte mode, for ASCII after the header: the records the text path gives, cut from the bytes
   * without a string per line. With `quotes` (the bytes hold a quote), fields are cut quote by quote,
   * and a line the simple cut cannot read exactly is left to the text path: a quote inside a field, a
   * quoted field over several lines, or a field count that needs the quotes read. Returns where the
   * unconsumed rest starts: a line not ended yet, or one left to the text path (as is a lone LF in a
   * CRLF file, which is part of a field).
   */
  consumeBytes(b: Buffer, quotes: boolean): number {
    const crlf = this.newline === '\r\n';
    const width = this.report.width;
    const spans = this.spans;
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
        count = quotes ? cutQuoted(b, p, end, width, spans, cr && !crlf) : cutPlain(b, p, end, width, spans);
        if (count < 0) return p;
      }
      const at = this.line;
      this.line += 1;
      if (end > p) {
        if (count === width) this.report.plainRecord(b, spans, at, this.fields);
        else this.report.wrongWidthLine(at, b.toString('latin1', p, end));
      }
      p = eol + 1;
      if (p >= n) return n;
    }
  }

  private setHeader(row: string[]): void {
    this.report.header(row);
    const width = this.report.width;
    this.fields = new Array<string>(width).fill('');
    this.spans = new Int32Array(2 * width);
  }

  /** The records papaparse read from `text`. */
  private emit({ rows, bad }: ParsedRows, text: string): void {
    const quoted = text.indexOf('"') !== -1;
    const checkText = this.utf8.sawInvalid && hasInvalidUtf8(text);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const at = this.line;
      this.line += 1;
      if (quoted) for (let c = 0; c < row.length; c++) this.line += countNewlines(row[c]!);
      const last = row.length - 1;
      // A stray CR before LF in a file whose first line ended with LF only.
      if (this.newline === '\n' && row[last]!.charCodeAt(row[last]!.length - 1) === 13)
        row[last] = row[last]!.slice(0, -1);
      if (last === 0 && row[0] === '') continue; // blank line
      if (this.report.width < 0) {
        this.setHeader(row);
        continue;
      }
      if (bad?.has(r)) this.report.unbalanced(at, row.join(','));
      else if (row.length !== this.report.width) this.report.wrongWidth(at, row.length, row.join(','));
      else this.report.record(row, at, checkText);
    }
  }

  /**
   * The same records as papaparse's fast mode (split on the newline, then on commas) for text with no
   * quote character, without its per-row line string and arrays: fields are cut straight from `text`
   * into one reused array, which took 2.5 times less CPU than papaparse on a CDR file. Returns where
   * the unconsumed rest (a line without its newline yet) starts.
   */
  private consumePlain(text: string): number {
    const checkText = this.utf8.sawInvalid && hasInvalidUtf8(text);
    const nlLen = this.newline.length;
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
      const at = this.line;
      this.line += 1 + lone;
      let end = eol;
      if (nlLen === 1 && end > p && text.charCodeAt(end - 1) === 13) end--; // stray CR, as in emit
      if (end > p) {
        if (this.report.width < 0) this.setHeader(text.substring(p, end).split(','));
        else if (splitInto(text, p, end, this.report.width, this.fields))
          this.report.record(this.fields, at, checkText);
        else this.report.wrongWidthLine(at, text.substring(p, end));
      }
      p = eol + nlLen;
      if (p >= n) return n;
    }
  }
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
