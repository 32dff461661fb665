/**
 * The scored folder read back in either format: `score --format arrow` followed by `report` and
 * `evaluate` gives what the CSV folder of the same run gives. And the report's options: history,
 * evaluation, the model that scored the month, the currency.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorMessage, logText, retain } from '../helpers/cli.js';
import { sampleBilling, sampleUpTo } from '../helpers/sample.js';
import { ALL_CHARTS } from '../report/report-input.js';

const june = sampleUpTo('2025-06');
const july = sampleBilling('2025-07');
const may = sampleUpTo('2025-05');
const dir = mkdtempSync(join(tmpdir(), 'retain-report-'));

beforeAll(async () => {
  for (const format of ['csv', 'arrow']) {
    const r = await retain(['-q', 'score', ...june, '--format', format, '--out', format], dir);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

describe('a scored folder in Arrow', () => {
  it('holds Arrow tables and says so in its manifest', () => {
    expect(readdirSync(join(dir, 'arrow')).sort()).toEqual([
      'retain-run.json',
      'scores.arrow',
      'summary.json',
      'targets',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'arrow', 'retain-run.json'), 'utf8')).table_format).toBe(
      'arrow',
    );
  });

  it('is reported as its CSV twin is', async () => {
    for (const format of ['csv', 'arrow']) {
      const r = await retain(['report', format, '--out', `${format}.html`, '--top', '20'], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    const html = readFileSync(join(dir, 'arrow.html'), 'utf8');
    expect(html).toContain('Retention report for 2025-06');
    expect([...html.matchAll(/<tr><td>(\d{10})<\/td>/g)]).toHaveLength(20);
    expect(html).toBe(readFileSync(join(dir, 'csv.html'), 'utf8'));
  });

  it('is evaluated as its CSV twin is', async () => {
    const out: Record<string, { stdout: string; json: unknown }> = {};
    for (const format of ['csv', 'arrow']) {
      const r = await retain(['evaluate', format, july, '--out', `${format}.json`], dir);
      expect(r.code, r.stderr).toBe(0);
      out[format] = { stdout: r.stdout, json: JSON.parse(readFileSync(join(dir, `${format}.json`), 'utf8')) };
    }
    expect(out.arrow!.stdout).toMatch(/^2025-06 scored, outcome from 2025-07: 1120 subscribers, 22 left/);
    // Each names the folder it measured, by its path and its manifest's SHA-256; nothing else differs.
    const measured = (format: string) => {
      const { scoredFolder, ...rest } = out[format]!.json as { scoredFolder: unknown };
      return { scoredFolder, rest };
    };
    for (const format of ['csv', 'arrow'])
      expect(measured(format).scoredFolder).toEqual({
        path: join(dir, format),
        manifestSha256: createHash('sha256')
          .update(readFileSync(join(dir, format, 'retain-run.json')))
          .digest('hex'),
      });
    expect(out.arrow!.stdout).toBe(out.csv!.stdout);
    expect(measured('arrow').rest).toEqual(measured('csv').rest);
  });
});

/** The evaluation of the CSV folder (retain evaluate --out), written once for the tests of the options. */
const EVALUATION = 'csv-eval.json';

/** A copy of the CSV folder's evaluation at `name` in the test folder, for one test alone; returns `name`. */
const ownEvaluation = (name: string): string => {
  copyFileSync(join(dir, EVALUATION), join(dir, name));
  return name;
};

/** The chart ids the report's log line names. */
const chartsOf = (stderr: string): string[] => {
  const line = stderr.split('\n').find((l) => l.includes('"report written"'));
  return (JSON.parse(line!) as { charts: string[] }).charts;
};

