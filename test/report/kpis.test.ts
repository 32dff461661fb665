import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  formatMonth,
  hashString,
  type LockRule,
  lockRuleOf,
  mergeKpis,
  parseMonth,
  retentionKpis,
} from '../../src/index.js';
import { type BillingRow, billingTable } from './billing-table.js';

const RULE: LockRule = lockRuleOf(DEFAULT_CONFIG);

const M = parseMonth('2024-03');

describe('retentionKpis locked subscribers', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['ARPU exactly 50',        [['2024-02', 50]],    true],
    ['ARPU just under 50',     [['2024-02', 49.99]], false],
    ['only last month, above', [['2024-02', 60]],    true],
    [
      'two months averaging 45',
      [
        ['2024-01', 10],
        ['2024-02', 80],
      ],
      false,
    ],
    [
      'two months averaging 50',
      [
        ['2024-01', 20],
        ['2024-02', 80],
      ],
      true,
    ],
    [
      'three months, a low one',
      [
        ['2023-12', 0],
        ['2024-01', 60],
        ['2024-02', 60],
      ],
      false,
    ],
    [
      'big spend outside the window',
      [
        ['2023-11', 1000],
        ['2024-02', 40],
      ],
      false,
    ],
    [
      'not billed last month',
      [
        ['2023-12', 200],
        ['2024-01', 200],
      ],
      false,
    ],
  ] as const)('%s → locked %s', (_name, history, locked) => {
    const rows: BillingRow[] = history.map(([month, billed]) => ({ id: 'A', month, billed }));
    rows.push({ id: 'A', month: '2024-03', billed: 70 }, { id: 'B', month: '2024-02', billed: 100 });
    rows.push({ id: 'B', month: '2024-03', billed: 100 });
    const k = retentionKpis(billingTable(rows), M, RULE);
    expect(k.locked).toBe(locked ? 2 : 1);
  });

  it('leaves out non-normal cards (as billed last month)', () => {
    const k = retentionKpis(
      billingTable([
        { id: 'emp', month: '2024-02', billed: 500, card: 'employee' },
        { id: 'emp', month: '2024-03', billed: 500 },
        { id: 'free', month: '2024-02', billed: 500, card: 'free' },
        { id: 'ok', month: '2024-02', billed: 100 },
        { id: 'ok', month: '2024-03', billed: 100 },
      ]),
      M,
      RULE,
    );
    expect([k.locked, k.churned]).toEqual([1, 0]);
  });

  it('honours config.locked.min_arpu', () => {
    const rule: LockRule = { ...RULE, minArpu: 100 };
    const rows = [
      { id: 'a', month: '2024-02', billed: 99 },
      { id: 'b', month: '2024-02', billed: 100 },
      { id: 'b', month: '2024-03', billed: 100 },
    ];
    expect(retentionKpis(billingTable(rows), M, rule).locked).toBe(1);
  });
});

describe('retentionKpis ratios', () => {
  it('counts a locked subscriber absent this month as churned and billed 0; scales by days (leap February)', () => {
    const k = retentionKpis(
      billingTable([
        { id: 'stay', month: '2024-02', billed: 100 },
        { id: 'stay', month: '2024-03', billed: 120 },
        { id: 'gone', month: '2024-02', billed: 100 },
        { id: 'new', month: '2024-03', billed: 500 },
      ]),
      M,
      RULE,
    );
    expect(k).toMatchObject({
      month: '2024-03',
      previous_month: '2024-02',
      locked: 2,
      churned: 1,
      billed_last_month: 200,
      billed_this_month: 120,
      days_last_month: 29,
      days_this_month: 31,
      monthly_billed_churn: 0.5,
      reason: null,
    });
    expect(k.daily_revenue_retention).toBeCloseTo(120 / 31 / (200 / 29), 12);
  });

  it('uses 28 days for February in a common year and 30 for April', () => {
    const rows = (a: string, b: string): BillingRow[] => [
      { id: 'x', month: a, billed: 100 },
      { id: 'x', month: b, billed: 100 },
    ];
    const mar = retentionKpis(billingTable(rows('2023-02', '2023-03')), parseMonth('2023-03'), RULE);
    expect(mar.daily_revenue_retention).toBeCloseTo(28 / 31, 12);
    const feb = retentionKpis(billingTable(rows('2023-01', '2023-02')), parseMonth('2023-02'), RULE);
    expect(feb.daily_revenue_retention).toBeCloseTo(31 / 28, 12);
    const may = retentionKpis(billingTable(rows('2023-04', '2023-05')), parseMonth('2023-05'), RULE);
    expect([may.days_last_month, may.days_this_month]).toEqual([30, 31]);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['no rows last month', [{ id: 'a', month: '2024-03', billed: 80 }], /2024-02/],
    [
      'nobody locked',
      [
        { id: 'a', month: '2024-02', billed: 10 },
        { id: 'a', month: '2024-03', billed: 10 },
      ],
      /no locked/,
    ],
    ['no rows this month', [{ id: 'a', month: '2024-02', billed: 80 }], /2024-03/],
  ])('gives null ratios with a reason when %s', (_name, rows, reason) => {
    const k = retentionKpis(billingTable(rows), M, RULE);
    expect(k.daily_revenue_retention).toBeNull();
    expect(k.monthly_billed_churn).toBeNull();
    expect(k.reason).toMatch(reason);
  });
});

