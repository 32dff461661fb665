/**
 * `retain evaluate` per owning unit, end to end on generated billing with units: each unit's effect
 * and the assessment's management points (work orders returned) against a recomputation from the
 * files the run wrote and read.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator } from '../../scripts/generate/index.js';
import {
  type AssessmentReport,
  criticalValue,
  DEFAULT_CONFIG,
  type GroupEffect,
  LISTS,
  newcombe,
  partPoints,
} from '../../src/index.js';
import { retain } from '../helpers/cli.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => {
  const r = Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
};

const dir = mkdtempSync(join(tmpdir(), 'retain-evaluate-units-'));
const data = join(dir, 'data');
const scored = join(dir, 'scored');
let evaluation: { campaign: { byUnit: GroupEffect[] }; assessment: AssessmentReport };
let stdout: string;
/** The work orders written: list and subscriber of each. */
const returned = new Set<string>();

beforeAll(async () => {
  await generateOperator(
    { subscribers: 1500, months: 5, seed: 9, start: '2025-10' },
    createFileSinks({ out: data, cdr: false, truth: false, units: 3 }),
  );
  const billing = readdirSync(data)
    .filter((f) => f.startsWith('billing-'))
    .sort()
    .map((f) => join(data, f));
  const train = await retain(
    ['train', ...billing.slice(0, 3), '--out', 'model.json', '--trees', '10', '--log-level', 'warn'],
    dir,
  );
  expect(train.code, train.stderr).toBe(0);
  const score = await retain(
    ['score', ...billing.slice(0, 4), '--model', 'model.json', '--control-share', '0.3', '--out', scored],
    dir,
  );
  expect(score.code, score.stderr).toBe(0);
  // Work orders come back for every warning subscriber of unit-01, every other one elsewhere, and
  // every third subscriber of the maturity list.
  const lines = ['subscriber_id,month,list,contacted,contact_date,action,accepted,channel'];
  for (const [list, keep] of [
    ['warning', (r: Row, k: number) => r.unit === 'unit-01' || k % 2 === 0],
    ['maturity', (_: Row, k: number) => k % 3 === 0],
  ] as const)
    readCsv(join(scored, 'targets', `${list}.csv`)).forEach((r, k) => {
      if (!keep(r, k)) return;
      returned.add(`${list}/${r.subscriber_id}`);
      lines.push(`${r.subscriber_id},2026-01,${list},1,2026-02-03,call,0,call`);
    });
  writeFileSync(join(dir, 'outcomes.csv'), `${lines.join('\n')}\n`);
  const r = await retain(
    [
      'evaluate',
      scored,
      join(data, 'billing-2026-02.csv'),
      '--outcomes',
      'outcomes.csv',
      '--out',
      'evaluation.json',
    ],
    dir,
  );
  expect(r.code, r.stderr).toBe(0);
  stdout = r.stdout;
  evaluation = JSON.parse(readFileSync(join(dir, 'evaluation.json'), 'utf8'));
}, 240_000);

describe('evaluate per unit', () => {
  it("compares each unit's called subscribers with its own control group, with Newcombe intervals", () => {
    const scores = readCsv(join(scored, 'scores.csv'));
    const listed = new Set(readCsv(join(scored, 'targets', 'warning.csv')).map((r) => r.subscriber_id));
    const stayed = new Set(
      readCsv(join(data, 'billing-2026-02.csv'))
        .filter((r) => r.status !== 'closed')
        .map((r) => r.subscriber_id),
    );
    const byUnit = evaluation.campaign.byUnit;
    expect(byUnit.map((g) => g.group)).toEqual(['unit-01', 'unit-02', 'unit-03']);
    const z = criticalValue(0.05);
    for (const g of byUnit) {
      const mine = scores.filter((r) => r.unit === g.group && r.exclusion !== 'closed');
      const called = mine.filter((r) => listed.has(r.subscriber_id!));
      const control = mine.filter(
        (r) => r.control === '1' && r.eligible === '1' && !listed.has(r.subscriber_id!),
      );
      const churned = (rows: Row[]) => rows.filter((r) => !stayed.has(r.subscriber_id!)).length;
      expect([g.called.subscribers, g.called.churned]).toEqual([called.length, churned(called)]);
      expect([g.control.subscribers, g.control.churned]).toEqual([control.length, churned(control)]);
      expect(control.length).toBeGreaterThan(3);
      const d = newcombe(churned(called), called.length, churned(control), control.length, z)!;
      expect(g.difference).toBeCloseTo(d.difference, 12);
      expect(g.interval).toEqual({ low: d.low, high: d.high });
    }
    expect(stdout).toMatch(/^by unit\s+called/m);
  });

  it('assesses management on the share of listed subscribers whose work order came back, per unit', () => {
    const a = evaluation.assessment;
    const byUnit = a.by_unit!;
    expect(a.definition).toBe('cohort');
    const scores = new Map(readCsv(join(scored, 'scores.csv')).map((r) => [r.subscriber_id!, r.unit!]));
    const units = new Map<string, { listed: number; back: number }>();
    for (const list of LISTS)
      for (const r of readCsv(join(scored, 'targets', `${list}.csv`))) {
        const u = units.get(scores.get(r.subscriber_id!)!) ?? { listed: 0, back: 0 };
        u.listed++;
        if (returned.has(`${list}/${r.subscriber_id}`)) u.back++;
        units.set(scores.get(r.subscriber_id!)!, u);
      }
    const rule = DEFAULT_CONFIG.kpi.assessment.management;
    let listed = 0;
    let back = 0;
    for (const [unit, u] of units) {
      listed += u.listed;
      back += u.back;
      const m = byUnit[unit]!.management;
      expect(m.value).toBeCloseTo(u.back / u.listed, 12);
      expect(m.points).toBeCloseTo(partPoints(u.back / u.listed, rule, false), 12);
    }
    expect(a.overall.management.value).toBeCloseTo(back / listed, 12);
    // unit-01 returned every warning work order, so it returned more than the others.
    expect(byUnit['unit-01']!.management.value!).toBeGreaterThan(byUnit['unit-02']!.management.value!);
    const summary = JSON.parse(readFileSync(join(scored, 'summary.json'), 'utf8'));
    expect(a.overall.revenue_retention.value).toBe(summary.kpi_cohorts.overall.daily_revenue_retention);
    expect(a.overall.total).toBeCloseTo(
      a.overall.revenue_retention.points! + a.overall.billed_churn.points! + a.overall.management.points!,
      9,
    );
    expect(stdout).toMatch(/^assessment of 2026-01 \(cohort KPIs\)/m);
    expect(stdout).toMatch(/^unit-01 /m);
  });
});
