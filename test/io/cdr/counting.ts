/**
 * An aggregation other than the CDR features', for aggregateCdrFiles' tests: events per subscriber
 * whose id starts with the setup's prefix, in order of first appearance. Its reading threads run
 * counting-thread.ts.
 */
import type { CdrAggregating, CdrAggregation } from '../../../src/io/cdr/index.js';

export interface Counts {
  ids: string[];
  counts: number[];
}

function counting(prefix: string): CdrAggregating<Counts, Counts> {
  const held = new Map<string, number>();
  const absorb = (p: Counts) => {
    for (const [i, id] of p.ids.entries()) held.set(id, (held.get(id) ?? 0) + p.counts[i]!);
  };
  const partial = (): Counts => ({ ids: [...held.keys()], counts: [...held.values()] });
  return {
    sink: {
      add(e) {
        if (e.subscriberId.startsWith(prefix)) held.set(e.subscriberId, (held.get(e.subscriberId) ?? 0) + 1);
      },
    },
    aggregator: {
      partial,
      absorb,
      finish(tail) {
        if (tail) absorb(tail);
        return partial();
      },
    },
  };
}

export const COUNTING: CdrAggregation<string, Counts, Counts> = {
  create: (prefix) => counting(prefix),
  transfer: () => [],
  worker: { callerUrl: import.meta.url, name: 'counting-thread' },
};
