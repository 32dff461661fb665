/**
 * Reading a wide warehouse-style table (CSV or Arrow) as text columns, for `retain train --table`.
 * Blank and whitespace-only cells are null (warehouse exports write ' ' for a missing value). Malformed rows are an InputError listing their lines.
 */
import { echo, echoBare } from '../echo.js';
import { InputError } from '../errors.js';
import { readRecords, StopReading } from './records.js';
import type { FileFormat, RawTable } from './types.js';

export interface HeaderInfo {
  names: string[];
  format: FileFormat;
  gzip: boolean;
}

/** The column names of a file (the CSV header or the Arrow schema), reading no further than needed. */
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

export async function readRawTable(path: string): Promise<RawTable> {
  let names: string[] = [];
  let columns: (string | null)[][] = [];
  let rowCount = 0;
  const bad: string[] = [];
  let badCount = 0;
  const r = await readRecords(path, {
    header(n) {
      if (n.length === 0) throw new InputError(`${path}: no header row (the file is empty)`);
      names = n;
      columns = n.map(() => []);
      return undefined;
    },
    record(fields) {
      for (let c = 0; c < fields.length; c++) {
        const v = fields[c]!;
        columns[c]!.push(v === '' || v.trim() === '' ? null : v);
      }
      rowCount++;
    },
    malformed(line, message) {
      badCount++;
      if (bad.length < 10) bad.push(`line ${line}: ${message}`);
    },
    invalidUtf8(line, column, value) {
      badCount++;
      if (bad.length < 10)
        bad.push(`line ${line}, column ${echoBare(names[column]!, 60)}: not valid UTF-8: ${echo(value)}`);
    },
  });
  if (badCount > 0) {
    const word = r.format === 'csv' ? '' : ' (Arrow rows)';
    throw new InputError(`${path}: ${badCount} malformed rows${word}:\n  ${bad.join('\n  ')}`);
  }
  return { names, columns, rowCount, path };
}
