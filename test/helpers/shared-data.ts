/**
 * The public churn tables kept beside the repository (shared-path.ts says where; see SOURCES.md there),
 * read the way the wide-table mode receives them: every cell a string, nothing typed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { describe } from 'vitest';
import { createRandom, type RawTable } from '../../src/index.js';
import { SHARED_DATA, SHARED_DATA_MISSING } from './shared-path.js';

export { SHARED_DATA, SHARED_DATA_MISSING };

/** The path of `<SHARED_DATA>/<relative>`. */
export function sharedPath(relative: string): string {
  return resolve(SHARED_DATA, relative);
}

/**
 * A describe block that needs the public tables: skipped, with the reason in its title, when the
 * folder is absent (a fresh clone). test/global-setup.ts prints one notice for the whole run.
 */
export function describeWithSharedData(title: string, fn: () => void): void {
  describe.skipIf(SHARED_DATA_MISSING !== null)(
    SHARED_DATA_MISSING === null ? title : `${title} (${SHARED_DATA_MISSING})`,
    fn,
  );
}

/** Reads `<SHARED_DATA>/<relative>` into a RawTable; header names kept verbatim. */
export function loadSharedTable(relative: string): RawTable {
  const text = readFileSync(resolve(SHARED_DATA, relative), 'utf8');
  const parsed = Papa.parse<string[]>(text, { header: false, dynamicTyping: false, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    throw new Error(`${relative}: row ${e.row}: ${e.message}`);
  }
  const [names, ...rows] = parsed.data;
  if (names === undefined) throw new Error(`${relative}: empty file`);
  const columns = names.map((_, k) => rows.map((r) => r[k] ?? null));
  return { names, columns, rowCount: rows.length };
}

/** The rows `rows` of a table, in that order. */
export function takeRows(raw: RawTable, rows: ArrayLike<number>): RawTable {
  const pick = (c: (string | null)[]) => Array.from(rows, (i) => c[i]!);
  return { names: raw.names, columns: raw.columns.map(pick), rowCount: rows.length };
}

/**
 * A seeded split keeping each class's share: within each class, a seeded shuffle puts
 * round(testShare · count) rows in the test set. Both index lists come back ascending.
 */
export function stratifiedSplit(
  y: Uint8Array,
  testShare: number,
  seed: number,
): { train: Uint32Array; test: Uint32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) rows.push(i);
    const r = createRandom(seed, label);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const nTest = Math.round(testShare * rows.length);
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  const sorted = (xs: number[]) => Uint32Array.from(xs).sort();
  return { train: sorted(train), test: sorted(test) };
}
