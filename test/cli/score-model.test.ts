/** `retain score` refuses a model file edited by hand, and a model of the other mode, with exit 4. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH } from '../../src/index.js';
import { errorMessage, retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const billingFiles = files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f));
const cdrFiles = files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f));
const dir = mkdtempSync(join(tmpdir(), 'retain-score-model-'));
const id = JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')).id as string;

beforeAll(async () => {
  // A wide table, one row per customer, whose label follows two of its columns.
  const rows = Array.from({ length: 300 }, (_, i) => {
    const tenure = (i * 7) % 60;
    const calls = (i * 13) % 11;
    return `C${i},${tenure},${calls},${tenure < 12 && calls > 6 ? 1 : 0}`;
  });
  writeFileSync(join(dir, 'wide.csv'), `customer,tenure,care_calls,churned\n${rows.join('\n')}\n`);
  const r = await retain(
    [
      '-q',
      'train',
      '--table',
      'wide.csv',
      '--label',
      'churned',
      '--id',
      'customer',
      '--trees',
      '5',
      '--out',
      'wide.json',
    ],
    dir,
  );
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

describe('a model file edited by hand', () => {
  it.each([
    ['a changed threshold', '"thresholds":{"warning_deciles":1}', '"thresholds":{"warning_deciles":3}'],
    ['a NaN (null) threshold', '"thresholds":{"warning_deciles":1}', '"thresholds":{"warning_deciles":null}'],
  ])('%s: exit 4, nothing written', async (_, from, to) => {
    const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
    expect(text).toContain(from);
    writeFileSync(join(dir, 'edited.json'), text.replace(from, to));
    const r = await retain(
      ['score', ...billingFiles, '--cdr', ...cdrFiles, '--model', 'edited.json', '--out', 'edited'],
      dir,
    );
    expect(r.code).toBe(4);
    expect(errorMessage(r.stderr)).toContain(
      `edited.json: the model file was changed after it was written (id "${id}" does not match its content`,
    );
    expect(existsSync(join(dir, 'edited'))).toBe(false);
  });
});

describe('a model of the other mode', () => {
  it('a --table model scoring billing files: exit 4, before any input is read', async () => {
    const r = await retain(['score', ...billingFiles, '--model', 'wide.json', '--out', 'wrong'], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      'wide.json was trained with --table on a wide table; it cannot score billing files. ' +
        'Score its kind of table with --table FILE, or use a model trained on billing files.',
    );
    expect(r.stderr).not.toMatch(/billing: read/);
    expect(existsSync(join(dir, 'wrong'))).toBe(false);
  });

  it('a billing model scoring a wide table: exit 4', async () => {
    const r = await retain(['score', '--table', 'wide.csv', '--out', 'wrong-table'], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/was not trained with --table; score billing files without --table/);
    expect(existsSync(join(dir, 'wrong-table'))).toBe(false);
  });

  it('the --table model scores its table', async () => {
    const r = await retain(
      ['-q', 'score', '--table', 'wide.csv', '--model', 'wide.json', '--out', 'scored'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'scored', 'scores.csv'), 'utf8').split('\n')[0]).toBe(
      'customer,churn_probability,risk_decile,segment,reasons',
    );
  });

  it.each([['--month', '2025-07'], ['--strict']])('%s with --table: exit 2', async (...flag) => {
    const r = await retain(
      ['score', '--table', 'wide.csv', '--model', 'wide.json', ...flag, '--out', 'x'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag[0]} applies to billing files, not to --table`);
  });
});
