import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { retain } from '../helpers/cli.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const billingFiles = readdirSync(SAMPLE)
  .filter((f) => f.startsWith('billing-'))
  .sort()
  .map((f) => join(SAMPLE, f));
const BIGML = sharedPath('bigml-churn');

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('retain train', () => {
  it('writes the same model file byte for byte with 1 thread and with 2', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1754006400');
    const dir = mkdtempSync(join(tmpdir(), 'retain-train-'));
    const common = ['train', ...billingFiles, '--trees', '12', '--seed', '7', '--log-level', 'warn'];
    const one = await retain([...common, '--threads', '1', '--out', 'one.json'], dir);
    const two = await retain([...common, '--threads', '2', '--out', 'two.json'], dir);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const a = readFileSync(join(dir, 'one.json'));
    const b = readFileSync(join(dir, 'two.json'));
    expect(a.equals(b)).toBe(true);
    const model = JSON.parse(a.toString());
    expect(model).toMatchObject({ format: 'retain-model', version: 1, engine: 'forest' });
    expect(model.training).toMatchObject({
      mode: 'subscriber',
      seed: 7,
      trainedAt: '2025-08-01T00:00:00.000Z',
    });
    expect(model.training.months).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(model.metrics.validation.testMonth).toBe('2025-06');
    expect(model.metrics.validation.metrics.auc).toBeGreaterThan(0.6);
    // The seed changes the model.
    const other = await retain(
      [...common.slice(0, -4), '--seed', '8', '--log-level', 'warn', '--out', 'other.json'],
      dir,
    );
    expect(other.code).toBe(0);
    expect(readFileSync(join(dir, 'other.json')).equals(a)).toBe(false);
  }, 120_000);

  it('names what is wrong on the command line (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-train-'));
    expect((await retain(['train'], dir)).code).toBe(2);
    expect((await retain(['train', '--table', 'x.csv'], dir)).stderr).toMatch(/--table needs --label/);
    expect((await retain(['train', ...billingFiles, '--trees', '0'], dir)).code).toBe(2);
    const single = await retain(['train', billingFiles[0]!], dir);
    expect(single.code).toBe(3);
    expect(single.stderr).toMatch(/no labelled month/);
  });

  describeWithSharedData('--table on the BigML churn table', () => {
    it('trains, reports hold-out metrics, and scores the held-out 20%', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'retain-table-'));
      const train = await retain(
        [
          'train',
          '--table',
          join(BIGML, 'churn-bigml-80.csv'),
          '--label',
          'Churn',
          '--out',
          'bigml.json',
          '--trees',
          '60',
        ],
        dir,
      );
      expect(train.code, train.stderr).toBe(0);
      // Model quality on the shared tables is measured in test/model/shared-tables.test.ts; here the command.
      const auc = Number(/hold-out \(30%, stratified\): AUC (\d\.\d+)/.exec(train.stdout)?.[1]);
      expect(auc).toBeGreaterThan(0.85);
      // Calibration, fitted on out-of-bag scores, measured on the hold-out: no probability left at 0.
      expect(train.stdout).toMatch(
        /calibration \((isotonic|platt), fitted on \d+ out-of-bag rows, measured on the hold-out\): Brier .* at exactly 0: \d+\.\d% → 0\.0%/,
      );
      const score = await retain(
        ['score', '--table', join(BIGML, 'churn-bigml-20.csv'), '--model', 'bigml.json', '--out', 'scored'],
        dir,
      );
      expect(score.code, score.stderr).toBe(0);
      const lines = readFileSync(join(dir, 'scored', 'scores.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(lines[0]).toBe('row,churn_probability,risk_decile,segment,reasons');
      expect(lines).toHaveLength(668);
      // Reasons name the table's columns and the row's values.
      expect(lines.slice(1).filter((l) => /,"?[^,]+: [^,]+/.test(l)).length).toBeGreaterThan(600);
      // A wide-table model cannot score billing files.
      const wrong = await retain(['score', ...billingFiles, '--model', 'bigml.json'], dir);
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).toMatch(
        /bigml\.json was trained with --table on a wide table; it cannot score billing files/,
      );
    }, 120_000);
  });
});
