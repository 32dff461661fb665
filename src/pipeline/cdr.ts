/**
 * A run's CDR files read into the CDR features' aggregates: io/cdr's reader, on as many threads as
 * fit, with features/cdr's aggregator on each thread, behind the shard's filter when scoring a shard.
 */
import type { Config } from '../config.js';
import { type CdrAggregates, type CdrPartial, createCdrAggregator } from '../features/cdr/index.js';
import { aggregateCdrFiles, type CdrAggregation, type CdrFilesOptions } from '../io/cdr/index.js';
import type { FileReport } from '../io/types.js';
import { type Shard, shardSink } from './shard.js';

export interface CdrReadOptions extends CdrFilesOptions {
  /** Keep only this shard's subscribers' events. */
  readonly shard?: Shard;
}

/** The CDR aggregator of a run or of one part, keeping only `shard`'s subscribers when given. */
export const CDR_AGGREGATION: CdrAggregation<Shard | null, CdrPartial, CdrAggregates> = {
  create(config: Config, shard: Shard | null) {
    const aggregator = createCdrAggregator(config);
    return { sink: shard ? shardSink(aggregator, shard) : aggregator, aggregator };
  },
  transfer: (partial) =>
    [partial.ints.buffer, partial.floats.buffer, partial.contacts.buffer] as ArrayBuffer[],
  worker: { callerUrl: import.meta.url, name: 'cdr-thread' },
};

/** Reads the CDR files in order into one aggregate; throws InputError as readCdr does. */
export function readCdrFiles(
  paths: readonly string[],
  o: CdrReadOptions,
): Promise<{ aggregates: CdrAggregates; reports: FileReport[] }> {
  return aggregateCdrFiles(paths, CDR_AGGREGATION, o.shard ?? null, o);
}
