/** Seeded stratified splits for validation and early stopping: each class is shuffled and cut in the same proportion. */
import { createRandom } from '../random.js';

export function stratifiedSplit(
  y: Uint8Array,
  testShare: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const random = createRandom(seed, 0x5eed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) rows.push(i);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const cut = Math.round(rows.length * testShare);
    test.push(...rows.slice(0, cut));
    train.push(...rows.slice(cut));
  }
  const asc = (a: number, b: number) => a - b;
  return { train: Int32Array.from(train.sort(asc)), test: Int32Array.from(test.sort(asc)) };
}
