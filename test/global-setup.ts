/**
 * Once per test run: say plainly when the tests that need the public churn tables will be skipped,
 * and give the run a temporary folder of its own, removed at the end, so no test leaves folders
 * behind in the system's temporary folder (the test processes inherit TMPDIR).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_DATA_MISSING } from './helpers/shared-path.js';

export default function setup(): () => void {
  if (SHARED_DATA_MISSING !== null) {
    process.stderr.write(
      `\nNOTICE: ${SHARED_DATA_MISSING}. The tests that measure the models on the public churn ` +
        'tables are skipped; everything else runs.\n\n',
    );
  }
  const runTemp = mkdtempSync(join(tmpdir(), 'retain-tests-'));
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = runTemp;
  return () => rmSync(runTemp, { recursive: true, force: true });
}
