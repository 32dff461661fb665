import { describe, expect, it } from 'vitest';
import {
  criticalValue,
  dictFromStrings,
  evaluateScoredMonth,
  InputError,
  LISTS,
  makeFrame,
  newcombe,
  type OutcomesTable,
  parseMonth,
  type ScoredRows,
} from '../../src/index.js';
import { billingTable } from '../report/billing-table.js';

const settings = { alpha: 0.05, minEffect: 0.02, power: 0.8 };

// biome-ignore format: a case table reads best aligned
const ROWS: [
  id: string,
  stage: string,
  control: number,
  listed: boolean,
  exclusion: string,
  tier: string,
  revenue: number,
  prob: number,
  leaves: boolean,
][] = [
  ['c1', 'warning', 0, true, '', '<50', 120, 0.4, true],
  ['c2', 'warning', 0, true, '', '<50', 100, 0.5, false],
  ['c3', 'warning', 0, true, '', '50-150', 300, 0.5, false],
  ['c4', 'warning', 0, true, '', '50-150', 240, 0.4, true],
  ['h1', 'warning', 1, false, '', '<50', 200, 0.5, true],
  ['h2', 'warning', 1, false, '', '50-150', 150, 0.3, false],
  ['h3', 'warning', 1, false, '', '50-150', 50, 0.5, true], // below the lowest listed revenue (100)
  ['g1', 'warning', 0, false, '', '<50', 500, 0.5, true], // a group customer: the account team's list
  ['m1', 'maturity', 0, false, '', '<50', 10, 0.1, true],
  ['m2', 'maturity', 0, false, '', '<50', 10, 0.1, false],
  ['x1', 'maturity', 0, false, 'closed', '<50', 0, 0.0, true],
];

function input(capped: boolean, outcomes: OutcomesTable | null = null) {
  const col = <T>(k: number) => ROWS.map((r) => r[k] as T);
  const scored: ScoredRows = {
    ids: col<string>(0),
    probability: Float64Array.from(col<number>(7)),
    eligible: Uint8Array.from(ROWS, (r) => (r[4] === '' ? 1 : 0)),
    control: Uint8Array.from(col<number>(2)),
    stage: col<string>(1),
    exclusion: col<string>(4),
    tier: col<string>(5),
    segment: ROWS.map(() => 'typical'),
    triggers: ROWS.map((r) => (r[0].startsWith('c') ? 'spend_drop;care_calls' : 'spend_drop')),
    revenue: Float64Array.from(col<number>(6)),
  };
  const next = billingTable(
    ROWS.filter((r) => !r[8]).map((r) => ({ id: r[0], month: '2025-07', billed: 10 })),
  );
  return {
    scored,
    warningList: { ids: new Set(ROWS.filter((r) => r[3]).map((r) => r[0])), capped },
    next,
    nextMonth: parseMonth('2025-07'),
    label: '2025-07',
    nextFile: 'next.csv',
    // Six of the ten subscribers not closed leave in this small case: 40% of them are billed next month.
    minPresentShare: 0.3,
    outcomes,
    settings,
  };
}

