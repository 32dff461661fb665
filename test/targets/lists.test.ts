import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  assignLifecycle,
  buildTargetLists,
  DEFAULT_CONFIG,
  dict,
  dictToStrings,
  type Frame,
  f64,
  LIST_COLUMNS,
  LISTS,
  type ListSettings,
  lifecycleSettingsOf,
  listSettingsOf,
  parseDate,
  STAGES,
  scoresFrame,
  u8,
} from '../../src/index.js';
import { frameColumnsEqual } from '../helpers/frame-equal.js';
import { population, type ScoredRow, scoredFrame } from '../lifecycle/scored-frame.js';

const listDate = parseDate('2024-04-02');
const LIFECYCLE = lifecycleSettingsOf(DEFAULT_CONFIG);
const LIST_SETTINGS: ListSettings = listSettingsOf(DEFAULT_CONFIG);
const ids = (f: Frame): (string | null)[] => dictToStrings(dict(f, 'subscriber_id'));

/** Low-risk fillers so hand-made rows are staged by tenure unless a hard trigger fires. */
const fillers: ScoredRow[] = Array.from({ length: 40 }, (_, i) => ({
  id: `F${String(i).padStart(2, '0')}`,
  prob: 0.5 + i / 100,
  card: 'test',
}));

function lists(rows: ScoredRow[], settings: ListSettings = LIST_SETTINGS, capacity?: number | null) {
  const staged = assignLifecycle(scoredFrame([...rows, ...fillers]), LIFECYCLE, { seed: 3 });
  return {
    staged,
    ...buildTargetLists(staged, settings, { capacity, listDate, segmentNames: ['light', 'heavy'] }),
  };
}

describe('buildTargetLists membership', () => {
  const { lists: l } = lists([
    { id: 'new', tenure: 0, prob: 0.01 },
    { id: 'grow', tenure: 3, prob: 0.01 },
    { id: 'old', tenure: 30, prob: 0.01 },
    { id: 'hot', tenure: 30, prob: 0.01, triggers: ['competitor_care'] },
    { id: 'grp-new', tenure: 0, prob: 0.01, customer: 'group' },
    { id: 'grp-hot', tenure: 30, prob: 0.01, customer: 'group', triggers: ['arrears_or_cancel'] },
    { id: 'emp', tenure: 0, card: 'employee', triggers: ['competitor_care'] },
    { id: 'free', tenure: 3, card: 'free' },
    { id: 'sp', tenure: 3, card: 'sp_only' },
    { id: 'dnd', tenure: 30, dnd: true, triggers: ['competitor_care'] },
    { id: 'closed', tenure: 30, status: 'closed' },
    { id: 'grp-dnd', customer: 'group', dnd: true },
  ]);

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['onboarding', ['new']],
    ['growth',     ['grow']],
    ['maturity',   ['old']],
    ['warning',    ['hot']],
    ['group',      ['grp-hot', 'grp-new']],
  ] as const)('%s holds %j', (name, expected) => {
    expect(ids(l[name]).sort()).toEqual([...expected].sort());
  });

  it('never lists an ineligible subscriber and lists each eligible one once', () => {
    const all = LISTS.flatMap((name) => ids(l[name]));
    for (const bad of ['emp', 'free', 'sp', 'dnd', 'closed', 'grp-dnd']) expect(all).not.toContain(bad);
    expect(new Set(all).size).toBe(all.length);
    expect(all.some((id) => id?.startsWith('F'))).toBe(false);
  });

  it('keeps the group customer’s own stage on the group list', () => {
    frameColumnsEqual(l.group, { subscriber_id: ['grp-hot', 'grp-new'], stage: ['warning', 'onboarding'] });
  });

  it('has the contract columns, in order, with typed values', () => {
    expect(Object.keys(l.warning.cols)).toEqual([...LIST_COLUMNS]);
    frameColumnsEqual(l.warning, {
      subscriber_id: ['hot'],
      month: [2024 * 12 + 2],
      stage: ['warning'],
      tier: ['50-150'],
      segment: ['light'],
      churn_probability: [0.01],
      risk_decile: [10],
      revenue_at_risk: [0.01 * 100 * 12],
      triggers: ['competitor_care'],
      actions: ['retention call on the triggers; callback on the trigger; value-added service offer'],
      due_by: ['2024-04-05'],
    });
  });
});