/** Generated billing history with gaps, churners, cards and months past the scored one. */
function generated(n: number): BillingRow[] {
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const rows: BillingRow[] = [];
  for (let i = 0; i < n; i++) {
    const card = next() < 0.05 ? 'test' : 'normal';
    const level = next() * 200;
    for (let m = M - 5; m <= M + 1; m++) {
      if (next() < 0.12) continue;
      rows.push({ id: `S${i}`, month: formatMonth(m), billed: Math.round(level * (0.5 + next())), card });
    }
  }
  return rows;
}

/** Straightforward recomputation from row objects, for comparison. */
function expected(rows: BillingRow[]) {
  const byId = new Map<string, BillingRow[]>();
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  let locked = 0;
  let churned = 0;
  let last = 0;
  let now = 0;
  for (const list of byId.values()) {
    const prev = list.find((r) => parseMonth(r.month) === M - 1);
    if (!prev || (prev.card ?? 'normal') !== 'normal') continue;
    const hist = list.filter((r) => parseMonth(r.month) >= M - 3 && parseMonth(r.month) <= M - 1);
    if (hist.reduce((a, r) => a + r.billed, 0) / hist.length < 50) continue;
    locked++;
    last += prev.billed;
    const cur = list.find((r) => parseMonth(r.month) === M);
    if (cur) now += cur.billed;
    else churned++;
  }
  return { locked, churned, last, now };
}

describe('retentionKpis on generated billing', () => {
  const rows = generated(3000);

  it('matches an independent recomputation', () => {
    const k = retentionKpis(billingTable(rows), M, RULE);
    const e = expected(rows);
    expect(e.locked).toBeGreaterThan(1000);
    expect(e.churned).toBeGreaterThan(50);
    expect([k.locked, k.churned, k.billed_last_month, k.billed_this_month]).toEqual([
      e.locked,
      e.churned,
      e.last,
      e.now,
    ]);
    expect(k.monthly_billed_churn).toBeCloseTo(e.churned / e.locked, 12);
    expect(k.daily_revenue_retention).toBeCloseTo(e.now / 31 / (e.last / 29), 12);
  });

  it('merges shard KPIs into the whole', () => {
    const whole = retentionKpis(billingTable(rows), M, RULE);
    const shards = [0, 1, 2].map((s) =>
      retentionKpis(billingTable(rows.filter((r) => hashString(r.id) % 3 === s)), M, RULE),
    );
    const merged = mergeKpis(shards);
    expect({ ...merged, daily_revenue_retention: 0, monthly_billed_churn: 0 }).toEqual({
      ...whole,
      daily_revenue_retention: 0,
      monthly_billed_churn: 0,
    });
    expect(merged.daily_revenue_retention).toBeCloseTo(whole.daily_revenue_retention!, 12);
    expect(merged.monthly_billed_churn).toBeCloseTo(whole.monthly_billed_churn!, 12);
    expect(() => mergeKpis([whole, retentionKpis(billingTable(rows), M + 1, RULE)])).toThrow(/merge/);
  });
});
