/**
 * A run's CDR files read into the CDR features' aggregates: io/cdr's reader, on as many threads as
 * fit, with features/cdr's aggregator on each thread, behind the shard's filter when scoring a shard.
 */
import type { CdrAggregates, CdrAggregationSettings } from '../features/cdr/index.js';
import { aggregateCdrFiles, type CdrFilesOptions } from '../io/cdr/index.js';
import type { FileReport, ReadSettings } from '../io/types.js';
import { CDR_AGGREGATION } from './cdr-aggregation.js';
import type { Shard } from './shard.js';

export interface CdrReadOptions extends Omit<CdrFilesOptions, 'config'> {
  /** The config's parts the reader and the aggregation read (the whole config will do). */
  readonly config: ReadSettings & CdrAggregationSettings;
  /** Keep only this shard's subscribers' events. */
  readonly shard?: Shard;
}

/** Reads the CDR files in order into one aggregate; throws InputError as readCdr does. */
export function readCdrFiles(
  paths: readonly string[],
  o: CdrReadOptions,
): Promise<{ aggregates: CdrAggregates; reports: FileReport[] }> {
  const { config, shard, ...rest } = o;
  const settings: CdrAggregationSettings = {
    service_numbers: config.service_numbers,
    usage: config.usage,
    triggers: { silent_days: config.triggers.silent_days },
  };
  return aggregateCdrFiles(
    paths,
    CDR_AGGREGATION,
    { settings, shard: shard ?? null },
    { ...rest, config: { columns: config.columns, input: config.input } },
  );
}
