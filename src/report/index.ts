// Public API of src/report/: each module's exports are added here by that module's author.

export {
  type AssessedPart,
  type Assessment,
  type AssessmentReport,
  type AssessmentRules,
  assess,
  assessment,
  formatAssessment,
  type PartScore,
  partPoints,
} from './assessment.js';
export { type BuiltReport, buildReport } from './build.js';
export * from './charts.js';
export {
  type CohortKpis,
  type CohortRule,
  cohortKpis,
  type KpiDefinition,
  type KpiFigures,
  mergeCohortKpis,
  yearStartOf,
} from './cohort-kpis.js';
export {
  type DriftFigure,
  type DriftLevel,
  type DriftMeasured,
  type DriftSummary,
  type DriftThresholds,
  driftLevel,
  driftSummary,
  NO_REFERENCE_REASON,
  PSI_EMPTY_SHARE,
  psi,
} from './drift.js';
export { formatEffect, formatEvaluation } from './effect-text.js';
export * as reportFormat from './format.js';
export { driftOf, renderReport, reportCharts } from './html.js';
export { type LockRule, mergeKpis, type RetentionKpis, retentionKpis } from './kpis.js';
export { formatModelCard, type ModelCard, modelCard } from './model-card.js';
export * from './report-data.js';
export { driftSection, effectSection, segmentTable, warningTable } from './sections.js';
export { type InputFileSummary, type Summary, type SummaryInput, summarize } from './summary.js';
export {
  checkScoredMonthSummary,
  checkSummary,
  checkTrendSummary,
  type ScoredMonthSummary,
} from './summary-file.js';
export { type RenderedCharts, renderCharts, scopeIds } from './svg.js';
export { formatUpliftCard, type UpliftCard, upliftCard } from './uplift-card.js';
