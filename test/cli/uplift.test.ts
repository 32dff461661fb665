/**
 * Uplift end to end on a generated operator: a month scored with a large control group, the month
 * after generated with that list called, `retain train --uplift` on it, `retain inspect` of the
 * model, `retain score --target-by uplift` of the next month, and `retain evaluate`'s Qini curve of
 * the list's order recomputed here from the files.
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator, readCampaignPlan } from '../../scripts/generate/index.js';
import { DEFAULT_MODEL_PATH } from '../../src/index.js';
import { errorMessage, logText, retain } from '../helpers/cli.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] =>
  Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

const dir = mkdtempSync(join(tmpdir(), 'retain-uplift-'));
const a = (name: string) => join(dir, 'gen-a', name);
const b = (name: string) => join(dir, 'gen-b', name);
const billing = (g: (n: string) => string, last: number) =>
  Array.from({ length: last }, (_, k) => g(`billing-2025-0${k + 1}.csv`));

beforeAll(async () => {
  const base = { subscribers: 4000, seed: 41, start: '2025-01' };
  writeFileSync(join(dir, 'wide.json'), JSON.stringify({ stages: { warning_deciles: 4 } }));
  copyFileSync(DEFAULT_MODEL_PATH, join(dir, 'churn-as-uplift.json'));
  await generateOperator({ ...base, months: 3, cdrMonths: 1 }, createFileSinks({ out: join(dir, 'gen-a') }));
  const s = await retain(
    [
      'score',
      ...billing(a, 3),
      '--cdr',
      a('cdr-2025-03.csv'),
      '--out',
      'march',
      '--control-share',
      '0.5',
      '--config',
      'wide.json',
    ],
    dir,
  );
  expect(s.code, s.stderr).toBe(0);
  const plan = await readCampaignPlan(join(dir, 'march'));
  await generateOperator(
    { ...base, months: 5, cdrMonths: 2, campaign: plan },
    createFileSinks({ out: join(dir, 'gen-b') }),
  );
  const t = await retain(
    ['train', ...billing(b, 4), '--uplift', 'march', '--out', 'uplift.json', '--trees', '30', '--seed', '3'],
    dir,
  );
  expect(t.code, t.stderr).toBe(0);
  expect(t.stdout).toMatch(/campaign 2025-03: called \d+ \(churn [\d.]+%\), control \d+/);
  expect(t.stdout).toMatch(/learner two-model( \(kept\))?: held-out Qini coefficient -?[\d.]+ {2}AUUC/);
  expect(t.stdout).toMatch(/learner class-transformation( \(kept\))?: held-out Qini coefficient/);
}, 600_000);

/** `retain train --uplift FOLDER --out OUT` on the second operator's first four months, 30 trees, seed 3. */
const trainUplift = (folder: string, out: string) =>
  retain(['train', ...billing(b, 4), '--uplift', folder, '--out', out, '--trees', '30', '--seed', '3'], dir);

describe('retain train --uplift and inspect', () => {
  it('writes a tagged, hashed uplift model recording both learners, and inspect shows it', async () => {
    const m = JSON.parse(readFileSync(join(dir, 'uplift.json'), 'utf8'));
    expect(m.format).toBe('retain-uplift-model');
    expect(m.id).toMatch(/^[0-9a-f]{16}$/);
    expect(m.training.selection.trials.map((t: { method: string }) => t.method)).toEqual([
      'two-model',
      'class-transformation',
    ]);
    expect(m.training.campaigns[0].month).toBe('2025-03');
    const i = await retain(['inspect', 'uplift.json', '--json'], dir);
    expect(i.code, i.stderr).toBe(0);
    const card = JSON.parse(i.stdout);
    expect(card).toMatchObject({ kind: 'uplift', id: m.id, method: m.method });
    const text = await retain(['inspect', 'uplift.json'], dir);
    expect(text.stdout).toContain(`uplift model ${m.id}: ${m.method} on forest`);
  });

  it('replaces an uplift model it wrote, and gives the same file for the same seed', async () => {
    const before = readFileSync(join(dir, 'uplift.json'), 'utf8');
    const t = await trainUplift('march', 'uplift.json');
    expect(t.code, t.stderr).toBe(0);
    expect(readFileSync(join(dir, 'uplift.json'), 'utf8')).toBe(before);
  });

  it('warns of a campaign folder without a manifest, read unchecked', async () => {
    cpSync(join(dir, 'march'), join(dir, 'march-old'), { recursive: true });
    rmSync(join(dir, 'march-old', 'retain-run.json'));
    const t = await trainUplift('march-old', 'old.json');
    expect(t.code, t.stderr).toBe(0);
    expect(logText(t.stderr)).toContain(
      `${join(dir, 'march-old')}: no retain-run.json; its files are read as they are, unchecked against what retain wrote`,
    );
  });

  it('refuses a campaign month whose next month is not given, with exit 3', async () => {
    const r = await retain(['train', ...billing(b, 3), '--uplift', 'march', '--out', 'short.json'], dir);
    expect(r.code).toBe(3);
    expect(errorMessage(r.stderr)).toContain('the campaign of 2025-03 needs the billing of 2025-04');
  });

  it('refuses a changed uplift model with exit 4', async () => {
    const text = readFileSync(join(dir, 'uplift.json'), 'utf8').replace('"rows":', '"rows":1');
    writeFileSync(join(dir, 'changed.json'), text);
    const r = await retain(['inspect', 'changed.json'], dir);
    expect(r.code).toBe(4);
    expect(errorMessage(r.stderr)).toContain('changed after it was written');
  });
});

