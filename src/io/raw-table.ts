/**
 * Reading a wide warehouse-style table (CSV, Arrow or Parquet): `readCellTable` into typed cell columns for
 * `retain train --table` and `score --table` (cell-columns.ts), `readRawTable` as text columns for
 * small tables read back (a score folder's CSV).
 * Blank and whitespace-only cells are null (warehouse exports write ' ' for a missing value). Malformed rows are an InputError listing their lines.
 */
import { echo, echoBare } from '../echo.js';
import { InputError } from '../errors.js';
import { threadsFor } from '../workers.js';
import { CellColumnBuilder, type CellTable, joinColumnParts } from './cell-columns.js';
import { type CellTablePart, cellTablePartsOnThreads } from './cell-table-threads.js';
import { type CsvPart, planParts } from './parts.js';
import type { RecordHandler } from './record-handler.js';
import { type RecordsRead, readRecords, StopReading } from './records.js';
import { type RowPlaces, RowPlacesBuilder } from './row-places.js';
import type { FileFormat, RawTable } from './types.js';

/**
 * Bytes each part of a wide CSV table read on several threads has at least: a smaller file is read
 * in one pass (a thread's start costs about a tenth of a second, what 4 MB of cells take to read).
 */
const MIN_PART_BYTES = 32 << 20;

export interface HeaderInfo {
  names: string[];
  format: FileFormat;
  gzip: boolean;
}

/** The column names of a file (the CSV header, or the Arrow or Parquet schema), reading no further than needed. */
export async function readHeader(path: string): Promise<HeaderInfo> {
  let names: string[] = [];
  const r = await readRecords(path, {
    header(n) {
      names = n;
      throw new StopReading();
    },
    record() {},
    malformed() {},
    invalidUtf8() {},
  });
  return { names, ...r };
}

/** Collects up to 10 malformed rows and fails naming them once the file is read. */
class Malformed {
  /** The first ten: line (CSV) or row (Arrow, Parquet), and what is wrong after the place. */
  readonly first: [number, string][] = [];
  count = 0;
  add(line: number, message: string): void {
    this.count++;
    if (this.first.length < 10) this.first.push([line, `: ${message}`]);
  }
  invalidUtf8(line: number, name: string, value: string): void {
    this.count++;
    if (this.first.length < 10)
      this.first.push([line, `, column ${echoBare(name, 60)}: not valid UTF-8: ${echo(value)}`]);
  }
  check(path: string, r: RecordsRead): void {
    if (this.count === 0) return;
    const word = r.format === 'csv' ? '' : r.format === 'parquet' ? ' (Parquet rows)' : ' (Arrow rows)';
    const place = r.format === 'csv' ? 'line' : 'row';
    const lines = this.first.map(([at, what]) => `${place} ${at}${what}`);
    throw new InputError(`${path}: ${this.count} malformed rows${word}:\n  ${lines.join('\n  ')}`);
  }
}

/** What takes a table's records: each as text fields, and optionally a plain CSV record as bytes. */
interface TableSink {
  text(fields: string[]): void;
  /** Field c is bytes[spans[2c], spans[2c + 1]) (RecordHandler.plainRecord). */
  bytes?(bytes: Buffer, spans: Int32Array): void;
}

interface TableRead {
  names: string[];
  rowCount: number;
  places: RowPlaces;
  /** Lines read, the header line included. */
  lines: number;
  /** No malformed row, no invalid UTF-8, no quote problem. */
  clean: boolean;
}

/**
 * Reads a table's records: `start` is told the header's names and returns what takes each record.
 * The whole file fails with the malformed rows named once it is read; a part (see parts.ts) only
 * says whether it was clean.
 */
async function readTable(
  path: string,
  start: (names: string[]) => TableSink,
  takesBytes = false,
  part?: CsvPart,
): Promise<TableRead> {
  let names: string[] = [];
  let sink: TableSink = { text() {} };
  let rowCount = 0;
  const places = new RowPlacesBuilder();
  const bad = new Malformed();
  const handler: RecordHandler = {
    header(n) {
      if (n.length === 0) throw new InputError(`${path}: no header row (the file is empty)`);
      names = n;
      sink = start(n);
      return undefined;
    },
    record(fields, line) {
      sink.text(fields);
      places.add(line);
      rowCount++;
    },
    malformed: (line, message) => bad.add(line, message),
    invalidUtf8: (line, column, value) => bad.invalidUtf8(line, names[column]!, value),
  };
  if (takesBytes)
    handler.plainRecord = (bytes, spans, line) => {
      if (sink.bytes === undefined) return false;
      sink.bytes(bytes, spans);
      places.add(line);
      rowCount++;
      return true;
    };
  const r = await readRecords(path, handler, undefined, part);
  if (part === undefined) bad.check(path, r);
  return {
    names,
    rowCount,
    places: places.finish(r.format === 'csv' ? 'line' : 'row'),
    lines: r.lines,
    clean: bad.count === 0 && r.quoteProblems === 0,
  };
}

