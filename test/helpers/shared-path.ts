/** Where the public churn tables sit: ../shared/data beside the repository (absent in a fresh clone). */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** ../shared/data resolved from the repository root. */
export const SHARED_DATA = resolve(repoRoot, '../shared/data');

/** Why shared-data tests are skipped, or null when the folder is there. */
export const SHARED_DATA_MISSING: string | null = existsSync(SHARED_DATA)
  ? null
  : 'skipped: ../shared/data (the public churn tables) is not beside the repository';
