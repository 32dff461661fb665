/**
 * Reading a wide warehouse-style table (CSV, Arrow or Parquet): `readCellTable` into typed cell columns for
 * `retain train --table` and `score --table` (cell-columns.ts), `readRawTable` as text columns for
 * small tables read back (a score folder's CSV).
 * Blank and whitespace-only cells are null (warehouse exports write ' ' for a missing value). Malformed rows are an InputError listing their lines.
 */
import { echo, echoBare } from '../echo.js';
import { InputError } from '../errors.js';
import { CellColumnBuilder, type CellTable, type RowPlaces, RowPlacesBuilder } from './cell-columns.js';
import type { RecordHandler } from './record-handler.js';
import { type RecordsRead, readRecords, StopReading } from './records.js';
import type { FileFormat, RawTable } from './types.js';

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

/**
 * Reads a table's records: `start` is told the header's names and returns what takes each record;
 * fails with the malformed rows named once the whole file is read.
 */
async function readTable(
  path: string,
  start: (names: string[]) => TableSink,
  takesBytes = false,
): Promise<{ names: string[]; rowCount: number; places: RowPlaces }> {
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
  const r = await readRecords(path, handler);
  bad.check(path, r);
  return { names, rowCount, places: places.finish(r.format === 'csv' ? 'line' : 'row') };
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

/**
 * Reads a wide table straight into typed cell columns (see cell-columns.ts), a plain CSV record from
 * its bytes (cell-bytes.ts): memory grows by a number
 * (and, for low-cardinality columns, a code) per cell, not a string. Columns named in `text` (ids)
 * also keep every cell's text.
 */
export async function readCellTable(
  path: string,
  options: { text?: readonly string[] } = {},
): Promise<CellTable> {
  let builders: CellColumnBuilder[] = [];
  const { names, rowCount, places } = await readTable(
    path,
    (n) => {
      builders = n.map((name) => new CellColumnBuilder(options.text?.includes(name) ?? false));
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
    },
    true,
  );
  return { names, columns: builders.map((b) => b.finish()), rowCount, path, places };
}
