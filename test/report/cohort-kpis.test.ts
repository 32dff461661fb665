import { readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator } from '../../scripts/generate/index.js';
import {
  type BillingTable,
  CARD_TYPES,
  type CohortKpis,
  type CohortRule,
  cohortKpis,
  cohortRuleOf,
  DEFAULT_CONFIG,
  daysInMonth,
  formatMonth,
  hashString,
  type KpiFigures,
  mergeCohortKpis,
  parseMonth,
  readBilling,
  retentionKpis,
  take,
  where,
  yearStartOf,
} from '../../src/index.js';
import { type BillingRow, billingTable } from './billing-table.js';

/** One billing row as the test reads it back from the table, in plain values. */
interface Row {
  id: string;
  month: number;
  billed: number;
  normal: boolean;
  unit: string;
}

function rowsOf(t: BillingTable): Row[] {
  const c = t.cols;
  return Array.from({ length: t.n }, (_, i) => ({
    id: c.subscriber_id.dictionary[c.subscriber_id.codes[i]!]!,
    month: c.month[i]!,
    billed: c.billed_amount[i]!,
    normal: CARD_TYPES[c.card_type[i]!] === 'normal',
    unit: c.unit && c.unit.codes[i]! >= 0 ? c.unit.dictionary[c.unit.codes[i]!]! : '',
  }));
}

/**
 * The manuals' cohorts, recomputed the plain way: a map of each subscriber's bills by month.
 * Locked (上年度锁定): billed on a normal card in the month before the year start, the 3 months
 * before it averaging ≥ 50 (a missing month counts 0). Newly locked (本年度新增): not locked, with 3
 * consecutive normal-card months averaging ≥ 50, the last of them in the year and before M.
 */
function recompute(rows: readonly Row[], month: number, yearStart: number): Record<string, KpiFigures> {
  const bills = new Map<string, Map<number, Row>>();
  for (const r of rows) {
    if (!bills.has(r.id)) bills.set(r.id, new Map());
    bills.get(r.id)!.set(r.month, r);
  }
  const lock = [yearStart - 3, yearStart - 2, yearStart - 1];
  const days = (ms: number[]) => ms.reduce((s, m) => s + daysInMonth(m), 0);
  const groups = new Map<string, { rev: number; base: number; cur: number; cb: number; ch: number }>();
  const add = (unit: string) => {
    if (!groups.has(unit)) groups.set(unit, { rev: 0, base: 0, cur: 0, cb: 0, ch: 0 });
    return groups.get(unit)!;
  };
  for (const [, byMonth] of bills) {
    const latest = Math.max(...[...byMonth.keys()].filter((m) => m <= month));
    const units = ['*', byMonth.get(latest)?.unit ?? ''];
    const lockSum = lock.reduce((s, m) => s + (byMonth.get(m)?.billed ?? 0), 0);
    const locked = byMonth.get(yearStart - 1)?.normal === true && lockSum / 3 >= 50;
    if (locked)
      for (const u of units) {
        const g = add(u);
        g.rev++;
        g.base += lockSum;
        g.cur += byMonth.get(month)?.billed ?? 0;
      }
    let newLocked = false;
    for (let k = yearStart; k <= month - 1; k++) {
      const run = [k - 2, k - 1, k].map((m) => byMonth.get(m));
      if (run.every((r) => r?.normal) && run.reduce((s, r) => s + r!.billed, 0) / 3 >= 50) newLocked = true;
    }
    if (!locked && newLocked && byMonth.has(month - 1))
      for (const u of units) {
        const g = add(u);
        g.cb++;
        if (!byMonth.has(month)) g.ch++;
      }
  }
  const out: Record<string, KpiFigures> = {};
  for (const [unit, g] of groups)
    out[unit] = {
      revenue_subscribers: g.rev,
      billed_base: g.base,
      billed_this_month: g.cur,
      churn_subscribers: g.cb,
      churned: g.ch,
      daily_revenue_retention: g.base > 0 ? g.cur / daysInMonth(month) / (g.base / days(lock)) : null,
      monthly_billed_churn: g.cb > 0 ? g.ch / g.cb : null,
    };
  return out;
}

function expectFigures(actual: KpiFigures | undefined, expected: KpiFigures): void {
  expect(actual).toBeDefined();
  const a = actual!;
  expect([a.revenue_subscribers, a.churn_subscribers, a.churned]).toEqual([
    expected.revenue_subscribers,
    expected.churn_subscribers,
    expected.churned,
  ]);
  expect(a.billed_base).toBeCloseTo(expected.billed_base, 6);
  expect(a.billed_this_month).toBeCloseTo(expected.billed_this_month, 6);
  for (const k of ['daily_revenue_retention', 'monthly_billed_churn'] as const)
    if (expected[k] === null) expect(a[k]).toBeNull();
    else expect(a[k]).toBeCloseTo(expected[k], 12);
}

const RULE: CohortRule = cohortRuleOf(DEFAULT_CONFIG);
const withYearStart = (month1: number): CohortRule => ({ ...RULE, yearStartMonth: month1 });

