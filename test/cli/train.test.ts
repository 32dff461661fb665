import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRandom, REFIT_BESIDE_CELLS } from '../../src/index.js';
import { logText, retain } from '../helpers/cli.js';
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

/**
 * A wide table with a known signal: churn is likelier with short tenure, high spend and the "basic"
 * plan; a tenth of the spend cells are blank.
 */
function writeTable(dir: string, rows: number, seed: number): string {
  const random = createRandom(seed, 1);
  const plans = ['basic', 'plus', 'max'];
  const lines = ['id,tenure,spend,plan,noise,churn'];
  for (let i = 0; i < rows; i++) {
    const tenure = random.int(72);
    const spend = 20 + 80 * random.next();
    const plan = plans[random.int(3)]!;
    const z = -1 - 0.05 * tenure + 0.03 * (spend - 60) + (plan === 'basic' ? 1 : 0);
    const churn = random.next() < 1 / (1 + Math.exp(-z)) ? 'Yes' : 'No';
    const cell = random.next() < 0.1 ? '' : spend.toFixed(2);
    lines.push(`c${i},${tenure},${cell},${plan},${random.normal().toFixed(3)},${churn}`);
  }
  const path = join(dir, `table-${seed}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('retain train', () => {
  it('writes the same model file byte for byte with 1 thread and with 2', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1754006400');
    const dir = mkdtempSync(join(tmpdir(), 'retain-train-'));
    const common = [
      'train',
      ...billingFiles,
      '--engine',
      'auto',
      '--trees',
      '12',
      '--seed',
      '7',
      '--log-level',
      'warn',
    ];
    const one = await retain([...common, '--threads', '1', '--out', 'one.json'], dir);
    const two = await retain([...common, '--threads', '2', '--out', 'two.json'], dir);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const a = readFileSync(join(dir, 'one.json'));
    const b = readFileSync(join(dir, 'two.json'));
    expect(a.equals(b)).toBe(true);
    const model = JSON.parse(a.toString());
    // auto: both engines measured on the validation month, the lower calibrated log-loss kept.
    const selection = model.training.engineSelection;
    expect(selection.requested).toBe('auto');
    expect(selection.trials.map((t: { engine: string }) => t.engine)).toEqual(['forest', 'boost']);
    const [forest, boost] = selection.trials;
    expect(selection.chosen).toBe(boost.calibratedLogLoss < forest.calibratedLogLoss ? 'boost' : 'forest');
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

  it('a table large enough for the refit beside the validation fit: the same model file on 1 thread and on 2', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1754006400');
    const dir = mkdtempSync(join(tmpdir(), 'retain-train-beside-'));
    const table = writeTable(dir, 100_000, 11);
    const common = ['train', '--table', table, '--label', 'churn', '--id', 'id', '--trees', '30'];
    const one = await retain([...common, '--threads', '1', '--out', 'one.json'], dir);
    const two = await retain([...common, '--threads', '2', '--out', 'two.json'], dir);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const a = readFileSync(join(dir, 'one.json'));
    expect(a.equals(readFileSync(join(dir, 'two.json')))).toBe(true);
    const model = JSON.parse(a.toString());
    expect(model.engine).toBe('boost');
    // Above the least size the refit starts beside (src/pipeline/boost-refit.ts).
    expect(100_000 * model.featureSchema.features.length).toBeGreaterThanOrEqual(REFIT_BESIDE_CELLS.least);
    // Off a terminal the log is JSON lines.
    const phases = two.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; phase?: string })
      .filter((l) => l.msg === 'phase')
      .map((l) => l.phase);
    expect(phases.slice(0, 4)).toEqual(['read', 'encode', 'validate', 'fit']);
  });

  it('billing files and a wide table log the same phases after the fit, then the total and peak RSS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-train-'));
    const table = writeTable(dir, 600, 3);
    const phasesOf = (stderr: string) => {
      const lines = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; phase?: string; seconds?: number; peakRssMiB?: number });
      const total = lines.find((l) => l.msg === 'total');
      expect(total?.seconds).toBeGreaterThan(0);
      expect(total?.peakRssMiB).toBeGreaterThan(0);
      return lines.filter((l) => l.msg === 'phase').map((l) => l.phase);
    };
    const common = ['--engine', 'forest', '--trees', '5', '--seed', '3'];
    const billing = await retain(['train', ...billingFiles, ...common, '--out', 'b.json'], dir);
    const wide = await retain(
      ['train', '--table', table, '--label', 'churn', '--id', 'id', ...common, '--out', 't.json'],
      dir,
    );
    expect([billing.code, wide.code]).toEqual([0, 0]);
    const after = ['fit', 'calibrate', 'drift', 'segments', 'explain', 'write'];
    expect(phasesOf(billing.stderr)).toEqual(['read', 'features', ...after]);
    expect(phasesOf(wide.stderr)).toEqual(['read', 'encode', ...after]);
  }, 120_000);

  it.each([
    [
      ['--engine', 'forest', '--learning-rate', '0.3', '--lambda-scaling', 'fixed'],
      '--learning-rate, --lambda-scaling set boosting, which --engine forest does not fit: ignored',
    ],
    [
      ['--engine', 'ml-random-forest', '--leaves', '7'],
      '--leaves sets boosting, which --engine ml-random-forest does not fit: ignored',
    ],
    [
      ['--class-weight', 'balanced'],
      '--class-weight sets the forest, which --engine boost does not fit: ignored',
    ],
    [['--engine', 'auto', '--learning-rate', '0.3', '--class-weight', 'balanced'], null],
    [['--engine', 'boost', '--lambda', '2'], null],
    [
      ['--engine', 'boost', '--row-share', '0.5', '--gradient-sample-from', '1'],
      "--gradient-sample-from does not apply with --row-share 0.5, which draws each tree's rows at random instead: ignored",
    ],
    [['--engine', 'boost', '--row-share', '1', '--gradient-sample-from', '1'], null],
  ])(
    'warns of engine flags the engine does not read: %j',
    async (flags, warning) => {
      const dir = mkdtempSync(join(tmpdir(), 'retain-train-'));
      const table = writeTable(dir, 300, 5);
      const r = await retain(
        [
          'train',
          '--table',
          table,
          '--label',
          'churn',
          '--id',
          'id',
          '--trees',
          '5',
          ...flags,
          '--out',
          'm.json',
        ],
        dir,
      );
      expect(r.code, r.stderr).toBe(0);
      const warnings = logText(r.stderr)
        .split('\n')
        .filter((l) => l.includes(': ignored'));
      expect(warnings.map((l) => l.slice(l.indexOf('--')))).toEqual(warning === null ? [] : [warning]);
    },
    60_000,
  );

  it('names what is wrong on the command line (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-train-'));
    expect((await retain(['train'], dir)).code).toBe(2);
    expect((await retain(['train', '--table', 'x.csv'], dir)).stderr).toMatch(/--table needs --label/);
    expect((await retain(['train', ...billingFiles, '--trees', '0'], dir)).code).toBe(2);
    const single = await retain(['train', billingFiles[0]!], dir);
    expect(single.code).toBe(3);
    expect(single.stderr).toMatch(/no labelled month/);
  });

  it('the default engine (boost) and --engine auto on a wide table: trained, recorded, and scoring the held-back rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-boost-'));
    const table = writeTable(dir, 2000, 3);
    const common = ['train', '--table', table, '--label', 'churn', '--id', 'id', '--log-level', 'warn'];
    // No --engine: boosting is the default.
    const boost = await retain([...common, '--out', 'boost.json'], dir);
    expect(boost.code, boost.stderr).toBe(0);
    expect(boost.stdout).toMatch(
      /engine boost \(kept\): validation log-loss \d\.\d{4} \(calibrated \d\.\d{4}\) {2}AUC \d\.\d{4} {2}\d+ rounds/,
    );
    expect(boost.stdout).not.toMatch(/engine forest/);
    const holdOut = Number(/hold-out \(30%, stratified\): AUC (\d\.\d+)/.exec(boost.stdout)?.[1]);
    expect(holdOut).toBeGreaterThan(0.75);
    const model = JSON.parse(readFileSync(join(dir, 'boost.json'), 'utf8'));
    expect(model.engine).toBe('boost');
    expect(model.forest).toMatchObject({ format: 'retain-boost', version: 1 });
    const rounds = model.training.engineSelection.trials[0].rounds;
    // The refit on every row grows the best validation round's count of trees (and stops there).
    expect(model.forest.trees).toHaveLength(rounds);
    expect(model.training.params).toMatchObject({
      earlyStopping: 0,
      learningRate: 0.1,
      lambdaScaling: 'hessian',
    });

    const auto = await retain([...common, '--engine', 'auto', '--out', 'auto.json'], dir);
    expect(auto.code, auto.stderr).toBe(0);
    const selection = JSON.parse(readFileSync(join(dir, 'auto.json'), 'utf8')).training.engineSelection;
    expect(selection).toMatchObject({ requested: 'auto' });
    const [forest, boosted] = selection.trials;
    expect([forest.engine, boosted.engine]).toEqual(['forest', 'boost']);
    // Same seed, same split: auto's boost trial is the boost run's.
    expect(boosted).toEqual(model.training.engineSelection.trials[0]);
    expect(selection.chosen).toBe(boosted.calibratedLogLoss < forest.calibratedLogLoss ? 'boost' : 'forest');
    expect(auto.stdout).toMatch(new RegExp(`engine ${selection.chosen} \\(kept\\)`));

    // --early-stopping 0: every one of --trees rounds is grown and kept, in the validation fit and the refit.
    const off = await retain([...common, '--early-stopping', '0', '--trees', '25', '--out', 'off.json'], dir);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toMatch(/engine boost \(kept\):.* 25 rounds/);
    expect(JSON.parse(readFileSync(join(dir, 'off.json'), 'utf8')).forest.trees).toHaveLength(25);

    const other = writeTable(dir, 500, 4);
    const score = await retain(
      ['score', '--table', other, '--id', 'id', '--model', 'boost.json', '--out', 'scored'],
      dir,
    );
    expect(score.code, score.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'scored', 'scores.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(501);
    const p = lines.slice(1).map((l) => Number(l.split(',')[1]));
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);

    // --lambda-scaling reaches the boosting and the model file; a value it does not know is refused.
    const fixed = await retain([...common, '--lambda-scaling', 'fixed', '--out', 'fixed.json'], dir);
    expect(fixed.code, fixed.stderr).toBe(0);
    const fixedModel = JSON.parse(readFileSync(join(dir, 'fixed.json'), 'utf8'));
    expect(fixedModel.training.params.lambdaScaling).toBe('fixed');
    expect(fixedModel.forest.trees).not.toEqual(model.forest.trees);
    const bad = await retain([...common, '--lambda-scaling', 'rows', '--out', 'bad.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lambda-scaling.*Allowed choices are hessian, fixed/);
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  }, 120_000);

  it('leaves unlabelled, not churned, a subscriber whose billing row of the next month was set aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-set-aside-'));
    const july = billingFiles.find((f) => f.endsWith('billing-2025-07.csv'))!;
    const months = billingFiles.filter((f) => f <= july);
    // The first 10 rows of July cut short after 8 cells: malformed, but naming their subscribers.
    const lines = readFileSync(july, 'utf8').split('\n');
    const cut = lines.slice(1, 11).map((l) => l.split(',')[0]!);
    for (let i = 1; i <= 10; i++) lines[i] = lines[i]!.split(',').slice(0, 8).join(',');
    writeFileSync(join(dir, 'july.csv'), lines.join('\n'));
    const june = readFileSync(months.at(-2)!, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);
    const billedInJune = cut.filter((id) => june.includes(id)).length;
    expect(billedInJune).toBeGreaterThan(0);
    const labelledJune = async (files: string[]) => {
      const r = await retain(
        ['train', ...files, '--trees', '20', '--out', 'm.json', '--log-level', 'warn'],
        dir,
      );
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split('\n').find((l) => l.startsWith('labelled 2025-06:'));
    };
    const clean = await labelledJune(months);
    const m = /^labelled 2025-06: (\d+) subscribers, (\d+) churned next month$/.exec(clean ?? '');
    expect(m, clean).not.toBeNull();
    const [subscribers, churned] = [Number(m![1]), Number(m![2])];
    expect(await labelledJune([...months.slice(0, -1), join(dir, 'july.csv')])).toBe(
      `labelled 2025-06: ${subscribers - billedInJune} subscribers, ${churned} churned next month; ${billedInJune} left unlabelled, their next month's billing row set aside as bad`,
    );
  }, 120_000);

  it('--engine boost on billing files: scores the next month end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-boost-'));
    const cdr = readdirSync(SAMPLE)
      .filter((f) => f.startsWith('cdr-'))
      .sort()
      .map((f) => join(SAMPLE, f));
    const train = await retain(
      [
        'train',
        ...billingFiles.slice(0, -1),
        '--cdr',
        ...cdr.slice(0, -1),
        '--engine',
        'boost',
        '--out',
        'm.json',
        '--log-level',
        'warn',
      ],
      dir,
    );
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')).engine).toBe('boost');
    const score = await retain(
      ['score', ...billingFiles, '--cdr', ...cdr, '--model', 'm.json', '--out', 'out'],
      dir,
    );
    expect(score.code, score.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(dir, 'out', 'scores.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(1154);
    const p = rows.map((r) => Number(r.churn_probability));
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(new Set(p).size).toBeGreaterThan(100);
  }, 120_000);

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
      // Calibration, fitted on out-of-bag scores (a forest) or on halves of the hold-out (boosting, which
      // has none), measured on the hold-out: no probability left at 0.
      expect(train.stdout).toMatch(
        /calibration \((isotonic|platt), fitted on \d+ (out-of-bag|hold-out halves) rows, measured on the hold-out\): Brier .* at exactly 0: \d+\.\d% → 0\.0%/,
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
