// Public API of src/report/: each module's exports are added here by that module's author.

export { formatEffect, formatEvaluation } from './effect-text.js';
export { barChart, type ReportInput, type ReportRow, renderReport } from './html.js';
export { mergeKpis, type RetentionKpis, retentionKpis } from './kpis.js';
export { formatModelCard, type ModelCard, modelCard } from './model-card.js';
export { type InputFileSummary, type Summary, type SummaryInput, summarize } from './summary.js';
