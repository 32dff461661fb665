// The CDR aggregation engine: events aggregated per subscriber-month while a file is read
// (aggregator.ts), merged across reading threads (slots.ts), finished into CDR features (finish.ts)
// and joined onto the billing rows (join.ts, usage.ts).

export {
  CDR_FEATURES,
  type CdrAggregates,
  type CdrAggregationSettings,
  type CdrAggregator,
  type CdrCounts,
  type CdrFeature,
  type CdrPartial,
  createCdrAggregator,
} from './aggregator.js';
export { popcount32 } from './day-mask.js';
export { type CdrJoin, type CdrOrphans, cdrFeature, joinCdr } from './join.js';
export { activeDayShare } from './usage.js';
