/**
 * Scaling out by partition: shard I of N scores the subscribers whose id hashes to I, as an ordinary
 * process or a Kubernetes Indexed Job pod (`--shard "$JOB_COMPLETION_INDEX/N"`). Everything per
 * subscriber (features, probability, segment, reasons, triggers, control draw) is the same in any shard; what
 * spans subscribers (risk deciles, capacity, KPIs) is redone by `retain merge` over the union.
 */
import type { BillingTable, CdrEvent, CdrSink } from '../contract.js';
import { TRIGGERS } from '../contract.js';
import { UsageError } from '../errors.js';
import { type DictColumn, type Frame, select, take, where } from '../frame.js';
import { hashString } from '../random.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `I/N` (0 ≤ I < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index >= count || count > 65_536) {
    throw new UsageError(`--shard ${JSON.stringify(text)} is not I/N with 0 <= I < N (e.g. 0/8)`);
  }
  return { index, count };
}

/** The shard index a subscriber id belongs to among `count` shards. */
export function shardIndex(subscriberId: string, count: number): number {
  return hashString(subscriberId) % count;
}

export function inShard(subscriberId: string, shard: Shard): boolean {
  return shardIndex(subscriberId, shard.count) === shard.index;
}

/** Rows whose subscriber belongs to another shard, with a few examples and where they belong. */
export interface MisplacedRows {
  readonly rows: number;
  readonly examples: readonly { readonly id: string; readonly shard: number }[];
}

/** The rows of `ids` that do not hash to `shard` (each distinct id is hashed once). */
export function misplacedRows(ids: DictColumn, shard: Shard, maxExamples = 3): MisplacedRows {
  const home = ids.dictionary.map((id) => shardIndex(id, shard.count));
  let rows = 0;
  const examples: { id: string; shard: number }[] = [];
  for (let i = 0; i < ids.codes.length; i++) {
    const c = ids.codes[i]!;
    if (c < 0 || home[c] === shard.index) continue;
    rows++;
    if (examples.length < maxExamples) examples.push({ id: ids.dictionary[c]!, shard: home[c]! });
  }
  return { rows, examples };
}

/** Subscriber ids on more than one row (and rows without an id), with a few examples. */
export function repeatedIds(
  ids: DictColumn,
  maxExamples = 3,
): { rows: number; missing: number; examples: string[] } {
  const seen = new Uint8Array(ids.dictionary.length);
  let rows = 0;
  let missing = 0;
  const examples: string[] = [];
  for (let i = 0; i < ids.codes.length; i++) {
    const c = ids.codes[i]!;
    if (c < 0) missing++;
    else if (seen[c] === 0) seen[c] = 1;
    else {
      rows++;
      if (seen[c] === 1 && examples.length < maxExamples) examples.push(ids.dictionary[c]!);
      seen[c] = 2;
    }
  }
  return { rows, missing, examples };
}

/** The billing rows of the shard's subscribers. */
export function shardBilling(billing: BillingTable, shard: Shard): BillingTable {
  if (shard.count === 1) return billing;
  const ids = billing.cols.subscriber_id;
  const mine = new Uint8Array(ids.dictionary.length);
  for (let c = 0; c < mine.length; c++) mine[c] = inShard(ids.dictionary[c]!, shard) ? 1 : 0;
  return take(
    billing,
    where(billing.n, (i) => ids.codes[i]! >= 0 && mine[ids.codes[i]!] === 1),
  ) as BillingTable;
}

/** A sink passing on only the shard's subscribers' events (the hash is computed once per run of an id). */
export function shardSink(sink: CdrSink, shard: Shard): CdrSink {
  if (shard.count === 1) return sink;
  let lastId = '';
  let lastMine = false;
  return {
    add(e: Readonly<CdrEvent>) {
      if (e.subscriberId !== lastId) {
        lastId = e.subscriberId;
        lastMine = inShard(lastId, shard);
      }
      if (lastMine) sink.add(e);
    },
  };
}

/** What the lifecycle, the lists and the summary read from a scored frame: all a merge needs. */
export const SCORED_COLUMNS: readonly string[] = [
  'subscriber_id',
  'month',
  'churn_probability',
  'segment',
  'reasons',
  'arpu',
  'tenure_months',
  'tier',
  'status',
  'card_type',
  'customer_type',
  'do_not_disturb',
  'recently_contacted',
  ...TRIGGERS.map((t) => `trigger_${t}`),
];

export function scoredColumns(scored: Frame): Frame {
  return select(scored, SCORED_COLUMNS);
}
