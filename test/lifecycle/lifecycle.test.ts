import { describe, expect, it } from 'vitest';
import {
  assignLifecycle,
  concat,
  DEFAULT_CONFIG,
  dict,
  dictToStrings,
  type Frame,
  hashString,
  type LifecycleSettings,
  lifecycleSettingsOf,
  riskDecileCuts,
  STAGES,
  TIERS,
  take,
  u8,
  valueTier,
  where,
  withColumns,
} from '../../src/index.js';
import { frameColumnsEqual } from '../helpers/frame-equal.js';
import { population, type ScoredRow, scoredFrame } from './scored-frame.js';

const SETTINGS: LifecycleSettings = lifecycleSettingsOf(DEFAULT_CONFIG);

const stages = (f: Frame): string[] => Array.from(u8(f, 'stage'), (s) => STAGES[s]!);

/** Ten low-risk fillers so the rows under test are not in the riskiest tenth by accident. */
const fillers: ScoredRow[] = Array.from({ length: 30 }, (_, i) => ({ id: `F${i}`, prob: 0.5 + i / 100 }));

describe('assignLifecycle stages', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    { tenure: 0, triggers: [], expected: 'onboarding' },
    { tenure: 1, triggers: [], expected: 'growth' },
    { tenure: 5, triggers: [], expected: 'growth' },
    { tenure: 6, triggers: [], expected: 'maturity' },
    { tenure: 40, triggers: ['spend_drop'], expected: 'maturity' },
    { tenure: 0, triggers: ['competitor_care'], expected: 'warning' },
    { tenure: 3, triggers: ['arrears_or_cancel'], expected: 'warning' },
    { tenure: 12, triggers: ['zero_usage', 'competitor_care'], expected: 'warning' },
  ] as const)('tenure $tenure with $triggers → $expected', ({ tenure, triggers, expected }) => {
    const f = assignLifecycle(
      scoredFrame([{ id: 'X', prob: 0.01, tenure, triggers: [...triggers] }, ...fillers]),
      SETTINGS,
      { seed: 1 },
    );
    expect(stages(f)[0]).toBe(expected);
  });

  it('puts the riskiest tenth of the eligible in warning whatever their tenure (warning wins)', () => {
    const rows: ScoredRow[] = Array.from({ length: 20 }, (_, i) => ({
      id: `A${i}`,
      prob: i / 20,
      tenure: i % 8,
    }));
    const f = assignLifecycle(scoredFrame(rows), SETTINGS, { seed: 1 });
    expect(Array.from(u8(f, 'risk_decile')).slice(18)).toEqual([1, 1]);
    expect(stages(f).slice(16)).toEqual(['onboarding', 'growth', 'warning', 'warning']);
    expect(stages(f).filter((s) => s === 'warning')).toHaveLength(2);
  });

  it('follows configured boundaries, hard triggers and warning band', () => {
    const settings: LifecycleSettings = {
      ...SETTINGS,
      stages: { onboarding_months: 3, growth_months: 12, warning_deciles: 2, hard_triggers: ['zero_usage'] },
    };
    const rows: ScoredRow[] = [
      { id: 'a', prob: 0.01, tenure: 2 },
      { id: 'b', prob: 0.01, tenure: 3 },
      { id: 'c', prob: 0.01, tenure: 12 },
      { id: 'd', prob: 0.01, tenure: 12, triggers: ['zero_usage'] },
      { id: 'e', prob: 0.01, tenure: 12, triggers: ['competitor_care'] },
      ...Array.from({ length: 15 }, (_, i) => ({ id: `r${i}`, prob: 0.2 + i / 100 })),
    ];
    const f = assignLifecycle(scoredFrame(rows), settings, { seed: 1 });
    expect(stages(f).slice(0, 5)).toEqual(['onboarding', 'growth', 'maturity', 'warning', 'maturity']);
    // deciles 1..2 of 20 eligible = the 4 riskiest
    expect(stages(f).filter((s) => s === 'warning')).toHaveLength(5);
  });
});

