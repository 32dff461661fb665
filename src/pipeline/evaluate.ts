/**
 * How a scored month turned out: the churn label of DATA-CONTRACT §3 taken from the next month's
 * billing, against the scores and the warning list written for the month, and, with the call
 * centre's work-order outcomes, against what the calls did. Pure: every input arrives read.
 */
import type { BillingTable, OutcomesTable } from '../contract.js';
import { STATUS, TIERS } from '../contract.js';
import {
  ARM,
  type CampaignEvaluation,
  type CampaignRows,
  type Capture,
  criticalValue,
  type EffectSettings,
  type Evaluation,
  effectsBy,
  estimateEffect,
  type GroupOutcome,
  joinWorkOrders,
  wilson,
} from '../effect/index.js';
import { InputError } from '../errors.js';
import { evaluate } from '../model/metrics.js';

/** The columns of scores.csv that evaluation needs, as read. */
export interface ScoredRows {
  readonly ids: readonly string[];
  readonly probability: Float64Array;
  readonly eligible: Uint8Array;
  readonly control: Uint8Array;
  readonly stage: readonly string[];
  /** Exclusion reason per row ('' when eligible). */
  readonly exclusion: readonly string[];
  readonly tier: readonly string[];
  readonly segment: readonly string[];
  /** Fired triggers joined with ';' ('' when none). */
  readonly triggers: readonly string[];
  /** revenue_at_risk = churn probability × ARPU × horizon. */
  readonly revenue: Float64Array;
}

/** Who was assigned to be called: the warning list as written. */
export interface WarningList {
  readonly ids: ReadonlySet<string>;
  /** True when the capacity cut the list (summary.json `capacity.cut` > 0). */
  readonly capped: boolean;
}

export interface EvaluationInput {
  readonly scored: ScoredRows;
  readonly warningList: WarningList;
  readonly next: BillingTable;
  /** Month index of the scored month + 1. */
  readonly nextMonth: number;
  /** Names the next month's billing in messages. */
  readonly label: string;
  readonly outcomes: OutcomesTable | null;
  readonly settings: EffectSettings;
}

function stayers(next: BillingTable, nextMonth: number, label: string): Set<string> {
  if (next.n === 0 || !next.cols.month.includes(nextMonth)) {
    throw new InputError(`the next month's billing has no rows for ${label}`);
  }
  const stayed = new Set<string>();
  const ids = next.cols.subscriber_id;
  for (let i = 0; i < next.n; i++) {
    if (next.cols.month[i] !== nextMonth || next.cols.status[i] === STATUS.closed) continue;
    stayed.add(ids.dictionary[ids.codes[i]!]!);
  }
  return stayed;
}

/** Campaign arm of each scored row: on the list, in the comparable control group, or neither. */
function arms(scored: ScoredRows, list: WarningList, kept: Uint8Array) {
  const n = scored.ids.length;
  const arm = new Uint8Array(n);
  let cutoff = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (kept[i] && list.ids.has(scored.ids[i]!)) {
      arm[i] = ARM.called;
      const r = scored.revenue[i]!;
      if (r < cutoff) cutoff = r;
    }
  }
  const revenueCutoff = list.capped && Number.isFinite(cutoff) ? cutoff : null;
  let below = 0;
  for (let i = 0; i < n; i++) {
    if (!kept[i] || scored.control[i] !== 1 || scored.eligible[i] !== 1 || arm[i] !== ARM.none) continue;
    if (revenueCutoff !== null && !(scored.revenue[i]! >= revenueCutoff)) below++;
    else arm[i] = ARM.control;
  }
  return { arm, revenueCutoff, below };
}

export function evaluateScores(input: EvaluationInput): Evaluation {
  const { scored, settings } = input;
  const stayed = stayers(input.next, input.nextMonth, input.label);
  const n = scored.ids.length;
  const kept = Uint8Array.from(scored.exclusion, (e) => (e === 'closed' ? 0 : 1));
  const churned = Uint8Array.from(scored.ids, (id, i) => (kept[i] && !stayed.has(id) ? 1 : 0));
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (kept[i]) keep.push(i);

  const { arm, revenueCutoff, below } = arms(scored, input.warningList, kept);
  const joined =
    input.outcomes === null ? null : joinWorkOrders(input.outcomes, input.nextMonth - 1, scored.ids, arm);
  const value = Float64Array.from(scored.revenue, (r, i) => {
    const p = scored.probability[i]!;
    return p >= 1e-4 ? r / p : Number.NaN;
  });
  const rows: CampaignRows = { arm, churned, value, reached: joined?.reached ?? null };
  const split = (text: readonly string[]) => (i: number) => [text[i] || '(none)'];
  const campaign: CampaignEvaluation = {
    revenueCutoff,
    controlBelowCutoff: below,
    overall: estimateEffect(rows, keep, settings),
    byTier: effectsBy(rows, split(scored.tier), settings, { order: TIERS }),
    bySegment: effectsBy(rows, split(scored.segment), settings),
    byTrigger: effectsBy(
      rows,
      (i) => (scored.triggers[i] ? scored.triggers[i]!.split(';') : ['(none)']),
      settings,
    ),
    byAction:
      joined === null ? null : effectsBy(rows, split(joined.action), settings, { sharedControl: true }),
    workOrders: joined?.summary ?? null,
  };

  const stages = [...new Set(keep.map((i) => scored.stage[i]!))].sort();
  return {
    nextMonth: input.label,
    evaluated: keep.length,
    metrics: evaluate(
      Float64Array.from(keep, (i) => scored.probability[i]!),
      Uint8Array.from(keep, (i) => churned[i]!),
    ),
    capture: capture(scored, keep, churned, arm, settings),
    campaign,
    byStage: Object.fromEntries(
      stages.map((s) => [
        s,
        outcome(
          keep.filter((i) => scored.stage[i] === s),
          churned,
        ),
      ]),
    ),
    settings,
  };
}

function outcome(rows: number[], y: Uint8Array): GroupOutcome {
  const churned = rows.reduce((s, r) => s + y[r]!, 0);
  return { subscribers: rows.length, churned, churnRate: rows.length > 0 ? churned / rows.length : null };
}

/** The share of next month's churners the warning stage flagged, and the list held. */
function capture(
  scored: ScoredRows,
  keep: readonly number[],
  churned: Uint8Array,
  arm: Uint8Array,
  s: EffectSettings,
): Capture {
  let churners = 0;
  let warning = 0;
  let listed = 0;
  for (const i of keep) {
    if (churned[i] !== 1) continue;
    churners++;
    if (scored.stage[i] === 'warning') warning++;
    if (arm[i] === ARM.called) listed++;
  }
  return {
    churners,
    inWarningStage: warning,
    onList: listed,
    rate: churners > 0 ? warning / churners : null,
    interval: churners > 0 ? wilson(warning, churners, criticalValue(s.alpha)) : null,
    listedRate: churners > 0 ? listed / churners : null,
  };
}
