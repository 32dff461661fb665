import { describe, expect, it } from 'vitest';
import {
  assessmentRulesOf,
  cohortRuleOf,
  configSchema,
  controlSettingsOf,
  effectSettingsOf,
  lifecycleSettingsOf,
  listingSettingsOf,
  listSettingsOf,
  lockRuleOf,
  savingSettingsOf,
  withControlShare,
} from '../../src/index.js';

// Every value differs from its default, so a slice reading the wrong setting fails.
const config = configSchema.parse({
  locked: { min_arpu: 70 },
  tiers: { bounds: [40, 120, 280], arpu_months: 4 },
  revenue: { horizon_months: 9 },
  stages: { onboarding_months: 2, growth_months: 8, warning_deciles: 3, hard_triggers: ['zero_usage'] },
  targets: {
    control_share: 'auto',
    capacity: 250,
    stage_actions: { onboarding: [], growth: [{ action: 'tip', due_days: 3 }], maturity: [], warning: [] },
    tier_actions: { '<50': [], '50-150': [], '150-300': [], '300+': [{ action: 'gift', due_days: 9 }] },
  },
  evaluation: { min_effect: 0.03, power: 0.9, alpha: 0.1, max_control_share: 0.4 },
  uplift: { horizon_months: 6, contact_cost: 2.5 },
  kpi: {
    year_start_month: 7,
    lock_months: 2,
    new_lock_months: 4,
    assessment: { management: { max: 20, target: 0.9, points_per_point: 2 } },
  },
});

describe('the config sliced for each stage', () => {
  it('takes each setting from its place in the config', () => {
    expect(lockRuleOf(config)).toEqual({ minArpu: 70, arpuMonths: 4 });
    expect(cohortRuleOf(config)).toEqual({
      minArpu: 70,
      arpuMonths: 4,
      yearStartMonth: 7,
      lockMonths: 2,
      newLockMonths: 4,
    });
    expect(assessmentRulesOf(config).management).toEqual({ max: 20, target: 0.9, points_per_point: 2 });
    expect(controlSettingsOf(config)).toEqual({
      controlShare: 'auto',
      minEffect: 0.03,
      alpha: 0.1,
      power: 0.9,
      maxControlShare: 0.4,
    });
    expect(effectSettingsOf(config)).toEqual({ alpha: 0.1, minEffect: 0.03, power: 0.9 });
    expect(savingSettingsOf(config)).toEqual({ horizonMonths: 6, contactCost: 2.5 });
  });

  it('stages and lists by the same settings the config holds', () => {
    const lifecycle = lifecycleSettingsOf(config);
    expect(lifecycle).toMatchObject({ tierBounds: [40, 120, 280], revenueHorizonMonths: 9, capacity: 250 });
    expect(lifecycle.stages).toEqual(config.stages);
    expect(lifecycle.control).toEqual(controlSettingsOf(config));
    const lists = listSettingsOf(config);
    expect(lists.capacity).toBe(250);
    expect(lists.stage_actions.growth).toEqual([{ action: 'tip', due_days: 3 }]);
    expect(lists.tier_actions['300+']).toEqual([{ action: 'gift', due_days: 9 }]);
    expect(listingSettingsOf(config)).toEqual({ lifecycle, lists });
  });
});

describe('withControlShare', () => {
  it.each([
    [null, 'auto'],
    [0.2, 0.2],
    ['auto', 'auto'],
  ] as const)('--control-share %s gives targets.control_share %s', (share, want) => {
    const fixed = { ...config, targets: { ...config.targets, control_share: 0.1 } };
    const run = withControlShare(config, share);
    expect(run.targets.control_share).toBe(want);
    expect(run.targets.capacity).toBe(250);
    expect(withControlShare(fixed, share).targets.control_share).toBe(share ?? 0.1);
    expect(config.targets.control_share).toBe('auto');
  });
});
