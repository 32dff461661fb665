/** A set of tables written under one folder, CSV, Arrow or Parquet, with sub-folders created as needed. */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Frame } from '../frame.js';
import type { WrittenFiles } from './run-manifest.js';
import { type CsvWriteOptions, type CsvWritten, newCellCache, type OutTable, writeCsv } from './write.js';
import { writeArrow } from './write-arrow.js';
import { writeParquet } from './write-parquet.js';

export const TABLE_FORMATS = ['csv', 'arrow', 'parquet'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/**
 * Writes each table to `<dir>/<name>.csv` (or `.arrow`, `.parquet`); names may hold sub-folders (`targets/warning`).
 * Returns the paths written, in the order given.
 */
export async function writeTableSet(
  dir: string,
  tables: readonly (readonly [name: string, table: Frame | OutTable])[],
  format: TableFormat,
  options: { bom?: boolean; hashed?: WrittenFiles } = {},
): Promise<string[]> {
  const written: string[] = [];
  // The tables of a set share their text: each dictionary entry is made a CSV cell once for all.
  const shared = { bom: options.bom ?? false, cells: newCellCache() };
  for (const [name, table] of tables) {
    const path = join(dir, `${name}.${format}`);
    await mkdir(dirname(path), { recursive: true });
    const csv = await writeTableFile(table, path, format, shared);
    // A CSV file is hashed as it is written: the run's manifest need not read it again.
    if (csv) options.hashed?.set(`${name}.${format}`, csv);
    written.push(path);
  }
  return written;
}

/** Writes one table to `path` in `format`, atomically; the one place a format picks its writer. */
export async function writeTableFile(
  table: Frame | OutTable,
  path: string,
  format: TableFormat,
  options: CsvWriteOptions = {},
): Promise<CsvWritten | null> {
  if (format === 'arrow') await writeArrow(table, path);
  else if (format === 'parquet') await writeParquet(table, path);
  else return writeCsv(table, path, options);
  return null;
}

/** Reads a whole text file; `what` names it in the error, which is built by the caller's `fail`. */
export async function readText(path: string, fail: (why: string, cause: unknown) => Error): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : (code ?? String(err)), err);
  }
}