describe('evaluateScoredMonth', () => {
  it('compares the warning list with the whole control group when the list was not capped', () => {
    const e = evaluateScoredMonth(input(false));
    const o = e.campaign.overall;
    expect([o.called.subscribers, o.called.churned, o.control.subscribers, o.control.churned]).toEqual([
      4, 2, 3, 2,
    ]);
    const d = newcombe(2, 4, 2, 3, criticalValue(0.05))!;
    expect(o.difference).toBeCloseTo(0.5 - 2 / 3, 12);
    expect(o.interval).toEqual({ low: d.low, high: d.high });
    // Revenue kept at the called group's mean ARPU × horizon: revenue at risk / probability.
    const meanValue = (300 + 200 + 600 + 600) / 4;
    expect(o.revenueKept!.estimate).toBeCloseTo(o.subscribersKept!.estimate * meanValue, 9);
    expect(e.campaign.revenueCutoff).toBeNull();
    expect(e.evaluated).toBe(10);
  });

  it('with a capped list compares only the control subscribers above its lowest revenue at risk', () => {
    const e = evaluateScoredMonth(input(true));
    expect(e.campaign.revenueCutoff).toBe(100);
    expect(e.campaign.controlBelowCutoff).toBe(1);
    expect(e.campaign.overall.control).toMatchObject({ subscribers: 2, churned: 1 });
  });

  it('counts the churners the warning stage flagged and those on the list', () => {
    const e = evaluateScoredMonth(input(false));
    // Churners: c1 c4 h1 h3 g1 m1 (x1 was closed already); in the warning stage: all but m1.
    expect(e.capture).toMatchObject({ churners: 6, inWarningStage: 5, onList: 2 });
    expect(e.capture.rate).toBeCloseTo(5 / 6, 12);
  });

  it('breaks the effect down by tier in tier order, and by each trigger fired', () => {
    const e = evaluateScoredMonth(input(false));
    expect(e.campaign.byTier.map((g) => [g.group, g.called.subscribers, g.control.subscribers])).toEqual([
      ['<50', 2, 1],
      ['50-150', 2, 2],
    ]);
    expect(e.campaign.byTrigger.map((g) => [g.group, g.called.subscribers, g.control.subscribers])).toEqual([
      ['care_calls', 4, 0],
      ['spend_drop', 4, 3],
    ]);
  });

  /** Warning work orders of `ids`, c4's (or every one's, with `month`) of May, the rest of June. */
  function workOrders(ids: string[], month?: string): OutcomesTable {
    const warning = LISTS.indexOf('warning');
    return makeFrame(
      {
        subscriber_id: dictFromStrings(ids),
        month: Int32Array.from(ids, (id) => parseMonth(month ?? (id === 'c4' ? '2025-05' : '2025-06'))),
        list: new Uint8Array(ids.length).fill(warning),
        contacted: Uint8Array.from([1, 1, 0, 1, 1, 1]),
        contact_date: new Float64Array(ids.length).fill(Number.NaN),
        action: dictFromStrings(['a', 'b', 'a', 'a', 'a', 'a']),
        accepted: new Float64Array(ids.length).fill(Number.NaN),
        channel: dictFromStrings(ids.map(() => 'call')),
      },
      ids.length,
    ) as OutcomesTable;
  }

  it('joins the work orders of the list month', () => {
    const outcomes = workOrders(['c1', 'c2', 'c3', 'h2', 'zz', 'c4']);
    const e = evaluateScoredMonth(input(false, outcomes));
    expect(e.campaign.workOrders).toMatchObject({
      rows: 6,
      otherMonths: 1,
      offList: 1,
      calledWithout: 1,
      controlContacted: 1,
    });
    const r = e.campaign.overall.reached!;
    expect(r.contactRate).toBeCloseTo(2 / 4, 12);
    expect(r.controlContactRate).toBeCloseTo(1 / 3, 12);
    expect(r.effect).toBeCloseTo((0.5 - 2 / 3) / (0.5 - 1 / 3), 12);
    expect(e.campaign.byAction!.map((g) => [g.group, g.called.subscribers, g.control.subscribers])).toEqual([
      ['(none)', 1, 3],
      ['a', 2, 3],
      ['b', 1, 3],
    ]);
  });

  it('refuses work orders none of which is for the list month, naming the months they are for', () => {
    const outcomes = workOrders(['c1', 'c2', 'c3', 'h2', 'zz', 'c4'], '2025-05');
    expect(() => evaluateScoredMonth(input(false, outcomes))).toThrow(
      'none of the 6 work orders of the outcome files is for 2025-06 (they are for 2025-05)',
    );
  });

  it('refuses a next month with no billing rows, naming the file and the months it has', () => {
    const bad = { ...input(false), nextMonth: parseMonth('2025-09'), label: '2025-09' };
    expect(() => evaluateScoredMonth(bad)).toThrow(InputError);
    expect(() => evaluateScoredMonth(bad)).toThrow(
      "next.csv: the next month's billing has no rows for 2025-09 (it has rows for 2025-07)",
    );
  });

  it('refuses a next month that bills too few of the scored subscribers, as a partial export would', () => {
    // 4 of the 10 scored subscribers who are not closed have a row (x1 was closed: not counted).
    expect(() => evaluateScoredMonth({ ...input(false), minPresentShare: 0.5 })).toThrow(
      'next.csv: only 4 of the 10 subscribers scored for 2025-06 (closed ones aside) have a row for 2025-07 ' +
        '(40.0%; limit checks.min_month_share 50.0%)',
    );
    expect(evaluateScoredMonth({ ...input(false), minPresentShare: 0.4 }).evaluated).toBe(10);
  });
});