describe('KPI cohorts on generated billing across a year boundary (2025-09..2026-03)', () => {
  let billing: BillingTable;
  let rows: Row[];
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-cohorts-'));
    await generateOperator(
      { subscribers: 2500, months: 7, seed: 5, start: '2025-09' },
      createFileSinks({ out: dir, cdr: false, truth: false, units: 4 }),
    );
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('billing-'))
      .sort()
      .map((f) => join(dir, f));
    billing = (await readBilling(files)).table;
    rows = rowsOf(billing);
  });

  // biome-ignore format: column-aligned table
  it.each([
    ['2026-03', 1,  '2026-01'],
    ['2026-02', 1,  '2026-01'],
    ['2026-03', 12, '2025-12'],
  ])('%s with the year starting in month %i: both cohorts, overall and per unit, match a recomputation', (m, start, year) => {
    const month = parseMonth(m);
    const k = cohortKpis(billing, month, withYearStart(start));
    expect(k).toMatchObject({ definition: 'cohort', year_start: year });
    const yearStart = parseMonth(year);
    expect(k.base_months).toEqual([formatMonth(yearStart - 3), formatMonth(yearStart - 1)]);
    const expected = recompute(rows, month, yearStart);
    expectFigures(k.overall, expected['*']!);
    expect(Object.keys(k.by_unit!)).toEqual(['unit-01', 'unit-02', 'unit-03', 'unit-04']);
    for (const unit of Object.keys(k.by_unit!)) expectFigures(k.by_unit![unit], expected[unit]!);
    // Substance, so the comparison cannot pass on empty cohorts.
    expect(k.overall.revenue_subscribers).toBeGreaterThan(500);
    expect(k.overall.churn_subscribers).toBeGreaterThan(20);
    expect(k.overall.daily_revenue_retention!).toBeGreaterThan(0.7);
    expect(k.overall.daily_revenue_retention!).toBeLessThan(1.2);
    const sum = (pick: (f: KpiFigures) => number) =>
      Object.values(k.by_unit!).reduce((s, f) => s + pick(f), 0);
    expect(sum((f) => f.revenue_subscribers)).toBe(k.overall.revenue_subscribers);
    expect(sum((f) => f.churned)).toBe(k.overall.churned);
  });

  it('shards of the subscribers merge into the KPIs of one process, per unit too', () => {
    const month = parseMonth('2026-03');
    const whole = cohortKpis(billing, month, RULE);
    const ids = billing.cols.subscriber_id;
    const shards = [0, 1, 2].map((k) =>
      cohortKpis(
        take(
          billing,
          where(billing.n, (i) => hashString(ids.dictionary[ids.codes[i]!]!) % 3 === k),
        ) as BillingTable,
        month,
        RULE,
      ),
    );
    const merged = mergeCohortKpis(shards)!;
    expect(merged.definition).toBe('cohort');
    for (const [a, b] of [
      [merged.overall, whole.overall],
      ...Object.keys(whole.by_unit!).map((u) => [merged.by_unit![u]!, whole.by_unit![u]!]),
    ] as const)
      expectFigures(a, b);
    expect(mergeCohortKpis([whole, cohortKpis(billing, month, withYearStart(7))])).toBeNull();
  });

  it('in the year-start month nobody is newly locked yet: churn is null, retention is measured', () => {
    const k = cohortKpis(billing, parseMonth('2026-01'), RULE);
    expect(k.definition).toBe('cohort');
    expect(k.overall.churn_subscribers).toBe(0);
    expect(k.overall.monthly_billed_churn).toBeNull();
    expect(k.overall.daily_revenue_retention).not.toBeNull();
  });

  it('keeps the rolling definition, saying why, when the history holds no cohort year', () => {
    // The year from 2025-07 would lock over 2025-04..06, which the data does not reach.
    const k: CohortKpis = cohortKpis(billing, parseMonth('2026-03'), withYearStart(7));
    expect(k.definition).toBe('rolling');
    expect(k.year_start).toBeNull();
    expect(k.reason).toContain('2025-04, 2025-05, 2025-06');
    const rolling = retentionKpis(billing, parseMonth('2026-03'), RULE);
    expect(k.overall.revenue_subscribers).toBe(rolling.locked);
    expect(k.overall.churned).toBe(rolling.churned);
    expect(k.overall.billed_base).toBeCloseTo(rolling.billed_last_month, 6);
    expect(k.overall.daily_revenue_retention).toBeCloseTo(rolling.daily_revenue_retention!, 12);
    expect(k.overall.monthly_billed_churn).toBeCloseTo(rolling.monthly_billed_churn!, 12);
  });
});

describe('cohort rules on hand-made rows', () => {
  const M = parseMonth('2026-02');
  // biome-ignore format: column-aligned table
  it.each([
    ['averages 50 over Oct–Dec',             [['2025-10', 50], ['2025-11', 50], ['2025-12', 50]], 1, 0],
    ['a missing October counts 0',           [['2025-11', 60], ['2025-12', 60]],                  0, 0],
    ['not billed in December',               [['2025-10', 90], ['2025-11', 90]],                  0, 0],
    ['newly locked over Nov–Jan',            [['2025-11', 10], ['2025-12', 70], ['2026-01', 70], ['2026-02', 70]], 0, 1],
    ['a gap breaks the run',                 [['2025-11', 90], ['2026-01', 90], ['2026-02', 90]], 0, 0],
  ] as const)('%s', (_, bills, locked, newLocked) => {
    const rows: BillingRow[] = bills.map(([month, billed]) => ({ id: 'a', month, billed }));
    rows.push({ id: 'z', month: '2025-09', billed: 1 }); // every month from the lock window on has rows
    for (const m of ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'])
      rows.push({ id: `f${m}`, month: m, billed: 1 });
    const k = cohortKpis(billingTable(rows), M + 1, RULE);
    expect(k.definition).toBe('cohort');
    expect(k.overall.revenue_subscribers).toBe(locked);
    expect(k.overall.churn_subscribers).toBe(newLocked);
  });

  it.each([
    ['2026-01', 1, '2026-01'],
    ['2025-12', 1, '2025-01'],
    ['2026-03', 4, '2025-04'],
    ['2026-04', 4, '2026-04'],
  ])('the year holding %s, starting in month %i, starts %s', (m, start, expected) => {
    expect(formatMonth(yearStartOf(parseMonth(m), start))).toBe(expected);
  });
});
