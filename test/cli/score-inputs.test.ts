/**
 * `retain score` checks the month it scores and the history it scores with, on the shipped sample
 * operator (seven months) and variants of it built in a temp folder: a stray row of a later month,
 * a CDR history of one month, a CDR month cut to its first week, a list date inside the month.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_MODEL_PATH, historyNeeds, loadModel } from '../../src/index.js';
import { errorMessage, retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const billingFiles = files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f));
const cdrFiles = files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f));
const SIX_MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];

const dir = mkdtempSync(join(tmpdir(), 'retain-score-inputs-'));
// biome-ignore lint/suspicious/noExplicitAny: parsed summary.json, read field by field in assertions
type Summary = Record<string, any>;
const summaryOf = (out: string): Summary => JSON.parse(readFileSync(join(dir, out, 'summary.json'), 'utf8'));
const scoresOf = (out: string): string => readFileSync(join(dir, out, 'scores.csv'), 'utf8');
const score = (args: readonly string[]) => retain(['score', '--log-level', 'warn', '-q', ...args], dir);

let full: Summary;

/**
 * The log lines of stderr, but drift warnings: whether the shipped model's June reference drifts in
 * the sample's July is the model's business, not these inputs' (test/cli/drift.test.ts tests drift).
 */
const logLines = (stderr: string): string[] =>
  stderr.split('\n').filter((line) => line !== '' && !line.includes('"msg":"drift: '));

beforeAll(async () => {
  const r = await score([...billingFiles, '--cdr', ...cdrFiles, '--out', 'full']);
  expect(r.code, r.stderr).toBe(0);
  // Seven months of billing and CDRs are all the history the shipped model's features read.
  expect(logLines(r.stderr)).toEqual([]);
  full = summaryOf('full');
}, 60_000);

describe('the scored month', () => {
  const stray = join(dir, 'billing-2025-08-stray.csv');
  beforeAll(() => {
    const [header, first] = readFileSync(billingFiles.at(-1)!, 'utf8').split('\n');
    writeFileSync(stray, `${header}\n${first!.replace(',2025-07,', ',2025-08,')}\n`);
  });

  it('refuses a billing file of a header and no rows rather than score the month before (exit 3)', async () => {
    // July's export cut short to its header: the run would score June again, as if it were new.
    const cut = join(dir, 'billing-2025-07-header.csv');
    writeFileSync(cut, `${readFileSync(billingFiles.at(-1)!, 'utf8').split('\n')[0]}\n`);
    const r = await score([...billingFiles.slice(0, -1), cut, '--cdr', ...cdrFiles, '--out', 'header-only']);
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toBe(
      `${cut}: a header and no billing rows; a billing file holds one month of subscribers (an export cut short?)`,
    );
    expect(existsSync(join(dir, 'header-only'))).toBe(false);
  });

  it('refuses a latest month with far fewer subscribers than the month before (exit 3, both counts)', async () => {
    const r = await score([...billingFiles, stray, '--cdr', ...cdrFiles, '--out', 'stray']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'the latest billing month 2025-08 bills 1 subscriber, 0.09% of the 1,154 subscribers of 2025-07',
    );
    expect(r.stderr).toContain('Give --month 2025-07');
    expect(existsSync(join(dir, 'stray'))).toBe(false);
  });

  it('scores the month --month names, saying how many later rows it ignored', async () => {
    const r = await score([
      ...billingFiles,
      stray,
      '--cdr',
      ...cdrFiles,
      '--month',
      '2025-07',
      '--out',
      'pinned',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const logged = logLines(r.stderr).map((l) => JSON.parse(l));
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'warn',
        rows: 1,
        months: ['2025-08'],
        msg: expect.stringMatching(/after 2025-07 ignored/),
      }),
    ]);
    expect(summaryOf('pinned').month).toBe('2025-07');
    expect(scoresOf('pinned')).toBe(scoresOf('full'));
  });

  it('scores an earlier month, leaving out later billing rows and CDR events', async () => {
    const r = await score([...billingFiles, '--cdr', ...cdrFiles, '--month', '2025-06', '--out', 'june']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/billing rows of months after 2025-06 ignored: 1154 rows of 2025-07/);
    expect(r.stderr).toMatch(/CDR events of months after 2025-06 ignored: \d+ events of 2025-07/);
    const june = summaryOf('june');
    expect(june.month).toBe('2025-06');
    // June has five months before it in the sample: one short of what trigger_months_3 reads.
    expect(june.history.billing).toEqual({
      needed: 6,
      present: SIX_MONTHS.slice(0, 5),
      missing: ['2024-12'],
      affected: ['trigger_months_3'],
    });
  });

  it.each([
    ['2025-09', 3, '--month 2025-09 is not in the billing files (months present: 2025-01 to 2025-07)'],
    ['2025-13', 2, '--month "2025-13" is not a month (YYYY-MM)'],
    ['July', 2, '--month "July" is not a month (YYYY-MM)'],
  ])('--month %s: exit %i', async (month, code, message) => {
    const r = await score([...billingFiles, '--cdr', ...cdrFiles, '--month', month, '--out', 'bad-month']);
    expect(r.code).toBe(code);
    expect(errorMessage(r.stderr)).toContain(message);
    expect(existsSync(join(dir, 'bad-month'))).toBe(false);
  });
});

