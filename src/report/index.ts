// Public API of src/report/: each module's exports are added here by that module's author.
export { mergeKpis, type RetentionKpis, retentionKpis } from './kpis.js';
export { type InputFileSummary, type Summary, type SummaryInput, summarize } from './summary.js';
