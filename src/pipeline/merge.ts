/**
 * `retain merge`: shard outputs back into the lists one process would have written. Each shard kept
 * its scored rows and its run's settings; the union is staged and listed again, so risk deciles,
 * the warning band, capacity and KPIs are computed over every subscriber, not per shard.
 *
 * Nothing is merged unless it checks out: every shard of one run's settings (month, model, seed,
 * capacity, list date, segments, config), each index once and none missing, each folder holding the
 * rows its manifest records, every row's subscriber hashing to the folder's shard and none twice in
 * it; so every subscriber is in exactly one shard. Every problem is reported at once (exit 3).
 */
import type { Config } from '../config.js';
import { InputError } from '../errors.js';
import { concat, dict, type Frame, isDict } from '../frame.js';
import type { ConfigSource } from '../io/config-file.js';
import {
  addDriftCounts,
  type DriftCounts,
  type DriftReference,
  driftCountsProblems,
  driftReferenceFromJSON,
} from '../model/drift.js';
import {
  type CohortKpis,
  type InputFileSummary,
  mergeCohortKpis,
  mergeKpis,
  type RetentionKpis,
} from '../report/index.js';
import type { CoverageFigures } from './coverage.js';
import { type Listing, stageAndList } from './score.js';
import { listingSettingsOf } from './settings.js';
import { misplacedRows, repeatedIds, SCORED_COLUMNS, type Shard } from './shard.js';

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
  /** The manuals' KPI cohorts of the shard's subscribers; absent in shards of older versions. */
  readonly kpiCohorts?: CohortKpis;
  readonly inputs: readonly InputFileSummary[];
  /** The shard's history and CDR figures (pipeline/coverage.ts); absent in shards of older versions. */
  readonly coverage?: CoverageFigures;
  /**
   * The model's drift reference and the shard's rows counted into its bins; null when the model has no
   * reference; absent in shards written before drift was measured.
   */
  readonly drift?: ShardDrift | null;
  /** The config file the shard read (absent in shards of older versions). */
  readonly configSource?: ConfigSource;
}

export interface ShardDrift {
  readonly reference: DriftReference;
  readonly counts: DriftCounts;
}

export interface ShardPart {
  /** Names the shard's folder in messages. */
  readonly source: string;
  readonly meta: ShardMeta;
  readonly scored: Frame;
  /** What the folder's manifest records of the shard when it was written. */
  readonly recorded: { readonly index: number; readonly count: number; readonly subscribers: number };
}

export interface Merged extends Listing {
  readonly month: number;
  readonly meta: ShardMeta;
  readonly kpis: RetentionKpis;
  /** Null when a shard has none (an older version) or the shards used different definitions. */
  readonly kpiCohorts: CohortKpis | null;
  /** Every shard's drift counts added up; null without a reference, undefined when a shard has none. */
  readonly drift: ShardDrift | null | undefined;
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
    for (const problem of driftProblems(p)) problems.push(problem);
    const columns = columnProblems(p, first);
    problems.push(...(columns.length > 0 ? columns : rowProblems(p)));
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
  const listing = stageAndList(scored, listingSettingsOf(m.config), {
    seed: m.seed,
    capacity: m.capacity,
    listDate: m.listDate,
    segmentNames: m.segmentNames,
  });
  const cohorts = ordered.map((p) => p.meta.kpiCohorts);
  return {
    month: m.month,
    meta: m,
    kpis: mergeKpis(ordered.map((p) => p.meta.kpis)),
    kpiCohorts: cohorts.every((c) => c !== undefined) ? mergeCohortKpis(cohorts) : null,
    drift: mergeShardDrift(ordered),
    ...listing,
  };
}

/**
 * The shards' drift counts added bin by bin (all shards score with one model, so one reference): the
 * counts one process would have made, hence its PSIs exactly.
 */
export function mergeShardDrift(parts: readonly ShardPart[]): ShardDrift | null | undefined {
  const drifts = parts.map((p) => p.meta.drift);
  if (drifts.some((d) => d === undefined)) return undefined;
  const measured = drifts.filter((d): d is ShardDrift => d !== null && d !== undefined);
  if (measured.length < drifts.length) return null;
  return { reference: measured[0]!.reference, counts: addDriftCounts(measured.map((d) => d.counts)) };
}

/** A shard's drift, read back from its shard.json, checked before anything adds it up. */
function driftProblems(p: ShardPart): string[] {
  const d = p.meta.drift;
  if (d === undefined || d === null) return [];
  try {
    const ref = driftReferenceFromJSON(
      d.reference,
      (d.reference?.features ?? []).map((f) => f.name),
    );
    return ref === null
      ? [`${p.source}: its drift reference is missing`]
      : driftCountsProblems(ref, d.counts).map((m) => `${p.source}: ${m}`);
  } catch (err) {
    return [`${p.source}: its drift reference is damaged (${(err as Error).message})`];
  }
}

const kindOf = (c: Frame['cols'][string]) => (isDict(c) ? 'text' : c.constructor.name);

/** The scored columns a merge reads, each of one kind in every shard. */
function columnProblems(p: ShardPart, first: ShardPart): string[] {
  const missing = SCORED_COLUMNS.filter((name) => !(name in p.scored.cols));
  if (missing.length > 0) return [`${p.source}: its scored rows lack the columns ${missing.join(', ')}`];
  const differ = SCORED_COLUMNS.filter(
    (name) => name in first.scored.cols && kindOf(p.scored.cols[name]!) !== kindOf(first.scored.cols[name]!),
  );
  if (!isDict(p.scored.cols.subscriber_id!)) differ.unshift('subscriber_id');
  return differ.length > 0
    ? [`${p.source}: its scored columns ${differ.join(', ')} are of another type`]
    : [];
}

/** What is wrong with one shard's rows: against its manifest, its shard, and itself. */
function rowProblems(p: ShardPart): string[] {
  const out: string[] = [];
  const { index, count } = p.meta.shard;
  const r = p.recorded;
  if (r.index !== index || r.count !== count)
    out.push(`${p.source}: shard.json says shard ${index}/${count}, retain-run.json ${r.index}/${r.count}`);
  if (p.scored.n !== r.subscribers)
    out.push(`${p.source}: holds ${p.scored.n} scored rows, retain-run.json records ${r.subscribers}`);
  const ids = dict(p.scored, 'subscriber_id');
  const wrong = misplacedRows(ids, p.meta.shard);
  if (wrong.rows > 0) {
    const e = wrong.examples.map((x) => `${x.id} of shard ${x.shard}/${count}`).join(', ');
    out.push(`${p.source}: holds ${wrong.rows} rows of other shards than ${index}/${count} (e.g. ${e})`);
  }
  const again = repeatedIds(ids);
  if (again.rows > 0)
    out.push(`${p.source}: ${again.rows} subscribers appear twice (e.g. ${again.examples.join(', ')})`);
  if (again.missing > 0) out.push(`${p.source}: ${again.missing} rows without a subscriber id`);
  return out;
}
