/**
 * Streaming CSV records, one chunk (about 1 MB) at a time, so a file of any size is read in bounded
 * memory. Values stay strings (no type guessing: `007000123` stays as is). Each record carries its
 * file line (header = line 1), counted through quoted line breaks. A record holding bytes that are
 * not UTF-8 goes to the handler's invalidUtf8, never to record().
 *
 * Three parts, each with its own state (csv/): the chunk splitter carries the unread rest from one
 * chunk to the next, the row decoder turns whole lines into records (quote-free lines cut by hand,
 * quoted text through papaparse) and counts lines, the report tells the handler what each row is.
 */

import { ChunkSplitter } from './csv/chunks.js';
import { CsvReport } from './csv/report.js';
import { RowDecoder } from './csv/rows.js';
import type { RecordHandler } from './record-handler.js';
import { Utf8Decoder } from './utf8.js';

export interface CsvRead {
  /** Lines read, header and blank lines included. */
  lines: number;
  /** Rows reported malformed for their quotes (not balanced, or a quoted field never closed). */
  quoteProblems: number;
}

/** Reads all records into `handler`. */
export async function readCsvRecords(bytes: AsyncIterable<Buffer>, handler: RecordHandler): Promise<CsvRead> {
  const utf8 = new Utf8Decoder();
  const report = new CsvReport(handler);
  const rows = new RowDecoder(report, utf8);
  const splitter = new ChunkSplitter(rows, report, utf8);
  for await (const chunk of bytes) splitter.push(chunk);
  splitter.end();
  return { lines: rows.line - 1, quoteProblems: report.quoteProblems };
}
