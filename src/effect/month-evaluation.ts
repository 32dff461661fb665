/**
 * What `retain evaluate` finds for a scored month: the model against who left, the capture rate,
 * and the campaign's measured effect (pipeline/evaluate.ts computes it; report/ words it).
 */
import type { ModelMetrics } from '../model/metrics.js';
import type { EffectEstimate, EffectSettings, GroupEffect } from './campaign.js';
import type { Interval } from './stats.js';
import type { WorkOrderSummary } from './work-orders.js';

export interface GroupOutcome {
  readonly subscribers: number;
  readonly churned: number;
  readonly churnRate: number | null;
}

export interface Capture {
  /** Evaluated subscribers who had churned at the next month. */
  readonly churners: number;
  /** Of them, in the warning stage (called, held out or cut by the capacity). */
  readonly inWarningStage: number;
  /** Of them, on the warning list. */
  readonly onList: number;
  /** inWarningStage / churners, with its Wilson interval. */
  readonly rate: number | null;
  readonly interval: Interval | null;
  readonly listedRate: number | null;
}

export interface CampaignEvaluation {
  /**
   * The capacity's cut-off: with a capped list only control subscribers whose revenue at risk
   * reaches the lowest listed one are compared, as they alone would have been called.
   */
  readonly revenueCutoff: number | null;
  /** Control subscribers below the cut-off, left out of the comparison. */
  readonly controlBelowCutoff: number;
  readonly overall: EffectEstimate;
  readonly byTier: GroupEffect[];
  readonly bySegment: GroupEffect[];
  readonly byTrigger: GroupEffect[];
  /** With outcomes: each action's called subscribers against the whole control group. */
  readonly byAction: GroupEffect[] | null;
  /** By owning unit, each against its own control subscribers; null when the scores name no unit. */
  readonly byUnit?: GroupEffect[] | null;
  readonly workOrders: WorkOrderSummary | null;
  /** How well the list's order found those a call keeps; null without a comparable control group. */
  readonly qini?: ListQini | null;
}

/** The Qini curve of the list's order, assigned against control (uplift/qini.ts). */
export interface ListQini {
  /** The scores.csv column the list was ordered by. */
  readonly orderedBy: 'revenue_at_risk' | 'expected_saving';
  readonly subscribers: number;
  readonly called: number;
  readonly control: number;
  /** Area under the uplift curve, in subscribers kept. */
  readonly auuc: number;
  /** Area between the Qini curve and random targeting, in subscribers kept; above 0 beats random. */
  readonly qiniCoefficient: number;
  /** Qini at the end: subscribers the calls kept among all the called. */
  readonly kept: number;
  readonly curve: readonly { share: number; subscribers: number; qini: number; gain: number }[];
}

export interface ScoredMonthEvaluation {
  readonly nextMonth: string;
  /** Scored subscribers whose outcome is known (closed accounts left out: they had already gone). */
  readonly evaluated: number;
  /**
   * Scored subscribers left out as well: no row in the next month, whose row there was set aside as
   * bad, so their outcome is not known (absent from evaluations written before it was counted).
   */
  readonly setAside?: number;
  readonly metrics: ModelMetrics;
  /** Expected calibration error of the scored probabilities against the outcome, as training reports it. */
  readonly calibrationError: number;
  readonly capture: Capture;
  readonly campaign: CampaignEvaluation;
  readonly byStage: Record<string, GroupOutcome>;
  readonly settings: EffectSettings;
}
