/**
 * What a scored folder was scored from. `retain score --table` writes a folder of scores alone (no
 * month, no call lists); the commands that read a scored month say so rather than miss a list file.
 */
import { InputError } from '../../errors.js';
import type { ScoredFolder } from '../../io/index.js';

/** The wide table a folder was scored from, as its manifest records it; null for a scored month. */
function scoredTable(folder: ScoredFolder): string | null {
  return folder.manifest?.inputs.find((input) => input.kind === 'table')?.path ?? null;
}

/**
 * Refuses (exit 3) a folder of `retain score --table` given to `use` (e.g. "retain report"), which
 * needs a billing month scored with its lists.
 */
export function requireScoredMonth(folder: ScoredFolder, use: string): void {
  const table = scoredTable(folder);
  if (table === null) return;
  throw new InputError(
    `${folder.dir}: scored from the wide table ${table} (retain score --table): it holds scores, ` +
      `but no billing month and no call lists; ${use} needs a month scored from billing files (retain score BILLING...)`,
  );
}
