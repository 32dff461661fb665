// Public API of src/features/: each module's exports are added here by that module's author.
export * from './build.js';
export {
  CDR_FEATURES,
  type CdrAggregates,
  type CdrAggregationSettings,
  type CdrAggregator,
  type CdrCounts,
  type CdrFeature,
  type CdrPartial,
  createCdrAggregator,
} from './cdr/index.js';
export * from './coverage.js';
export { churnedNext, setAsideLookup } from './labels.js';
export * from './schema.js';
export * from './table.js';
