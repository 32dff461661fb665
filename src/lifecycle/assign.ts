import type { Config } from '../config.js';
import { riskDecileCuts, riskDeciles } from '../deciles.js';
import { dict, type Frame, f64, i32, u8, withColumns } from '../frame.js';
import { warningCapacity } from './capacity.js';
import { numbers } from './columns.js';
import { type ControlSettings, controlBand, controlDraw, resolveControlShare } from './control.js';
import { eligibility } from './eligibility.js';
import { stageOf } from './stage.js';
import { valueTiers } from './tiers.js';
import { maskOf, triggerColumn, triggerMasks } from './trigger-masks.js';

/** The config a month is staged by (pipeline/settings.ts slices it). */
export interface LifecycleSettings {
  /** Upper bounds of the first three value tiers by ARPU: config tiers.bounds. */
  readonly tierBounds: Config['tiers']['bounds'];
  /** Months of revenue at risk: config revenue.horizon_months. */
  readonly revenueHorizonMonths: Config['revenue']['horizon_months'];
  /** The stage rule's thresholds and hard triggers: config stages. */
  readonly stages: Config['stages'];
  /** The configured warning-list capacity, when the run sets none: config targets.capacity. */
  readonly capacity: Config['targets']['capacity'];
  readonly control: ControlSettings;
}

export interface LifecycleOptions {
  /** Seed of the control-group draw. */
  seed: number;
  /**
   * Risk-decile cut points to apply instead of computing them from this frame. A sharded run
   * passes the cuts of the whole population so every shard stages exactly as one process would.
   */
  cuts?: Float64Array;
  /** Most subscribers on the warning list, for sizing the control group by power (see warningCapacity). */
  capacity?: number | null;
}

/**
 * Adds the lifecycle columns to a scored frame (feature frame + `churn_probability` + `segment`):
 *
 * - `eligible` (Uint8), `exclusion` (dictionary: closed / card_type / do_not_disturb /
 *   recently_contacted, the last from an optional Uint8 `recently_contacted` column; or missing);
 * - `tier` (Uint8 index into TIERS): kept when the frame has it, otherwise from `arpu`;
 * - `risk_decile` (Uint8 1..10 among the eligible; see src/deciles.ts);
 * - `revenue_at_risk` = churn_probability × arpu × revenueHorizonMonths;
 * - `triggers` (dictionary: fired trigger names joined with ';', '' when none);
 * - `stage` (Uint8 index into STAGES; see stage.ts);
 * - `control` (Uint8): eligible individual subscribers in the warning stage whose seeded draw is
 *   below the control share (or the share sized by power when it is "auto"; see control.ts).
 *   They stay off the warning list so the effect of retention work can be measured against them.
 *   Group customers are never drawn: their list is the account team's, not the retention desk's.
 */
export function assignLifecycle(
  scored: Frame,
  settings: LifecycleSettings,
  options: LifecycleOptions,
): Frame {
  const n = scored.n;
  const ids = dict(scored, 'subscriber_id');
  const month = i32(scored, 'month');
  const prob = f64(scored, 'churn_probability');
  const arpu = numbers(scored, 'arpu');
  const tenure = numbers(scored, 'tenure_months');
  const customer = u8(scored, 'customer_type');

  const recent = scored.cols.recently_contacted;
  const { eligible, exclusion } = eligibility(
    u8(scored, 'card_type'),
    u8(scored, 'do_not_disturb'),
    u8(scored, 'status'),
    recent instanceof Uint8Array ? recent : undefined,
  );
  const tier =
    scored.cols.tier instanceof Uint8Array ? scored.cols.tier : valueTiers(arpu, settings.tierBounds);
  const cuts = options.cuts ?? riskDecileCuts(prob, eligible);
  const decile = riskDeciles(prob, cuts);

  const horizon = settings.revenueHorizonMonths;
  const revenue = new Float64Array(n);
  for (let i = 0; i < n; i++) revenue[i] = prob[i]! * arpu[i]! * horizon;

  const masks = triggerMasks(scored);
  const hard = maskOf(settings.stages.hard_triggers);
  const stage = new Uint8Array(n);
  for (let i = 0; i < n; i++)
    stage[i] = stageOf(tenure[i]!, decile[i]!, (masks[i]! & hard) !== 0, settings.stages);

  const band = controlBand({ stage, eligible, customer, probability: prob, revenue });
  const share =
    settings.control.controlShare === 'auto'
      ? resolveControlShare(
          {
            probability: Float64Array.from(band, (i) => prob[i]!),
            capacity: warningCapacity(options.capacity, settings.capacity),
          },
          settings.control,
        ).share
      : settings.control.controlShare;
  const control = new Uint8Array(n);
  for (const i of band) {
    const code = ids.codes[i]!;
    if (code < 0) continue;
    if (controlDraw(options.seed, month[i]!, ids.dictionary[code]!) < share) control[i] = 1;
  }

  return withColumns(scored, {
    eligible,
    exclusion,
    tier,
    risk_decile: decile,
    revenue_at_risk: revenue,
    triggers: triggerColumn(masks),
    stage,
    control,
  });
}
