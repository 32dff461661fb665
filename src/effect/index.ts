// Public API of src/effect/: the statistics of a campaign's measured effect and its breakdowns.
export {
  ARM,
  type ArmOutcome,
  type CampaignRows,
  type EffectEstimate,
  type EffectSettings,
  type Estimate,
  effectsBy,
  estimateEffect,
  type GroupEffect,
  type PowerCheck,
  type ReachedEffect,
} from './campaign.js';
export {
  checkEvaluation,
  type EvaluatedFolder,
  type EvaluationFile,
  evaluatedFolder,
  matchEvaluatedFolder,
} from './evaluation-file.js';
export type {
  CampaignEvaluation,
  Capture,
  GroupOutcome,
  ListQini,
  ScoredMonthEvaluation,
} from './month-evaluation.js';
export { type ListedSubscribers, type ReturnRates, returnRates } from './returns.js';
export {
  balancedGroupNeeded,
  comparisonPower,
  controlNeeded,
  criticalValue,
  fieller,
  type Interval,
  minimumDetectableEffect,
  newcombe,
  normalCdf,
  normalQuantile,
  type PowerTarget,
  type RateDifference,
  wilson,
} from './stats.js';
export {
  type JoinedWorkOrders,
  joinWorkOrders,
  type ListWorkOrders,
  type WorkOrderSummary,
  workOrderWarnings,
} from './work-orders.js';
