/** Seeded stratified splits for validation and early stopping: each class is shuffled and cut in the same proportion. */
import { createRandom } from '../random.js';

/**
 * Rows of each class are shuffled (Fisher–Yates, one seeded stream for both classes, class 0 first)
 * and the first round(share · count) go to the test set. Both index lists come back ascending.
 * Typed arrays and loops only: a table of millions of rows must not pass its rows as call arguments.
 */
export function stratifiedSplit(
  y: Uint8Array,
  testShare: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const random = createRandom(seed, 0x5eed);
  const inTest = new Uint8Array(y.length);
  let testCount = 0;
  let labelled = 0;
  for (const cls of [0, 1]) {
    let count = 0;
    for (let i = 0; i < y.length; i++) if (y[i] === cls) count++;
    labelled += count;
    const rows = new Int32Array(count);
    for (let i = 0, at = 0; i < y.length; i++) if (y[i] === cls) rows[at++] = i;
    for (let i = count - 1; i > 0; i--) {
      const j = random.int(i + 1);
      const t = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = t;
    }
    const cut = Math.round(count * testShare);
    for (let r = 0; r < cut; r++) inTest[rows[r]!] = 1;
    testCount += cut;
  }
  const test = new Int32Array(testCount);
  const train = new Int32Array(labelled - testCount);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (inTest[i] === 1) test[a++] = i;
    else if (y[i] === 0 || y[i] === 1) train[b++] = i;
  }
  return { train, test };
}
