/**
 * `retain merge`: shard outputs back into the lists one process would have written. Each shard kept
 * its scored rows and its run's settings; the union is staged and listed again, so risk deciles,
 * the warning band, capacity and KPIs are computed over every subscriber, not per shard.
 */
import type { Config } from '../config.js';
import { InputError } from '../errors.js';
import { concat, type Frame } from '../frame.js';
import { type InputFileSummary, mergeKpis, type RetentionKpis } from '../report/index.js';
import type { CoverageFigures } from './coverage.js';
import { type Listing, stageAndList } from './score.js';
import type { Shard } from './shard.js';

export const SHARD_FORMAT = 'retain-shard';
/** 2: the scored rows carry `recently_contacted` (the contact policy). */
export const SHARD_VERSION = 2;

/** `shard.json`: what a merge needs to redo the cross-subscriber steps exactly as one process would. */
export interface ShardMeta {
  readonly format: typeof SHARD_FORMAT;
  readonly version: typeof SHARD_VERSION;
  readonly shard: Shard;
  /** Scored month index. */
  readonly month: number;
  readonly modelId: string;
  readonly segmentNames: readonly string[];
  readonly seed: number;
  readonly capacity: number | null;
  readonly listDate: number;
  readonly config: Config;
  readonly kpis: RetentionKpis;
  readonly inputs: readonly InputFileSummary[];
  /** The shard's history and CDR figures (pipeline/coverage.ts); absent in shards of older versions. */
  readonly coverage?: CoverageFigures;
}

export interface ShardPart {
  /** Names the shard's folder in messages. */
  readonly source: string;
  readonly meta: ShardMeta;
  readonly scored: Frame;
}

export interface Merged extends Listing {
  readonly month: number;
  readonly meta: ShardMeta;
  readonly kpis: RetentionKpis;
}

const SAME: readonly (keyof ShardMeta)[] = [
  'month',
  'modelId',
  'seed',
  'capacity',
  'listDate',
  'segmentNames',
  'config',
];

export function mergeShards(parts: readonly ShardPart[]): Merged {
  if (parts.length === 0) throw new InputError('no shard folders to merge');
  const first = parts[0]!;
  const problems: string[] = [];
  for (const p of parts) {
    if (p.meta.format !== SHARD_FORMAT || p.meta.version !== SHARD_VERSION) {
      problems.push(`${p.source}: not a shard of this retain (format ${p.meta.format} ${p.meta.version})`);
      continue;
    }
    for (const key of SAME) {
      if (JSON.stringify(p.meta[key]) !== JSON.stringify(first.meta[key]))
        problems.push(`${p.source}: ${key} differs from ${first.source}`);
    }
    if (p.meta.shard.count !== first.meta.shard.count)
      problems.push(
        `${p.source}: shard of ${p.meta.shard.count}, ${first.source} of ${first.meta.shard.count}`,
      );
  }
  const count = first.meta.shard.count;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const other = seen.get(p.meta.shard.index);
    if (other) problems.push(`${p.source} and ${other} are both shard ${p.meta.shard.index}/${count}`);
    seen.set(p.meta.shard.index, p.source);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0)
    problems.push(`shards ${missing.map((i) => `${i}/${count}`).join(', ')} are missing`);
  if (problems.length > 0) throw new InputError(`cannot merge: ${problems.join('; ')}`);

  const ordered = [...parts].sort((a, b) => a.meta.shard.index - b.meta.shard.index);
  const scored = concat(ordered.map((p) => p.scored));
  const m = first.meta;
  const listing = stageAndList(scored, m.config, {
    seed: m.seed,
    capacity: m.capacity,
    listDate: m.listDate,
    segmentNames: m.segmentNames,
  });
  return { month: m.month, meta: m, kpis: mergeKpis(ordered.map((p) => p.meta.kpis)), ...listing };
}