describe('assignLifecycle columns', () => {
  it('marks eligibility with the first reason that applies', () => {
    const f = assignLifecycle(
      scoredFrame([
        { id: 'ok' },
        { id: 'emp', card: 'employee', dnd: true },
        { id: 'test', card: 'test' },
        { id: 'dnd', dnd: true, status: 'closed' },
        { id: 'gone', status: 'closed' },
        { id: 'susp', status: 'arrears_suspended' },
        { id: 'grp', customer: 'group' },
      ]),
      SETTINGS,
      { seed: 1 },
    );
    frameColumnsEqual(f, {
      eligible: [1, 0, 0, 0, 0, 1, 1],
      exclusion: [null, 'card_type', 'card_type', 'closed', 'closed', null, null],
    });
  });

  it('keeps a recently contacted subscriber off the lists and out of the control group, after the other reasons', () => {
    const rows = [
      { id: 'ok', prob: 0.9 },
      { id: 'recent', prob: 0.9 },
      { id: 'dnd', prob: 0.9, dnd: true },
      ...Array.from({ length: 17 }, (_, k) => ({ id: `low${k}`, prob: 0.01 })),
    ];
    const scored = withColumns(scoredFrame(rows), {
      recently_contacted: Uint8Array.from(rows, (r) => (r.id === 'recent' || r.id === 'dnd' ? 1 : 0)),
    });
    const all = { ...SETTINGS, control: { ...SETTINGS.control, controlShare: 1 } };
    const f = assignLifecycle(scored, all, { seed: 1 });
    frameColumnsEqual(take(f, [0, 1, 2]), {
      eligible: [1, 0, 0],
      exclusion: [null, 'recently_contacted', 'do_not_disturb'],
      control: [1, 0, 0],
    });
  });

  it('computes revenue at risk, tiers and trigger text', () => {
    const f = assignLifecycle(
      scoredFrame([
        { id: 'a', prob: 0.5, arpu: 49.99, triggers: ['plan_expiring', 'spend_drop'] },
        { id: 'b', prob: 0.25, arpu: 50 },
        { id: 'c', prob: 0, arpu: 150, triggers: ['silent_days', 'zero_usage', 'care_calls'] },
        { id: 'd', prob: 1, arpu: 300 },
      ]),
      SETTINGS,
      { seed: 1 },
    );
    frameColumnsEqual(f, {
      revenue_at_risk: [0.5 * 49.99 * 12, 150, 0, 3600],
      tier: [0, 1, 2, 3],
      triggers: ['spend_drop;plan_expiring', '', 'silent_days;zero_usage;care_calls', ''],
    });
    expect([49.99, 50, 149.99, 150, 300, Number.NaN].map((a) => TIERS[valueTier(a, [50, 150, 300])])).toEqual(
      ['<50', '50-150', '50-150', '150-300', '300+', '<50'],
    );
  });
});

describe('control group', () => {
  const rows = population(20_000, 7);
  const whole = assignLifecycle(scoredFrame(rows), SETTINGS, { seed: 42 });
  const control = u8(whole, 'control');
  const stage = u8(whole, 'stage');
  const eligible = u8(whole, 'eligible');
  const customer = u8(whole, 'customer_type');

  it('draws about control_share of the eligible individual warning band, and nobody else', () => {
    let band = 0;
    let drawn = 0;
    for (let i = 0; i < whole.n; i++) {
      const inBand = stage[i] === 3 && eligible[i] === 1 && customer[i] === 0;
      if (inBand) band++;
      if (control[i] === 1) {
        drawn++;
        expect(inBand).toBe(true);
      }
    }
    expect(band).toBeGreaterThan(2000);
    expect(drawn / band).toBeGreaterThan(0.035);
    expect(drawn / band).toBeLessThan(0.065);
  });

  it('is the same for the same seed and differs for another seed', () => {
    const again = assignLifecycle(scoredFrame(rows), SETTINGS, { seed: 42 });
    expect(Array.from(u8(again, 'control'))).toEqual(Array.from(control));
    const other = assignLifecycle(scoredFrame(rows), SETTINGS, { seed: 43 });
    expect(Array.from(u8(other, 'control'))).not.toEqual(Array.from(control));
  });

  it('does not depend on row order', () => {
    const reversed = assignLifecycle(scoredFrame([...rows].reverse()), SETTINGS, { seed: 42 });
    expect(Array.from(u8(reversed, 'control')).reverse()).toEqual(Array.from(control));
  });

  it('scores two shards to exactly the whole when they share the population cuts', () => {
    const input = scoredFrame(rows);
    const ids = dict(input, 'subscriber_id');
    const shardOf = (i: number): number => hashString(ids.dictionary[ids.codes[i]!]!) % 2;
    const cuts = riskDecileCuts(
      input.cols.churn_probability as Float64Array,
      assignLifecycle(input, SETTINGS, { seed: 42 }).cols.eligible as Uint8Array,
    );
    const shards = [0, 1].map((s) =>
      assignLifecycle(
        take(
          input,
          where(input.n, (i) => shardOf(i) === s),
        ),
        SETTINGS,
        { seed: 42, cuts },
      ),
    );
    expect(shards[0]!.n).toBeGreaterThan(9000);
    const union = concat(shards);
    const order = where(whole.n, (i) => shardOf(i) === 0);
    const rest = where(whole.n, (i) => shardOf(i) === 1);
    const expected = take(whole, Int32Array.from([...order, ...rest]));
    for (const name of ['control', 'stage', 'risk_decile', 'eligible', 'revenue_at_risk', 'tier']) {
      expect(Array.from(union.cols[name] as Uint8Array), name).toEqual(
        Array.from(expected.cols[name] as Uint8Array),
      );
    }
    for (const name of ['subscriber_id', 'triggers', 'exclusion']) {
      expect(dictToStrings(dict(union, name)), name).toEqual(dictToStrings(dict(expected, name)));
    }
  });
});
