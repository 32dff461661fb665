/**
 * What the CSV reader reports to its handler, in one place: the header, each record (or why it is
 * not one: its quotes, its field count, bytes that are not UTF-8), and the count of quote problems.
 */
import type { RecordHandler } from '../record-handler.js';
import { hasInvalidUtf8 } from '../utf8.js';

export class CsvReport {
  /** Fields per record: the header's count, -1 until the header is read. */
  width = -1;
  /** Rows reported malformed for their quotes (not balanced, or a quoted field never closed). */
  quoteProblems = 0;
  /** The handler takes plain records as bytes (RecordHandler.plainRecord). */
  readonly takesBytes: boolean;

  constructor(private readonly handler: RecordHandler) {
    this.takesBytes = handler.plainRecord !== undefined;
  }

  /** The header row: its names, trimmed, go to the handler and its field count becomes the width. */
  header(row: string[]): void {
    this.width = row.length;
    this.handler.header(row.map((h) => h.trim()));
  }

  /** A file without a header (empty, or its first record never closes a quote). */
  noHeader(): void {
    this.handler.header([]);
  }

  /** A record of the header's width; `checkText` says a field may hold bytes that are not UTF-8. */
  record(fields: string[], at: number, checkText: boolean): void {
    if (!checkText || !this.invalidField(fields, at)) this.handler.record(fields, at);
  }

  /**
   * A plain ASCII record of the header's width as bytes (field c is bytes[spans[2c], spans[2c+1])):
   * to the handler's plainRecord, or cut into `fields` (reused) for record() when it declines.
   */
  plainRecord(bytes: Buffer, spans: Int32Array, at: number, fields: string[]): void {
    if (this.handler.plainRecord?.(bytes, spans, at) === true) return;
    for (let k = 0; k < this.width; k++)
      fields[k] = bytes.toString('latin1', spans[2 * k]!, spans[2 * k + 1]!);
    this.handler.record(fields, at);
  }

  /**
   * A record with another field count than the header's. One that holds a carriage return not before
   * a line feed has run on over lines ending with CR alone, and is said to.
   */
  wrongWidth(at: number, count: number, value: string): void {
    const cr = /\r(?!\n)/.test(value)
      ? "; it holds carriage returns (CR) that end no line here: the file's lines may end with CR alone (as in old Mac files), save it with LF or CRLF line ends"
      : '';
    this.handler.malformed(at, `${count} fields where the header has ${this.width}${cr}`, value);
  }

  /** A quote-free line with another field count than the header's. */
  wrongWidthLine(at: number, value: string): void {
    this.wrongWidth(at, value.split(',').length, value);
  }

  unbalanced(at: number, value: string): void {
    this.quoteProblems++;
    this.handler.malformed(at, 'quotes are not balanced', value);
  }

  unclosed(at: number, value: string): void {
    this.quoteProblems++;
    this.handler.malformed(at, 'a quoted field is not closed', value);
  }

  /** Hands a record with a field that is not UTF-8 to the handler; false when every field is. */
  private invalidField(row: string[], at: number): boolean {
    for (let c = 0; c < row.length; c++) {
      if (!hasInvalidUtf8(row[c]!)) continue;
      this.handler.invalidUtf8(at, c, row[c]!);
      return true;
    }
    return false;
  }
}