describe('history', () => {
  it('records the history used in summary.json', () => {
    expect(full.history).toEqual({
      billing: { needed: 6, present: SIX_MONTHS, missing: [], affected: [] },
      cdr: { needed: 6, present: SIX_MONTHS, missing: [], affected: [] },
    });
    expect(full.cdr_months.map((c: Summary) => [c.month, c.days, c.truncated])).toEqual([
      ['2025-01', 31, false],
      ['2025-02', 28, false],
      ['2025-03', 31, false],
      ['2025-04', 30, false],
      ['2025-05', 31, false],
      ['2025-06', 30, false],
      ['2025-07', 31, false],
    ]);
    expect(full.input_warnings).toEqual([]);
  });

  it("warns when only the scored month's CDRs are given, and records what was missing", async () => {
    const r = await score([...billingFiles, '--cdr', cdrFiles.at(-1)!, '--out', 'one-cdr']);
    expect(r.code, r.stderr).toBe(0);
    const warning =
      "CDR history: 0 of the 6 months before 2025-07 that the model's features read; missing 2025-01 to 2025-06, " +
      'read by silent_run_vs_usual, voice_minutes_change, data_change, voice_calls_change, active_days_change, ' +
      'voice_slope, data_slope, trigger_months_3, trigger_usage_shift, trigger_silent_days';
    expect(r.stderr).toContain(warning);
    const s = summaryOf('one-cdr');
    expect(s.history.cdr).toMatchObject({ needed: 6, present: [], missing: SIX_MONTHS });
    expect(s.history.billing.missing).toEqual([]);
    expect(s.input_warnings).toEqual([warning]);
    // What the warning is about: usage_shift compares with CDR months that are not there.
    expect(full.triggers.usage_shift).toBeGreaterThan(100);
    expect(s.triggers.usage_shift).toBe(0);
  });

  it('--strict refuses it with exit 3 and writes nothing', async () => {
    const r = await score([...billingFiles, '--cdr', cdrFiles.at(-1)!, '--out', 'strict', '--strict']);
    expect(r.code).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(
      /^refused \(--strict\): CDR history: 0 of the 6 months before 2025-07/,
    );
    expect(existsSync(join(dir, 'strict'))).toBe(false);
  });

  it("the README's cron line passes the CDR months the shipped model reads, and pins the month", () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const cron = readme.split('\n').find((l) => l.startsWith('0 2 1 * * retain score '))!;
    const back = /--cdr \$\(for i in ([\d ]+); do echo \/data\/cdr\/\$\(date -d "\$i months ago"/.exec(
      cron,
    )?.[1];
    const { file } = loadModel(readFileSync(DEFAULT_MODEL_PATH, 'utf8'), DEFAULT_MODEL_PATH);
    const needs = historyNeeds(file.featureSchema.features, DEFAULT_CONFIG, file.training.cdr);
    // Months ago 1 (the scored month) to needs + 1.
    expect(
      back
        ?.split(' ')
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: needs.cdr.months + 1 }, (_, i) => i + 1));
    expect(cron).toContain("--month $(date -d 'last month' +\\%Y-\\%m)");
  });
});

