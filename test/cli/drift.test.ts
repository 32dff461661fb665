/**
 * Drift through the command line: a model trained on generated months stays quiet on a later month of
 * the same operator and speaks up when that month's spend is scaled by 1.6; shards merged give one
 * process's figures; a model from before drift references still scores; thresholds come from config.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator } from '../../scripts/generate/index.js';
import { createRandom, type DriftSummary } from '../../src/index.js';
import { serializeModel } from '../../src/model/persist.js';
import { logText, retain } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'retain-drift-'));
const gen = (month: string) => join(dir, 'gen', `billing-2025-${month}.csv`);
const json = (...p: string[]) => JSON.parse(readFileSync(join(dir, ...p), 'utf8'));
/** Months 03..08 as history: the scored month sees as many months as the training reference did. */
const history = ['03', '04', '05', '06', '07', '08'].map(gen);
const SHIFTED = join(dir, 'shifted-2025-09.csv');

type Measured = Extract<DriftSummary, { available: true }>;
const driftOf = (out: string) => json(out, 'summary.json').drift as DriftSummary;
const measured = (out: string) => {
  const d = driftOf(out);
  if (!d.available) throw new Error(`${out}: drift not measured (${d.reason})`);
  return d as Measured;
};
const level = (d: Measured, feature: string) => d.features.find((f) => f.feature === feature)?.level;
const driftWarnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; msg: string })
    .filter((r) => r.level === 'warn' && r.msg.startsWith('drift:'))
    .map((r) => r.msg);

let plain: { code: number; stderr: string };
let shifted: { code: number; stderr: string };

