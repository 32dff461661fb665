/**
 * A folder of `score --table` holds scores but no billing month and no call lists: the commands that
 * read a scored month say what the folder is (exit 3), not that a list file is missing.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/index.js';
import { errorMessage, retain } from '../helpers/cli.js';
import { sampleBilling, sampleFiles, sampleUpTo } from '../helpers/sample.js';

const june = sampleUpTo('2025-06');
const july = sampleBilling('2025-07');
const dir = mkdtempSync(join(tmpdir(), 'retain-scored-mode-'));
const table = join(dir, 'wide.csv');

/** What each command is told about the table folder, after the folder's path. */
const told = (use: string) =>
  `: scored from the wide table ${table} (retain score --table): it holds scores, but no billing month ` +
  `and no call lists; ${use} needs a month scored from billing files (retain score BILLING...)`;

beforeAll(async () => {
  const random = createRandom(5, 1);
  const lines = ['id,tenure,plan,churn'];
  for (let i = 0; i < 300; i++) {
    const tenure = random.int(72);
    lines.push(`s${i},${tenure},${random.int(3)},${random.next() < 0.6 - tenure / 150 ? 'Yes' : 'No'}`);
  }
  writeFileSync(table, `${lines.join('\n')}\n`);
  const train = ['-q', 'train', '--table', table, '--label', 'churn', '--id', 'id'];
  const trained = await retain([...train, '--engine', 'forest', '--trees', '5', '--out', 'wide.json'], dir);
  expect(trained.code, trained.stderr).toBe(0);
  const scored = await retain(
    ['-q', 'score', '--table', table, '--model', 'wide.json', '--out', 'wide'],
    dir,
  );
  expect(scored.code, scored.stderr).toBe(0);
  const month = await retain(['-q', 'score', ...june, '--out', 'june'], dir);
  expect(month.code, month.stderr).toBe(0);
}, 120_000);

describe('a folder scored from a wide table', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['retain report',           'r1.html', ['report', 'wide']],
    ['retain report --history', 'r2.html', ['report', 'june', '--history', 'wide']],
    ['retain evaluate',         'e.json',  ['evaluate', 'wide', july]],
    ['retain train --uplift',   'u.json',  ['train', ...sampleFiles('billing', '2025-06'), july, '--uplift', 'wide']],
  ])('given to %s is an input error saying what the folder is', async (use, out, args) => {
    const r = await retain([...args, '--out', out], dir);
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toBe(`${join(dir, 'wide')}${told(use)}`);
    expect(existsSync(join(dir, out))).toBe(false);
  });

  it('leaves a month scored from billing files to report', async () => {
    const r = await retain(['-q', 'report', 'june', '--out', 'june.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'june.html'))).toBe(true);
  });
});
