/** Once per test run: say plainly when the tests that need the public churn tables will be skipped. */
import { SHARED_DATA_MISSING } from './helpers/shared-path.js';

export default function setup(): void {
  if (SHARED_DATA_MISSING !== null) {
    process.stderr.write(
      `\nNOTICE: ${SHARED_DATA_MISSING}. The tests that measure the models on the public churn ` +
        'tables are skipped; everything else runs.\n\n',
    );
  }
}