describe('retain report options', () => {
  // May scored in Arrow, and the evaluation of the CSV folder: every test below reads them, none writes
  // them. A test that needs an evaluation takes its own copy (ownEvaluation), and each writes its own
  // files, so one failing leaves the others' inputs as they were.
  beforeAll(async () => {
    const scored = await retain(['-q', 'score', ...may, '--format', 'arrow', '--out', 'may'], dir);
    expect(scored.code, scored.stderr).toBe(0);
    const evaluated = await retain(['-q', 'evaluate', 'csv', july, '--out', EVALUATION], dir);
    expect(evaluated.code, evaluated.stderr).toBe(0);
  }, 120_000);

  it('draws the KPI trend from --history and the outcome from --evaluation, in the configured currency', async () => {
    const evaluation = ownEvaluation('full-eval.json');
    writeFileSync(join(dir, 'money.json'), JSON.stringify({ report: { currency: 'CNY' } }));
    const args = ['report', 'csv', '--history', 'may', '--evaluation', evaluation, '--config', 'money.json'];
    const r = await retain([...args, '--out', 'full.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(chartsOf(r.stderr)).toEqual([...ALL_CHARTS]);
    const html = readFileSync(join(dir, 'full.html'), 'utf8');
    const summary = JSON.parse(readFileSync(join(dir, 'csv', 'summary.json'), 'utf8'));
    const listed = summary.revenue_at_risk.listed.toLocaleString('en-US', {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    expect(html).toContain(`<div class="value">CNY ${listed}</div>`);
    expect(html).toContain('Outcome in 2025-07: 1,120 subscribers evaluated, 22 left');
    // The May folder in Arrow gives the previous month beside June's KPIs.
    const prev = JSON.parse(readFileSync(join(dir, 'may', 'summary.json'), 'utf8'));
    expect(html).toContain(`previous month ${(prev.kpis.monthly_billed_churn * 100).toFixed(2)}%`);
  });

  it.each([
    [
      ['--evaluation', 'csv/summary.json'],
      3,
      /summary\.json: not an evaluation written by retain evaluate --out/,
      'refused-summary-evaluation.html',
    ],
    [
      ['--history', 'nowhere'],
      3,
      /nowhere: cannot open a --history folder \(no such folder\)/,
      'refused-no-history.html',
    ],
  ])('refuses %j (exit %i)', async (extra, code, message, out) => {
    const r = await retain(['report', 'csv', '--out', out, ...extra], dir);
    expect(r.code).toBe(code);
    expect(errorMessage(r.stderr)).toMatch(message);
    expect(existsSync(join(dir, out))).toBe(false);
  });

  it('refuses an evaluation edited by hand, naming each missing or mistyped field (exit 3)', async () => {
    const whole = JSON.parse(readFileSync(join(dir, ownEvaluation('whole-eval.json')), 'utf8'));
    const cut = { ...whole, capture: undefined, metrics: { ...whole.metrics, calibration: 'none' } };
    cut.campaign = { ...whole.campaign, overall: null };
    cut.scoredFolder = { ...whole.scoredFolder, manifestSha256: 'abc' };
    writeFileSync(join(dir, 'cut.json'), JSON.stringify(cut));
    const r = await retain(['report', 'csv', '--evaluation', 'cut.json', '--out', 'refused-cut.html'], dir);
    expect(r.code, r.stderr).toBe(3);
    const message = errorMessage(r.stderr);
    expect(message).toMatch(/cut\.json: not a whole evaluation of retain evaluate --out \(4 problems: /);
    for (const field of ['scoredFolder.manifestSha256', 'metrics.calibration', 'capture', 'campaign.overall'])
      expect(message).toContain(`${field}: `);
    expect(r.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
    expect(existsSync(join(dir, 'refused-cut.html'))).toBe(false);
  });

  it.each([
    ['the reported folder', ['bare-reported'], 'bare-reported'],
    ['a --history folder', ['csv', '--history', 'bare-history'], 'bare-history'],
  ])('refuses %s without a manifest whose summary.json is not a summary (exit 3)', async (_, args, bare) => {
    cpSync(join(dir, 'csv'), join(dir, bare), { recursive: true });
    rmSync(join(dir, bare, 'retain-run.json'));
    writeFileSync(join(dir, bare, 'summary.json'), '{}\n');
    const out = `refused-${bare}.html`;
    const r = await retain(['report', ...args, '--out', out], dir);
    expect(r.code, r.stderr).toBe(3);
    expect(logText(r.stderr)).toContain(`${join(dir, bare)}: no retain-run.json`);
    const message = errorMessage(r.stderr);
    expect(message).toContain(join(dir, bare, 'summary.json'));
    expect(message).toMatch(/: not a summary retain score wrote for a billing month \(\d+ problems: month: /);
    expect(message).toContain('kpis: Invalid input: expected object, received undefined');
    expect(r.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
    expect(existsSync(join(dir, out))).toBe(false);
  });

  it.each([
    ['the reported folder', ['relabelled-reported'], 'relabelled-reported'],
    ['a --history folder', ['csv', '--history', 'relabelled-history'], 'relabelled-history'],
  ])(
    'refuses %s whose manifest gives another month than its summary.json (exit 3), naming both',
    async (_, args, relabelled) => {
      const folder = join(dir, relabelled);
      cpSync(join(dir, 'may'), folder, { recursive: true });
      const manifest = join(folder, 'retain-run.json');
      writeFileSync(
        manifest,
        JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), month: '2025-04' }),
      );
      const out = `refused-${relabelled}.html`;
      const r = await retain(['report', ...args, '--out', out], dir);
      expect(r.code, r.stderr).toBe(3);
      expect(errorMessage(r.stderr)).toBe(
        `${join(folder, 'summary.json')}: of 2025-05, but ${manifest} gives 2025-04: the files of ${folder} ` +
          'are not of one scored month (one edited, or copied in from another run); score the month again',
      );
      expect(existsSync(join(dir, out))).toBe(false);
    },
  );

  it.each([
    [
      'a later month',
      ['may', '--history', 'csv'],
      `${join(dir, 'csv')} is of 2025-06, after the reported month 2025-05`,
      'refused-later.html',
    ],
    [
      'the reported month',
      ['csv', '--history', 'may', 'arrow'],
      `${join(dir, 'arrow')} is of 2025-06, the reported month itself (${join(dir, 'csv')})`,
      'refused-same.html',
    ],
    [
      'two folders of a month',
      ['csv', '--history', 'may', 'may-copy'],
      `${join(dir, 'may')}, ${join(dir, 'may-copy')}: 2 folders of 2025-05`,
      'refused-twice.html',
    ],
  ])('refuses a --history of %s (exit 2), naming the folders and months', async (_, args, problem, out) => {
    if (args.includes('may-copy')) cpSync(join(dir, 'may'), join(dir, 'may-copy'), { recursive: true });
    const r = await retain(['report', ...args, '--out', out], dir);
    expect(r.code, r.stderr).toBe(2);
    const reported = args[0] === 'may' ? '2025-05' : '2025-06';
    expect(errorMessage(r.stderr)).toBe(
      `--history: ${problem}. The trend takes one scored folder for each month before ${reported}`,
    );
    expect(existsSync(join(dir, out))).toBe(false);
  });

  it('refuses an evaluation of another month', async () => {
    const evaluation = ownEvaluation('june-eval.json');
    const r = await retain(['report', 'may', '--evaluation', evaluation, '--out', 'refused-month.html'], dir);
    expect(r.code).toBe(2);
    expect(errorMessage(r.stderr)).toMatch(
      /measures the outcome in 2025-07, but the scored month 2025-05 is followed by 2025-06/,
    );
    expect(existsSync(join(dir, 'refused-month.html'))).toBe(false);
  });

  it('matches the evaluation to the folder by its manifest: a copy passes, another scoring is refused', async () => {
    const evaluation = ownEvaluation('matched-eval.json');
    cpSync(join(dir, 'csv'), join(dir, 'csv-copy'), { recursive: true });
    const copy = await retain(['report', 'csv-copy', '--evaluation', evaluation, '--out', 'copy.html'], dir);
    expect(copy.code, copy.stderr).toBe(0);
    expect(logText(copy.stderr)).not.toContain('cannot be matched');
    expect(readFileSync(join(dir, 'copy.html'), 'utf8')).toContain('Outcome in 2025-07');

    // The Arrow folder scored the same month in another run: the evaluation measured the CSV one.
    const r = await retain(
      ['report', 'arrow', '--evaluation', evaluation, '--out', 'refused-other.html'],
      dir,
    );
    expect(r.code, r.stderr).toBe(3);
    const message = errorMessage(r.stderr);
    expect(message).toContain(
      `--evaluation ${join(dir, evaluation)}: measured the scored folder ${join(dir, 'csv')} `,
    );
    expect(message).toContain(
      `not the folder reported, whose ${join(dir, 'arrow', 'retain-run.json')} has SHA-256 `,
    );
    expect(existsSync(join(dir, 'refused-other.html'))).toBe(false);
  });

  it('reads an evaluation written before evaluations named their folder, with a warning', async () => {
    const whole = ownEvaluation('new-eval.json');
    const { scoredFolder: _, ...old } = JSON.parse(readFileSync(join(dir, whole), 'utf8'));
    writeFileSync(join(dir, 'old-eval.json'), JSON.stringify(old, null, 2));
    const r = await retain(['report', 'arrow', '--evaluation', 'old-eval.json', '--out', 'old.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(logText(r.stderr)).toContain(
      `--evaluation ${join(dir, 'old-eval.json')}: names no scored folder (written by an older retain evaluate): ` +
        `it cannot be matched to ${join(dir, 'arrow')}`,
    );
    expect(readFileSync(join(dir, 'old.html'), 'utf8')).toContain('Outcome in 2025-07');
  });

  it('shows the model parts only for the model that scored the month', async () => {
    const months = ['2025-05', '2025-06'].map(sampleBilling);
    const t = await retain(
      ['train', ...months, '--out', 'small.model.json', '--trees', '3', '--log-level', 'error'],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    const s = await retain(['-q', 'score', ...months, '--model', 'small.model.json', '--out', 'small'], dir);
    expect(s.code, s.stderr).toBe(0);
    const id = JSON.parse(readFileSync(join(dir, 'small', 'summary.json'), 'utf8')).model_id as string;

    const plain = await retain(['report', 'small', '--out', 'small.html'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(logText(plain.stderr)).toContain(`scored with model ${id}, not the shipped default model`);
    expect(chartsOf(plain.stderr)).not.toContain('importances');

    const given = await retain(
      ['report', 'small', '--model', 'small.model.json', '--out', 'small.html'],
      dir,
    );
    expect(given.code, given.stderr).toBe(0);
    expect(chartsOf(given.stderr)).toContain('importances');

    const wrong = await retain(['report', 'csv', '--model', 'small.model.json', '--out', 'wrong.html'], dir);
    expect(wrong.code).toBe(2);
    expect(errorMessage(wrong.stderr)).toMatch(
      new RegExp(`is model ${id}, but the folder was scored with model`),
    );
  }, 120_000);
});
