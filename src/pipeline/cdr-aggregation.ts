/**
 * What each CDR reading thread aggregates into: features/cdr's aggregator, behind the shard's filter
 * when scoring a shard. Apart from cdr.ts so a reading worker thread (cdr-thread.ts) loads only this
 * and the reader's part, not the run's orchestration and the config schema behind it.
 */
import {
  type CdrAggregates,
  type CdrAggregationSettings,
  type CdrPartial,
  createCdrAggregator,
} from '../features/cdr/index.js';
import type { CdrAggregation } from '../io/cdr/options.js';
import { type Shard, shardSink } from './shard.js';

/** What each reading thread makes its aggregator from: posted to every worker, so only what it reads. */
export interface CdrSetup {
  readonly settings: CdrAggregationSettings;
  readonly shard: Shard | null;
}

/** The CDR aggregator of a run or of one part, keeping only `shard`'s subscribers when given. */
export const CDR_AGGREGATION: CdrAggregation<CdrSetup, CdrPartial, CdrAggregates> = {
  create({ settings, shard }: CdrSetup) {
    const aggregator = createCdrAggregator(settings);
    return { sink: shard ? shardSink(aggregator, shard) : aggregator, aggregator };
  },
  transfer: (partial) =>
    [partial.ints.buffer, partial.floats.buffer, partial.contacts.buffer] as ArrayBuffer[],
  worker: { callerUrl: import.meta.url, name: 'cdr-thread' },
};
