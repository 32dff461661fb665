import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const billingFiles = readdirSync(SAMPLE)
  .filter((f) => f.startsWith('billing-'))
  .sort()
  .map((f) => join(SAMPLE, f));
const BIGML = resolve(import.meta.dirname, '../../../shared/data/bigml-churn');
const haveShared = (() => {
  try {
    return readdirSync(BIGML).length > 0;
  } catch {
    return false;
  }
})();

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
    // The default engine is auto: both engines measured on the validation month, the lower log-loss kept.
    const selection = model.training.engineSelection;
    expect(selection.requested).toBe('auto');
    expect(selection.trials.map((t: { engine: string }) => t.engine)).toEqual(['forest', 'boost']);
    const [forest, boost] = selection.trials;
    expect(selection.chosen).toBe(boost.logLoss < forest.logLoss ? 'boost' : 'forest');
    expect(model).toMatchObject({ format: 'retain-model', version: 1, engine: selection.chosen });
    expect(one.stdout).toMatch(/engine forest.*validation log-loss \d\.\d{4}/);
    expect(one.stdout).toMatch(/engine boost.*validation log-loss \d\.\d{4}.* \d+ rounds/);
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

  describe.skipIf(!haveShared)('--table on the BigML churn table', () => {
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
      const score = await retain(
        ['score', '--table', join(BIGML, 'churn-bigml-20.csv'), '--model', 'bigml.json', '--out', 'scored'],
        dir,
      );
      expect(score.code, score.stderr).toBe(0);
      const lines = readFileSync(join(dir, 'scored', 'scores.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(lines[0]).toBe('row,churn_probability,risk_decile,segment');
      expect(lines).toHaveLength(668);
      // A wide-table model cannot score billing files.
      const wrong = await retain(['score', ...billingFiles, '--model', 'bigml.json'], dir);
      expect(wrong.code).toBe(3);
    }, 120_000);
  });
});