describe('buildTargetLists rows', () => {
  it('names the scores row of each list row, whose shared columns hold the same values', () => {
    const built = lists([
      { id: 'new', tenure: 0, prob: 0.2 },
      { id: 'hot', tenure: 30, prob: 0.3, triggers: ['competitor_care'] },
      { id: 'grp', tenure: 30, prob: 0.1, customer: 'group' },
      { id: 'emp', tenure: 0, card: 'employee' },
    ]);
    const scores = scoresFrame(built.staged, ['light', 'heavy']);
    const valuesAt = (f: Frame, name: string, rows: ArrayLike<number>) => {
      const c = f.cols[name]!;
      const all = 'kind' in c ? dictToStrings(c) : Array.from(c as ArrayLike<number>);
      return Array.from(rows, (r) => all[r]);
    };
    let listed = 0;
    for (const name of LISTS) {
      const list = built.lists[name];
      const rows = built.rows[name];
      expect(rows.length).toBe(list.n);
      listed += rows.length;
      const identity = Array.from({ length: list.n }, (_, k) => k);
      for (const column of Object.keys(list.cols).filter((c) => c in scores.cols))
        expect(valuesAt(list, column, identity), `${name}.${column}`).toEqual(valuesAt(scores, column, rows));
    }
    expect(listed).toBe(3);
  });
});

describe('buildTargetLists order, control and capacity', () => {
  const rows = population(5000, 11);
  const staged = assignLifecycle(scoredFrame(rows), LIFECYCLE, { seed: 9 });
  const full = buildTargetLists(staged, LIST_SETTINGS, { capacity: null, listDate });

  it('sorts every list by revenue at risk descending, ties by subscriber id', () => {
    for (const name of LISTS) {
      const rev = f64(full.lists[name], 'revenue_at_risk');
      const id = ids(full.lists[name]);
      expect(rev.length).toBeGreaterThan(0);
      for (let k = 1; k < rev.length; k++) {
        expect(rev[k - 1]! > rev[k]! || (rev[k - 1] === rev[k] && id[k - 1]! < id[k]!)).toBe(true);
      }
    }
  });

  it('holds the control group out of the warning list only', () => {
    const control = u8(staged, 'control');
    const controlIds = new Set(ids(staged).filter((_, i) => control[i] === 1));
    expect(controlIds.size).toBe(full.heldOut);
    expect(full.heldOut).toBeGreaterThan(10);
    for (const name of LISTS) for (const id of ids(full.lists[name])) expect(controlIds.has(id)).toBe(false);
    // everyone else eligible is listed: independent count from the staged frame
    const eligible = u8(staged, 'eligible');
    const expected = Array.from(eligible).filter((e, i) => e === 1 && control[i] === 0).length;
    expect(LISTS.reduce((s, name) => s + full.lists[name].n, 0)).toBe(expected);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    [null, 0],
    [50,   null],
    [1,    null],
    [1e9,  0],
  ] as const)('capacity %s cuts the warning list to its riskiest revenue', (capacity, cut) => {
    const r = buildTargetLists(staged, LIST_SETTINGS, { capacity, listDate });
    const all = full.lists.warning.n;
    expect(all).toBeGreaterThan(50);
    const kept = capacity === null ? all : Math.min(all, capacity);
    expect(r.lists.warning.n).toBe(kept);
    expect(r.capped).toBe(cut ?? all - kept);
    expect(ids(r.lists.warning)).toEqual(ids(full.lists.warning).slice(0, kept));
    expect(r.lists.maturity.n).toBe(full.lists.maturity.n);
  });

  it('takes the capacity from config when the option is absent', () => {
    const r = buildTargetLists(staged, { ...LIST_SETTINGS, capacity: 7 }, { listDate });
    expect([r.lists.warning.n, r.capacity]).toEqual([7, 7]);
  });
});