beforeAll(async () => {
  await generateOperator(
    { subscribers: 3000, months: 9, seed: 5, start: '2025-01', cdrMonths: 0 },
    createFileSinks({ out: join(dir, 'gen'), truth: false }),
  );
  // September again, every bill 1.6 times as high.
  const parsed = Papa.parse<Record<string, string>>(readFileSync(gen('09'), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  for (const row of parsed.data)
    if (row.billed_amount !== '') row.billed_amount = (Number(row.billed_amount) * 1.6).toFixed(2);
  writeFileSync(SHIFTED, `${Papa.unparse(parsed.data)}\n`);

  const months = ['01', '02', '03', '04', '05', '06', '07'].map(gen);
  const train = await retain(
    ['train', ...months, '--engine', 'forest', '--trees', '30', '--seed', '3', '--out', 'm.json'],
    dir,
  );
  expect(train.code, train.stderr).toBe(0);
  plain = await retain(['score', ...history, gen('09'), '--model', 'm.json', '--out', 'plain'], dir);
  expect(plain.code, plain.stderr).toBe(0);
  shifted = await retain(['score', ...history, SHIFTED, '--model', 'm.json', '--out', 'shifted'], dir);
  expect(shifted.code, shifted.stderr).toBe(0);
}, 240_000);

describe('drift of a scored month', () => {
  it('stays quiet on an unshifted month of the same operator: every feature and the score stable', () => {
    const d = measured('plain');
    expect(d.thresholds).toEqual({ warn: 0.1, retrain: 0.25 });
    expect(d.score.level).toBe('stable');
    expect(d.features.filter((f) => f.level !== 'stable')).toEqual([]);
    expect(d.features[0]!.psi).toBeLessThan(0.1);
    expect(d.retrain).toBe(false);
    expect(driftWarnings(plain.stderr)).toEqual([]);
    expect(logText(plain.stderr)).toMatch(/drift measured on \d+ subscribers: score PSI 0\.0\d\d/);
  });

  it('fires on the month with spend scaled by 1.6: spend features at the retrain level, the score moved further', () => {
    const d = measured('shifted');
    expect(level(d, 'billed_amount')).toBe('retrain');
    expect(level(d, 'spend_change')).toBe('retrain');
    // The scaled month alone: tenure and flags do not move.
    expect(level(d, 'tenure_months')).toBe('stable');
    expect(level(d, 'is_group')).toBe('stable');
    // The score moves, but how far depends on how much the model leans on spend: with recency, tenure
    // and activity features beside it, a forest of this operator keeps the score below the warning.
    expect(d.score.psi).toBeGreaterThan(2 * measured('plain').score.psi);
    expect(d.retrain).toBe(true);
    // Highest first.
    expect(d.features.map((f) => f.psi)).toEqual([...d.features.map((f) => f.psi)].sort((a, b) => b - a));
    const warnings = driftWarnings(shifted.stderr);
    expect(warnings).toContainEqual(
      expect.stringMatching(/^drift: feature spend_change has moved \(PSI \d+\.\d{3}, above 0\.250\)$/),
    );
    expect(warnings.some((w) => w.startsWith("drift: the churn score's distribution has moved"))).toBe(
      d.score.level !== 'stable',
    );
    expect(warnings.filter((w) => w.includes('should be retrained'))).toHaveLength(1);
    const moved = d.features.filter((f) => f.level !== 'stable').length;
    expect(warnings.filter((w) => w.startsWith('drift: feature'))).toHaveLength(Math.min(moved, 10));
  });

  it('gives the same drift from shards merged as from one process', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await retain(
        ['score', ...history, SHIFTED, '--model', 'm.json', '--out', `s${i}`, '--shard', `${i}/3`],
        dir,
      );
      expect(r.code, r.stderr).toBe(0);
      // Each shard measures its own subscribers against the reference.
      expect(measured(`s${i}`).features).toHaveLength(measured('shifted').features.length);
    }
    const m = await retain(['merge', 's0', 's1', 's2', '--out', 'merged'], dir);
    expect(m.code, m.stderr).toBe(0);
    expect(driftOf('merged')).toEqual(driftOf('shifted'));
    expect(json('merged', 'summary.json').config).toEqual(json('shifted', 'summary.json').config);
    expect(driftWarnings(m.stderr)).toEqual(driftWarnings(shifted.stderr));
  }, 120_000);

  it('takes its thresholds from the config, and records the config file used', async () => {
    const config = '{ "drift": { "warn_above": 0.5, "retrain_above": 10 } }\n';
    writeFileSync(join(dir, 'drift.json'), config);
    const r = await retain(
      ['score', ...history, SHIFTED, '--model', 'm.json', '--out', 'lenient', '--config', 'drift.json'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const d = measured('lenient');
    expect(d.thresholds).toEqual({ warn: 0.5, retrain: 10 });
    // The same PSIs, judged against other thresholds.
    expect(d.features.map((f) => [f.feature, f.psi])).toEqual(
      measured('shifted').features.map((f) => [f.feature, f.psi]),
    );
    expect(level(d, 'billed_amount')).toBe('stable');
    expect(level(d, 'spend_change')).toBe('warning');
    expect(d.retrain).toBe(false);
    expect(driftWarnings(r.stderr).some((w) => w.includes('should be retrained'))).toBe(false);
    const summary = json('lenient', 'summary.json');
    expect(summary.config.file).toBe('drift.json');
    expect(summary.config.sha256).toBe(createHash('sha256').update(config).digest('hex'));
    expect(summary.config.values.drift).toEqual({ warn_above: 0.5, retrain_above: 10 });
    expect(summary.config.values.targets.control_share).toBe(0.05);
    expect(json('plain', 'summary.json').config).toMatchObject({ file: null, sha256: null });
  }, 60_000);

  it('scores with a model trained before drift references: drift unavailable, said once', async () => {
    const { format: _f, version: _v, id: _id, drift: _d, ...content } = json('m.json');
    writeFileSync(join(dir, 'old.json'), serializeModel(content));
    const r = await retain(['score', ...history, gen('09'), '--model', 'old.json', '--out', 'old'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(driftOf('old')).toEqual({
      available: false,
      reason: 'model trained before drift reference was stored; retrain to enable',
    });
    const lines = logText(r.stderr)
      .split('\n')
      .filter((l) => l.includes('drift reference was stored'));
    expect(lines).toHaveLength(1);
    expect(r.stderr).toMatch(/"level":"info"[^\n]*drift not measured/);
    // The scores are those of the same model with its reference.
    expect(readFileSync(join(dir, 'old', 'scores.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'plain', 'scores.csv'), 'utf8'),
    );
    const inspectOld = await retain(['inspect', 'old.json'], dir);
    expect(inspectOld.stdout).toMatch(/drift reference: none/);
    const inspectNew = await retain(['inspect', 'm.json'], dir);
    expect(inspectNew.stdout).toMatch(
      /drift reference: \d+ features and the score, binned on [\d,]+ training rows/,
    );
    const card = JSON.parse((await retain(['inspect', 'm.json', '--json'], dir)).stdout);
    expect(card.drift.features).toBe(json('m.json').featureSchema.features.length);
  }, 60_000);
});

describe('drift of a wide table', () => {
  /** A churn table; `scale` multiplies the spend column. */
  function writeTable(name: string, seed: number, scale: number): string {
    const random = createRandom(seed, 1);
    const lines = ['id,tenure,spend,plan,churn'];
    for (let i = 0; i < 800; i++) {
      const tenure = random.int(72);
      const spend = 20 + 80 * random.next();
      const plan = ['basic', 'plus', 'max'][random.int(3)]!;
      const z = -1 - 0.05 * tenure + 0.03 * (spend - 60) + (plan === 'basic' ? 1 : 0);
      const churn = random.next() < 1 / (1 + Math.exp(-z)) ? 'Yes' : 'No';
      lines.push(`c${i},${tenure},${(spend * scale).toFixed(2)},${plan},${churn}`);
    }
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
    return name;
  }

  it('measures a --table score against the table the model was trained on', async () => {
    const t = await retain(
      [
        'train',
        '--table',
        writeTable('t.csv', 1, 1),
        '--label',
        'churn',
        '--id',
        'id',
        '--trees',
        '20',
        '--out',
        't.json',
      ],
      dir,
    );
    expect(t.code, t.stderr).toBe(0);
    const same = await retain(
      ['score', '--table', writeTable('t2.csv', 2, 1), '--model', 't.json', '--out', 'ts'],
      dir,
    );
    expect(same.code, same.stderr).toBe(0);
    const moved = await retain(
      ['score', '--table', writeTable('t3.csv', 3, 1.6), '--model', 't.json', '--out', 'tm'],
      dir,
    );
    expect(moved.code, moved.stderr).toBe(0);
    const a = measured('ts');
    expect(a.features.every((f) => f.level === 'stable')).toBe(true);
    expect(a.retrain).toBe(false);
    const b = measured('tm');
    expect(level(b, 'spend')).toBe('retrain');
    expect(level(b, 'tenure')).toBe('stable');
    expect(b.retrain).toBe(true);
    expect(json('tm', 'summary.json')).toMatchObject({
      month: null,
      subscribers: 800,
      config: { file: null },
    });
  }, 120_000);
});