describe('retain score --target-by uplift', () => {
  const scoreApril = (out: string, extra: string[]) =>
    retain(
      [
        'score',
        ...billing(b, 4),
        '--cdr',
        b('cdr-2025-04.csv'),
        '--out',
        out,
        '--config',
        'wide.json',
        ...extra,
      ],
      dir,
    );

  // Below the band's subscribers worth calling, so the capacity cuts the list.
  const CAPACITY = 30;

  it('orders the warning list by expected saving and calls nobody expected to lose revenue', async () => {
    const r = await scoreApril('april', [
      '--target-by',
      'uplift',
      '--uplift-model',
      'uplift.json',
      '--capacity',
      String(CAPACITY),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const scores = readCsv(join(dir, 'april', 'scores.csv'));
    const list = readCsv(join(dir, 'april', 'targets', 'warning.csv'));
    expect(Object.keys(list[0]!)).toEqual(expect.arrayContaining(['uplift', 'expected_saving']));
    const saving = list.map((x) => Number(x.expected_saving));
    expect(saving).toHaveLength(CAPACITY);
    expect(saving.every((v) => v >= 0)).toBe(true);
    expect(saving).toEqual([...saving].sort((x, y) => y - x));
    // Group customers go to the account team's list, whatever their stage.
    const group = new Set(
      readCsv(b('billing-2025-04.csv'))
        .filter((x) => x.customer_type === 'group')
        .map((x) => x.subscriber_id),
    );
    const band = scores.filter(
      (x) => x.stage === 'warning' && x.eligible === '1' && x.control === '0' && !group.has(x.subscriber_id),
    );
    const negative = band.filter((x) => Number(x.expected_saving) < 0).length;
    expect(negative).toBeGreaterThan(0);
    const summary = JSON.parse(readFileSync(join(dir, 'april', 'summary.json'), 'utf8'));
    expect(summary.targeting).toMatchObject({ by: 'uplift', not_worth_calling: negative });
    expect(r.stdout).toContain(`${negative} not called: calling them is expected to lose revenue`);
    // The top of the band by expected saving, as written.
    const expected = band
      .filter((x) => Number(x.expected_saving) >= 0)
      .sort((x, y) => Number(y.expected_saving) - Number(x.expected_saving))
      .slice(0, CAPACITY)
      .map((x) => Number(x.expected_saving));
    expect(saving).toEqual(expected);
  });

  it.each([
    [['--target-by', 'uplift'], 2, '--target-by uplift needs --uplift-model'],
    [['--uplift-model', 'uplift.json'], 2, '--uplift-model is used with --target-by uplift'],
  ])('refuses %j with exit %i', async (extra, code, message) => {
    const r = await scoreApril('refused', extra);
    expect(r.code).toBe(code);
    expect(errorMessage(r.stderr)).toContain(message);
  });

  it('refuses a churn model given as the uplift model, with exit 4', async () => {
    const r = await scoreApril('refused', [
      '--target-by',
      'uplift',
      '--uplift-model',
      'churn-as-uplift.json',
    ]);
    expect(r.code).toBe(4);
  });
});

describe('retain evaluate: the Qini curve of the list order', () => {
  it('matches a recomputation from scores.csv, the warning list and the next billing', async () => {
    const r = await retain(['evaluate', 'march', b('billing-2025-04.csv'), '--out', 'march.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const q = JSON.parse(readFileSync(join(dir, 'march.json'), 'utf8')).campaign.qini;
    expect(q.orderedBy).toBe('revenue_at_risk');
    const stayed = new Set(
      readCsv(b('billing-2025-04.csv'))
        .filter((x) => x.status !== 'closed')
        .map((x) => x.subscriber_id),
    );
    const onList = new Set(readCsv(join(dir, 'march', 'targets', 'warning.csv')).map((x) => x.subscriber_id));
    const rows = readCsv(join(dir, 'march', 'scores.csv'))
      .filter((x) => x.exclusion !== 'closed')
      .filter((x) => onList.has(x.subscriber_id) || (x.control === '1' && x.eligible === '1'))
      .map((x) => ({
        score: Number(x.revenue_at_risk),
        t: onList.has(x.subscriber_id) ? 1 : 0,
        y: stayed.has(x.subscriber_id) ? 0 : 1,
      }));
    // Area under the Qini curve point by point: each distinct score a cut, the rows at or above it counted anew.
    const cuts = [...new Set(rows.map((x) => x.score))].sort((x, y) => y - x);
    let prev = { x: 0, q: 0, g: 0 };
    let area = 0;
    let auuc = 0;
    for (const c of cuts) {
      const top = rows.filter((x) => x.score >= c);
      const nt = top.filter((x) => x.t === 1).length;
      const nc = top.length - nt;
      const yt = top.filter((x) => x.t === 1 && x.y === 1).length;
      const yc = top.filter((x) => x.t === 0 && x.y === 1).length;
      const both = nt > 0 && nc > 0;
      const p = {
        x: top.length / rows.length,
        q: both ? (yc * nt) / nc - yt : 0,
        g: both ? (yc / nc - yt / nt) * top.length : 0,
      };
      area += ((p.x - prev.x) * (p.q + prev.q)) / 2;
      auuc += ((p.x - prev.x) * (p.g + prev.g)) / 2;
      prev = p;
    }
    expect(q.subscribers).toBe(rows.length);
    expect(q.kept).toBeCloseTo(prev.q, 6);
    expect(q.auuc).toBeCloseTo(auuc, 6);
    expect(q.qiniCoefficient).toBeCloseTo(area - prev.q / 2, 6);
    expect(q.curve[0]).toEqual({ share: 0, subscribers: 0, qini: 0, gain: 0 });
    expect(q.curve.at(-1).share).toBe(1);
    expect(r.stdout).toMatch(
      /Qini curve of the list's order \(revenue_at_risk; \d+ called, \d+ control\): AUUC/,
    );
  });

  it('under uplift targeting orders by expected saving and compares only the control subscribers the list would call', async () => {
    const r = await retain(['evaluate', 'april', b('billing-2025-05.csv'), '--out', 'april.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, 'april.json'), 'utf8')).campaign;
    expect(e.qini.orderedBy).toBe('expected_saving');
    const lowest = Math.min(
      ...readCsv(join(dir, 'april', 'targets', 'warning.csv')).map((x) => Number(x.expected_saving)),
    );
    const control = readCsv(join(dir, 'april', 'scores.csv')).filter(
      (x) => x.exclusion !== 'closed' && x.control === '1' && x.eligible === '1',
    );
    // The capacity cut the list, so nobody below its lowest saving would have been called.
    const summary = JSON.parse(readFileSync(join(dir, 'april', 'summary.json'), 'utf8'));
    expect(summary.capacity.cut).toBeGreaterThan(0);
    const compared = control.filter((x) => Number(x.expected_saving) >= Math.max(0, lowest));
    expect(e.overall.control.subscribers).toBe(compared.length);
    expect(e.controlBelowCutoff).toBe(control.length - compared.length);
    expect(e.qini.control).toBe(compared.length);
    expect(r.stdout).toContain('uplift targeting: control subscribers the list would not have called');
  });
});
