/** Exact sharding: shards scored separately and merged give the lists one process writes. */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LISTS } from '../../src/index.js';
import { errorMessage, retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const inputs = [
  ...files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f)),
  '--cdr',
  ...files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f)),
];
const dir = mkdtempSync(join(tmpdir(), 'retain-merge-'));
const read = (...p: string[]) => readFileSync(join(dir, ...p), 'utf8');
const sortedLines = (text: string) => text.trim().split('\n').sort();

beforeAll(async () => {
  const whole = await retain(['-q', 'score', ...inputs, '--out', 'whole', '--capacity', '40'], dir);
  expect(whole.code, whole.stderr).toBe(0);
  for (let i = 0; i < 3; i++) {
    const r = await retain(
      ['-q', 'score', ...inputs, '--out', `s${i}`, '--capacity', '40', '--shard', `${i}/3`],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

describe('retain score --shard and retain merge', () => {
  it('splits the subscribers into disjoint shards that cover everyone', () => {
    const whole = sortedLines(read('whole', 'scores.csv')).slice(0, -1);
    const ids = (t: string) => sortedLines(t).map((l) => l.split(',')[0]);
    const shardIds = [0, 1, 2].flatMap((i) =>
      ids(read(`s${i}`, 'scores.csv')).filter((id) => id !== 'subscriber_id'),
    );
    expect(new Set(shardIds).size).toBe(shardIds.length);
    expect(shardIds.length).toBe(whole.length);
    for (let i = 0; i < 3; i++) expect(ids(read(`s${i}`, 'scores.csv')).length).toBeGreaterThan(200);
  });

  it('merges into exactly the lists, scores and summary of one process', async () => {
    const r = await retain(['merge', 's2', 's0', 's1', '--out', 'merged'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^merged 3 shards: 1154 subscribers for 2025-07/);
    for (const l of LISTS)
      expect(read('merged', 'targets', `${l}.csv`)).toBe(read('whole', 'targets', `${l}.csv`));
    expect(sortedLines(read('merged', 'scores.csv'))).toEqual(sortedLines(read('whole', 'scores.csv')));
    const whole = JSON.parse(read('whole', 'summary.json'));
    const merged = JSON.parse(read('merged', 'summary.json'));
    expect(merged.shards).toBe(3);
    // Sums over subscribers may differ in the last digits: the shards add in another order.
    const { kpis: wk, revenue_at_risk: wr, kpi_cohorts: wc, assessment: wa, ...wrest } = whole;
    const { kpis: mk, revenue_at_risk: mr, kpi_cohorts: mc, assessment: ma, shards: _, ...mrest } = merged;
    expect(mrest).toEqual(wrest);
    expect(mc.definition).toBe(wc.definition);
    expect(mc.overall.revenue_subscribers).toBe(wc.overall.revenue_subscribers);
    expect(mc.overall.churned).toBe(wc.overall.churned);
    expect(mc.overall.daily_revenue_retention).toBeCloseTo(wc.overall.daily_revenue_retention, 12);
    expect(ma.overall.total).toBeCloseTo(wa.overall.total, 9);
    expect(mr.eligible).toBeCloseTo(wr.eligible, 6);
    expect(mr.listed).toBeCloseTo(wr.listed, 6);
    expect(mk.locked).toBe(wk.locked);
    expect(mk.daily_revenue_retention).toBeCloseTo(wk.daily_revenue_retention, 12);
    expect(mk.monthly_billed_churn).toBeCloseTo(wk.monthly_billed_churn, 12);
    // The capacity cut is applied once, over everyone.
    expect(merged.capacity).toEqual({ limit: 40, cut: whole.capacity.cut });
  });

  it('refuses an incomplete or mixed set of shards, naming what is wrong (exit 3)', async () => {
    const missing = await retain(['merge', 's0', 's1', '--out', 'bad'], dir);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/shards 2\/3 are missing/);
    const twice = await retain(['merge', 's0', 's0', 's1', 's2', '--out', 'bad'], dir);
    expect(twice.stderr).toMatch(/are both shard 0\/3/);
    const notShard = await retain(['merge', 'whole', '--out', 'bad'], dir);
    expect(notShard.code).toBe(3);
    expect(notShard.stderr).toMatch(/not a shard folder/);
    expect(readdirSync(dir)).not.toContain('bad');
  });

  it('refuses an --out that is one of the shard folders it reads (exit 2)', async () => {
    const before = read('s0', 'retain-run.json');
    const r = await retain(['merge', 's0', 's1', 's2', '--out', 's0'], dir);
    expect([r.code, r.stderr]).toEqual([
      2,
      expect.stringMatching(/--out \S+\/s0 is the shard folder this run reads/),
    ]);
    expect(read('s0', 'retain-run.json')).toBe(before);
  });

  it('refuses a truncated shard file, saying so (exit 3, not a crash)', async () => {
    cpSync(join(dir, 's2'), join(dir, 'cut'), { recursive: true });
    truncateSync(join(dir, 'cut', 'shard', 'scored.arrow'), 5000);
    const r = await retain(['merge', 's0', 's1', 'cut', '--out', 'bad'], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /cut\/shard\/scored\.arrow: 5000 bytes, but retain-run\.json records \d+: changed or truncated/,
    );
    expect(readdirSync(dir)).not.toContain('bad');
  });

  it('refuses a shard folder holding another shard rows, even with a manifest made to match (exit 3)', async () => {
    cpSync(join(dir, 's2'), join(dir, 'forged'), { recursive: true });
    cpSync(join(dir, 's1', 'shard', 'scored.arrow'), join(dir, 'forged', 'shard', 'scored.arrow'));
    const manifest = JSON.parse(read('forged', 'retain-run.json'));
    const bytes = readFileSync(join(dir, 'forged', 'shard', 'scored.arrow'));
    const entry = manifest.files.find((f: { path: string }) => f.path === 'shard/scored.arrow');
    Object.assign(entry, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    manifest.shard.subscribers = JSON.parse(read('s1', 'retain-run.json')).shard.subscribers;
    writeFileSync(join(dir, 'forged', 'retain-run.json'), JSON.stringify(manifest));
    const r = await retain(['merge', 's0', 's1', 'forged', '--out', 'bad'], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/forged: holds (\d+) rows of other shards than 2\/3 \(e\.g\. \d+ of shard 1\/3/);
    expect(Number(/holds (\d+) rows/.exec(r.stderr)![1])).toBe(manifest.shard.subscribers);
    expect(readdirSync(dir)).not.toContain('bad');
  });

  it('refuses shards of different months (exit 3)', async () => {
    const june = inputs.filter((f) => !f.includes('2025-07'));
    const r0 = await retain(
      ['-q', 'score', ...june, '--out', 'june2', '--capacity', '40', '--shard', '2/3'],
      dir,
    );
    expect(r0.code, r0.stderr).toBe(0);
    const r = await retain(['merge', 's0', 's1', 'june2', '--out', 'bad'], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/june2: month differs from \S+\/s0/);
  });

  it.each([
    ['report', []],
    ['evaluate', [join(SAMPLE, 'billing-2025-07.csv')]],
  ])('refuses to %s a single shard, which holds a part of the month (exit 3)', async (command, rest) => {
    const r = await retain([command, 's1', ...rest], dir);
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toContain(
      `s1: written by retain score --shard 1/3, a part of the month's subscribers; retain ${command} needs the whole month: merge the shards first`,
    );
  });

  it('rejects a malformed --shard (exit 2)', async () => {
    const r = await retain(['score', ...inputs, '--shard', '3/3'], dir);
    expect(r.code).toBe(2);
    expect(errorMessage(r.stderr)).toMatch(/--shard "3\/3" is not I\/N/);
  });
});

describe('retain merge with --control-share auto and a contact history', () => {
  it('sizes the control group and applies the contact policy over everyone, as one process does', async () => {
    // A small effect to detect and a config that allows a large share: the sample's band is small.
    const auto = ['--control-share', 'auto', '--config', 'auto.json', '--contact-history', 'history.csv'];
    writeFileSync(
      join(dir, 'auto.json'),
      JSON.stringify({ evaluation: { min_effect: 0.2, max_control_share: 0.9 } }),
    );
    // Every fifth subscriber billed in July reached by a call on 20 July.
    const july = readFileSync(join(SAMPLE, 'billing-2025-07.csv'), 'utf8').trim().split('\n').slice(1);
    const reached = july
      .filter((_, k) => k % 5 === 0)
      .map((l) => `${l.split(',')[0]},2025-06,warning,1,2025-07-20`);
    writeFileSync(
      join(dir, 'history.csv'),
      `subscriber_id,month,list,contacted,contact_date\n${reached.join('\n')}\n`,
    );
    const whole = await retain(['-q', 'score', ...inputs, '--out', 'auto-whole', ...auto], dir);
    expect(whole.code, whole.stderr).toBe(0);
    for (let i = 0; i < 2; i++) {
      const r = await retain(
        ['-q', 'score', ...inputs, '--out', `auto-s${i}`, '--shard', `${i}/2`, ...auto],
        dir,
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const r = await retain(['-q', 'merge', 'auto-s0', 'auto-s1', '--out', 'auto-merged'], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const l of LISTS)
      expect(read('auto-merged', 'targets', `${l}.csv`)).toBe(read('auto-whole', 'targets', `${l}.csv`));
    const one = JSON.parse(read('auto-whole', 'summary.json'));
    const merged = JSON.parse(read('auto-merged', 'summary.json'));
    expect(one.control_sizing).toMatchObject({ basis: 'power', reachesPower: true });
    expect(merged.control_sizing.share).toBe(one.control_sizing.share);
    expect(merged.excluded.recently_contacted).toBeGreaterThan(100);
    expect(merged.excluded).toEqual(one.excluded);
  });
});
