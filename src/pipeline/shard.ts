/**
 * Scaling out by partition: shard I of N scores the subscribers whose id hashes to I, as an ordinary
 * process or a Kubernetes Indexed Job pod (`--shard "$JOB_COMPLETION_INDEX/N"`). Everything per
 * subscriber (features, probability, segment, reasons, triggers, control draw) is the same in any shard; what
 * spans subscribers (risk deciles, capacity, KPIs) is redone by `retain merge` over the union.
 */
import type { BillingTable, CdrEvent, CdrSink } from '../contract.js';
import { TRIGGERS } from '../contract.js';
import { UsageError } from '../errors.js';
import { type Frame, select, take, where } from '../frame.js';
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

export function inShard(subscriberId: string, shard: Shard): boolean {
  return hashString(subscriberId) % shard.count === shard.index;
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
  ...TRIGGERS.map((t) => `trigger_${t}`),
];

export function scoredColumns(scored: Frame): Frame {
  return select(scored, SCORED_COLUMNS);
}
