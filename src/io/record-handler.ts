/**
 * What a record reader (csv.ts, arrow-records.ts) calls as it reads a file: the header, then each
 * record, each malformed record and each record with bytes that are not UTF-8. records.ts puts the
 * readers behind one function.
 */

/** How a date-typed Arrow column should be written as text. */
export type TemporalHint = 'month' | 'date' | 'datetime' | undefined;

export interface RecordHandler {
  /**
   * Called once with the column names (empty when the file has none), which readRecords has checked
   * to be distinct and valid UTF-8; may throw.
   */
  header(names: string[]): TemporalHint[] | undefined;
  /** `fields` is reused between calls: copy what you keep. */
  record(fields: string[], line: number): void;
  /**
   * Optional fast path for a plain CSV record (ASCII, the header's field count, quotes only around
   * whole fields with no quote, comma or line break inside): field c is bytes[spans[2c], spans[2c+1])
   * of `bytes`, without its quotes. Returns false to have it passed to record() instead, which must
   * then give the same outcome; both are reused between calls.
   */
  plainRecord?(bytes: Buffer, spans: Int32Array, line: number): boolean;
  malformed(line: number, message: string, value: string): void;
  /**
   * A record whose field `column` (0-based) holds bytes that are not UTF-8, each read as a lone
   * surrogate (utf8.ts); the record goes nowhere else.
   */
  invalidUtf8(line: number, column: number, value: string): void;
}
