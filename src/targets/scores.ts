import { STAGES, TIERS } from '../contract.js';
import { dict, type Frame, f64, i32, makeFrame, u8 } from '../frame.js';
import { segmentColumn, upliftColumnsOf } from './lists.js';
import { reasonsOf } from './reasons.js';

/**
 * The `scores.csv` frame: every scored subscriber in input order, columns `subscriber_id, month,
 * stage, tier, segment, churn_probability, risk_decile, revenue_at_risk, triggers, reasons,
 * eligible` (CLI.md, with `reasons` from reasons.ts) plus `control` (held out of the warning list, so later evaluation can compare) and
 * `exclusion` (why an ineligible subscriber is never called). Text columns are dictionary columns.
 */
export function scoresFrame(staged: Frame, segmentNames: readonly string[] = []): Frame {
  return makeFrame(
    {
      subscriber_id: dict(staged, 'subscriber_id'),
      month: i32(staged, 'month'),
      stage: { kind: 'dict', codes: new Int32Array(u8(staged, 'stage')), dictionary: STAGES },
      tier: { kind: 'dict', codes: new Int32Array(u8(staged, 'tier')), dictionary: TIERS },
      segment: segmentColumn(i32(staged, 'segment'), segmentNames),
      churn_probability: f64(staged, 'churn_probability'),
      risk_decile: u8(staged, 'risk_decile'),
      revenue_at_risk: f64(staged, 'revenue_at_risk'),
      triggers: dict(staged, 'triggers'),
      reasons: reasonsOf(staged),
      eligible: u8(staged, 'eligible'),
      control: u8(staged, 'control'),
      exclusion: dict(staged, 'exclusion'),
      ...upliftColumnsOf(staged),
    },
    staged.n,
  );
}
