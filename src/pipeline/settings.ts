/**
 * The config sliced into what each stage reads. The stages take these narrow settings, never the whole
 * config: each setting is named here once, from config.ts, and the compositions pass the slices down.
 */
import type { Config } from '../config.js';
import type { EffectSettings } from '../effect/index.js';
import type { ControlSettings, LifecycleSettings } from '../lifecycle/index.js';
import type { AssessmentRules, CohortRule, LockRule } from '../report/index.js';
import type { ListSettings } from '../targets/index.js';
import type { SavingSettings } from '../uplift/saving.js';

/** The config a run uses: `--control-share`, when given, in place of targets.control_share. */
export function withControlShare(config: Config, share: Config['targets']['control_share'] | null): Config {
  return share === null ? config : { ...config, targets: { ...config.targets, control_share: share } };
}

/** Who is locked (包保), for the rolling retention KPIs. */
export function lockRuleOf(config: Config): LockRule {
  return { minArpu: config.locked.min_arpu, arpuMonths: config.tiers.arpu_months };
}

/** The manuals' cohort KPIs: the lock rule and the assessment year. */
export function cohortRuleOf(config: Config): CohortRule {
  return {
    ...lockRuleOf(config),
    yearStartMonth: config.kpi.year_start_month,
    lockMonths: config.kpi.lock_months,
    newLockMonths: config.kpi.new_lock_months,
  };
}

/** The points of the assessment's parts. */
export function assessmentRulesOf(config: Config): AssessmentRules {
  return config.kpi.assessment;
}

/** The control group's share, or what sizing it by power aims at. */
export function controlSettingsOf(config: Config): ControlSettings {
  const e = config.evaluation;
  return {
    controlShare: config.targets.control_share,
    minEffect: e.min_effect,
    alpha: e.alpha,
    power: e.power,
    maxControlShare: e.max_control_share,
  };
}

/** What an evaluation measures the campaign's effect with (its confidence and the effect it should detect). */
export function effectSettingsOf(config: Config): EffectSettings {
  const e = config.evaluation;
  return { alpha: e.alpha, minEffect: e.min_effect, power: e.power };
}

/** Staging a scored month: tiers, revenue at risk, stages and the control group. */
export function lifecycleSettingsOf(config: Config): LifecycleSettings {
  return {
    tierBounds: config.tiers.bounds,
    revenueHorizonMonths: config.revenue.horizon_months,
    stages: config.stages,
    capacity: config.targets.capacity,
    control: controlSettingsOf(config),
  };
}

/** The call lists: the configured capacity and the actions of each stage and tier. */
export function listSettingsOf(config: Config): ListSettings {
  const t = config.targets;
  return { capacity: t.capacity, stage_actions: t.stage_actions, tier_actions: t.tier_actions };
}

/** What a call is worth under uplift targeting. */
export function savingSettingsOf(config: Config): SavingSettings {
  return { horizonMonths: config.uplift.horizon_months, contactCost: config.uplift.contact_cost };
}

/** Staging and listing a scored month (pipeline/score.ts stageAndList). */
export interface ListingSettings {
  readonly lifecycle: LifecycleSettings;
  readonly lists: ListSettings;
}

export function listingSettingsOf(config: Config): ListingSettings {
  return { lifecycle: lifecycleSettingsOf(config), lists: listSettingsOf(config) };
}
