/** The synthetic operator as a library, for the CLI wrapper, benchmarks and tests. */
export { ArrowBatchWriter, billingArrowSink, cdrArrowSink } from './arrow-sinks.js';
export { billingCsvSink, cdrCsvSink, TRUTH_COLUMNS, truthCsvSink } from './csv-sinks.js';
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
export type { BillingRecord, MonthSinks, OperatorSinks, RecordSink, TruthRecord } from './sinks.js';
export { TextWriter } from './text-writer.js';