describe('a truncated CDR month', () => {
  const cut = join(dir, 'cdr-2025-07-first-week.csv.gz');
  beforeAll(() => {
    const lines = gunzipSync(readFileSync(cdrFiles.at(-1)!))
      .toString('utf8')
      .trim()
      .split('\n');
    // start_time is the second column: keep 1–7 July.
    const kept = lines.filter((l, i) => i === 0 || Number(l.split(',')[1]!.slice(8, 10)) <= 7);
    writeFileSync(cut, gzipSync(`${kept.join('\n')}\n`));
  });

  it('is flagged in the log and in summary.json', async () => {
    const r = await score([...billingFiles, '--cdr', ...cdrFiles.slice(0, -1), cut, '--out', 'cut']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /CDR month 2025-07 looks truncated: events on 7 of its 31 days \(limit checks\.min_cdr_day_share 90%\); [\d.]+ events per billed subscriber, \d+% of 2025-06's [\d.]+/,
    );
    const july = summaryOf('cut').cdr_months.at(-1);
    expect(july).toMatchObject({
      month: '2025-07',
      days: 7,
      days_in_month: 31,
      billed_subscribers: 1154,
      truncated: true,
    });
    expect(july.problems).toHaveLength(2);
    const june = full.cdr_months.find((c: Summary) => c.month === '2025-06');
    expect(july.events_per_subscriber).toBeLessThan(0.3 * june.events_per_subscriber);
  });

  it('--strict refuses it with exit 3', async () => {
    const r = await score([
      ...billingFiles,
      '--cdr',
      ...cdrFiles.slice(0, -1),
      cut,
      '--out',
      'cut-strict',
      '--strict',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused \(--strict\): CDR month 2025-07 looks truncated/);
    expect(existsSync(join(dir, 'cut-strict'))).toBe(false);
  });

  it('is not flagged under thresholds the config lowers', async () => {
    writeFileSync(
      join(dir, 'lenient.json'),
      JSON.stringify({ checks: { min_cdr_day_share: 0.2, min_cdr_events_share: 0.2 } }),
    );
    const r = await score([
      ...billingFiles,
      '--cdr',
      ...cdrFiles.slice(0, -1),
      cut,
      '--out',
      'cut-lenient',
      '--strict',
      '--config',
      'lenient.json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(summaryOf('cut-lenient').cdr_months.at(-1).truncated).toBe(false);
  });
});

describe('--list-date', () => {
  it.each([
    ['2025-07-15', [], 'inside'],
    ['2025-07-31', [], 'inside'],
    ['2025-06-30', [], 'before'],
    ['2025-06-30', ['--month', '2025-07'], 'before'],
  ])('%s %j is %s the scored month: exit 2 naming both', async (date, extra, where) => {
    const r = await score([
      ...billingFiles,
      '--cdr',
      ...cdrFiles,
      '--list-date',
      date,
      ...extra,
      '--out',
      'ld',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `--list-date ${date} is ${where} the scored month 2025-07: lists are issued after the month they score, from 2025-08-01`,
    );
    expect(existsSync(join(dir, 'ld'))).toBe(false);
  });

  it('after the month: the due dates count from it', async () => {
    const r = await score([
      ...billingFiles,
      '--cdr',
      ...cdrFiles,
      '--list-date',
      '2025-08-05',
      '--out',
      'ld-ok',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(scoresOf('ld-ok')).toBe(scoresOf('full'));
    const due = (out: string) =>
      readFileSync(join(dir, out, 'targets', 'warning.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Date.parse(l.slice(-10)));
    const later = due('ld-ok');
    expect(later.length).toBeGreaterThan(0);
    // The default list date is 2025-08-01: four days earlier.
    expect(later).toEqual(due('full').map((d) => d + 4 * 86_400_000));
  });
});

describe('retain train --month', () => {
  it('refuses a stray later row as score does, and trains up to --month', async () => {
    const stray = join(dir, 'train-stray.csv');
    const [header, first] = readFileSync(billingFiles.at(-1)!, 'utf8').split('\n');
    writeFileSync(stray, `${header}\n${first!.replace(',2025-07,', ',2025-08,')}\n`);
    const args = [
      'train',
      ...billingFiles,
      stray,
      '--trees',
      '3',
      '--threads',
      '1',
      '-q',
      '--log-level',
      'warn',
    ];
    const refused = await retain([...args, '--out', 'refused.json'], dir);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('the latest billing month 2025-08 bills 1 subscriber');
    const r = await retain([...args, '--month', '2025-07', '--out', 'm.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
    expect(model.training.months.at(-1)).toBe('2025-06');
  }, 60_000);
});