export async function readRawTable(path: string): Promise<RawTable> {
  let columns: (string | null)[][] = [];
  const { names, rowCount } = await readTable(path, (n) => {
    columns = n.map(() => []);
    return {
      text(fields) {
        for (let c = 0; c < fields.length; c++) {
          const v = fields[c]!;
          columns[c]!.push(v === '' || v.trim() === '' ? null : v);
        }
      },
    };
  });
  return { names, columns, rowCount, path };
}

export interface CellTableOptions {
  /** Columns that also keep every cell's text (ids). */
  readonly text?: readonly string[];
  /**
   * Threads reading a large plain CSV file in byte ranges side by side (0 = all cores; default 1,
   * one pass). The table is the same whatever the count.
   */
  readonly threads?: number;
  /** Ranges to cut the file into (default: the threads); with one thread they are read in turn. */
  readonly parts?: number;
  /** Bytes a range has at least (default MIN_PART_BYTES). */
  readonly minPartBytes?: number;
}

/** The whole file, or one range of it, read into a builder per column. */
async function readCells(
  path: string,
  text: readonly string[],
  part?: CsvPart,
): Promise<{ read: TableRead; builders: CellColumnBuilder[] }> {
  let builders: CellColumnBuilder[] = [];
  const start = (names: string[]): TableSink => {
    builders = names.map((name) => new CellColumnBuilder(text.includes(name)));
    return {
      text(fields) {
        for (let c = 0; c < fields.length; c++) builders[c]!.add(fields[c]);
      },
      // A plain CSV record straight from its bytes: no string per cell.
      bytes(bytes, spans) {
        for (let c = 0; c < builders.length; c++)
          builders[c]!.addBytes(bytes, spans[2 * c]!, spans[2 * c + 1]!);
      },
    };
  };
  const read = await readTable(path, start, true, part);
  return { read, builders };
}

/**
 * Reads a wide table straight into typed cell columns (see cell-columns.ts), a plain CSV record from
 * its bytes (cell-bytes.ts): memory grows by a number (and, for low-cardinality columns, a code) per
 * cell, not a string. Columns named in `text` (ids) also keep every cell's text.
 *
 * A large plain CSV file is read in ranges side by side when threads are given, each range into its
 * own columns, joined in file order into the columns one pass builds. A range that is not clean (a
 * malformed row, bytes that are not UTF-8, quotes across ranges) or that cannot be read sends the
 * file to one pass, which reports what is wrong as it always does.
 */
export async function readCellTable(path: string, options: CellTableOptions = {}): Promise<CellTable> {
  const text = options.text ?? [];
  const threads = threadsFor(options.threads ?? 1);
  const count = options.parts ?? threads;
  const plan = count > 1 ? await planParts(path, count, options.minPartBytes ?? MIN_PART_BYTES) : null;
  const parts = plan && (await cellTablePartsOnThreads(path, plan, text, threads, readCellTablePart));
  if (parts) return joinCellTable(path, parts);
  const { read, builders } = await readCells(path, text);
  const { names, rowCount, places } = read;
  return { names, columns: builders.map((b) => b.finish()), rowCount, path, places };
}

/** One range of a plain CSV file read into cell columns; null when it is not clean (see readCellTable). */
export async function readCellTablePart(
  path: string,
  part: CsvPart,
  text: readonly string[],
): Promise<CellTablePart | null> {
  const { read, builders } = await readCells(path, text, part);
  if (!read.clean) return null;
  const { names, rowCount, lines, places } = read;
  return { names, rowCount, lines, places, columns: builders.map((b) => b.part()) };
}

/** The parts of a file, in order, joined into the table one pass over it reads. */
function joinCellTable(path: string, parts: readonly CellTablePart[]): CellTable {
  const places = new RowPlacesBuilder();
  let rows = 0;
  let lines = 0;
  for (const p of parts) {
    places.append(p.places, rows, lines, p.rowCount);
    rows += p.rowCount;
    // Each part's lines count its copy of the header line.
    lines += p.lines - 1;
  }
  const names = parts[0]!.names;
  return {
    names,
    columns: names.map((_, c) => joinColumnParts(parts.map((p) => p.columns[c]!))),
    rowCount: rows,
    path,
    places: places.finish('line'),
  };
}
