/** The synthetic operator as a library, for the CLI wrapper, benchmarks and tests. */
export { ArrowBatchWriter, billingArrowSink, cdrArrowSink } from './arrow-sinks.js';
export {
  type CampaignPlan,
  CampaignRun,
  type CampaignTruthRecord,
  OFFERS,
  RESPONSE_TYPES,
  type ResponseType,
  type WorkOrderRecord,
} from './campaign.js';
export { readCampaignPlan } from './campaign-plan.js';
export {
  billingCsvSink,
  CAMPAIGN_TRUTH_COLUMNS,
  campaignTruthCsvSink,
  cdrCsvSink,
  TRUTH_COLUMNS,
  truthCsvSink,
  workOrderCsvSink,
} from './csv-sinks.js';
export {
  createFileSinks,
  DEFAULT_FILE_SINK_OPTIONS,
  type FileSinkOptions,
  type OutputFormat,
  type WrittenFile,
} from './file-sinks.js';
export { churnRate, type GenerateStats, generateOperator, type MonthStats } from './operator.js';
export { DEFAULT_GENERATE_OPTIONS, type GenerateOptions, resolveGenerateOptions } from './options.js';
export { COMPETITOR_CARE, OWN_CARE, PLANS, type Plan } from './plans.js';
export type {
  BillingRecord,
  CampaignSinks,
  MonthSinks,
  OperatorSinks,
  RecordSink,
  TruthRecord,
} from './sinks.js';
export { TextWriter } from './text-writer.js';