describe('actions and due dates', () => {
  it('joins stage then tier actions, once each, and dates them by the soonest', () => {
    const targets: ListSettings = {
      capacity: null,
      stage_actions: {
        onboarding: [{ action: 'welcome call', due_days: 7 }],
        growth: [],
        maturity: [{ action: 'check-in', due_days: 30 }],
        warning: [{ action: 'retention call', due_days: 5 }],
      },
      tier_actions: {
        '<50': [],
        '50-150': [{ action: 'offer', due_days: 14 }],
        '150-300': [
          { action: 'check-in', due_days: 10 },
          { action: 'offer', due_days: 20 },
        ],
        '300+': [{ action: 'retention call', due_days: 1 }],
      },
    };
    // biome-ignore format: a case table reads best aligned
    const cases: [string, string, string, number][] = [
      ['onboarding', '<50',     'welcome call',    7],
      ['growth',     '50-150',  'offer',           14],
      ['maturity',   '150-300', 'check-in; offer', 10],
      ['warning',    '300+',    'retention call',  1],
    ];
    for (const [stage, tier, text, days] of cases) {
      const list = actionsFor(
        STAGES.indexOf(stage as never),
        ['<50', '50-150', '150-300', '300+'].indexOf(tier),
        targets,
      );
      expect(list.map((a) => a.action).join('; ')).toBe(text);
      expect(Math.min(...list.map((a) => a.due_days))).toBe(days);
    }
    const r = lists(
      [
        { id: 'a', tenure: 0, prob: 0.01, arpu: 10 },
        { id: 'b', tenure: 2, prob: 0.02, arpu: 10 },
        { id: 'c', tenure: 20, prob: 0.03, arpu: 200 },
      ],
      targets,
    );
    frameColumnsEqual(r.lists.onboarding, { actions: ['welcome call'], due_by: ['2024-04-09'] });
    frameColumnsEqual(r.lists.growth, { actions: [''], due_by: [null] });
    frameColumnsEqual(r.lists.maturity, { actions: ['check-in; offer'], due_by: ['2024-04-12'] });
  });

  it('uses the default actions from the config', () => {
    const r = lists([{ id: 'v', tenure: 0, prob: 0.01, arpu: 400 }]);
    frameColumnsEqual(r.lists.onboarding, {
      tier: ['300+'],
      actions: [
        'welcome call; plan and tariff check; satisfaction survey; service password reminder; callback on the trigger; value-added service offer; membership card; points and club reminder; callback every 2 months; points redemption help',
      ],
      due_by: ['2024-04-05'],
    });
  });
});

describe('scoresFrame', () => {
  it('keeps every scored subscriber in input order with text columns', () => {
    const staged = assignLifecycle(
      scoredFrame([
        { id: '007', tenure: 0, segment: 1, triggers: ['spend_drop'] },
        { id: '008', card: 'test', segment: 2 },
      ]),
      LIFECYCLE,
      { seed: 1 },
    );
    const s = scoresFrame(staged, ['light', 'heavy']);
    expect(Object.keys(s.cols)).toEqual([
      'subscriber_id',
      'month',
      'stage',
      'tier',
      'segment',
      'churn_probability',
      'risk_decile',
      'revenue_at_risk',
      'triggers',
      'reasons',
      'eligible',
      'control',
      'exclusion',
    ]);
    frameColumnsEqual(s, {
      subscriber_id: ['007', '008'],
      stage: ['onboarding', 'maturity'],
      segment: ['heavy', '2'],
      triggers: ['spend_drop', ''],
      eligible: [1, 0],
      exclusion: [null, 'card_type'],
    });
  });
});
