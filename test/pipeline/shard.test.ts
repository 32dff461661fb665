import { describe, expect, it } from 'vitest';
import {
  type CdrEvent,
  dictFromStrings,
  inShard,
  misplacedRows,
  parseShard,
  repeatedIds,
  shardSink,
  UsageError,
} from '../../src/index.js';

describe('shards', () => {
  it.each([
    ['0/1', { index: 0, count: 1 }],
    ['3/8', { index: 3, count: 8 }],
    [' 7/8 ', { index: 7, count: 8 }],
  ])('parses %j', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['8/8', '1/0', '-1/4', 'a/4', '2', ''])('refuses %j', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });

  it('puts every subscriber in exactly one shard, about evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const id = String(i).padStart(10, '0');
      const homes = [0, 1, 2, 3].filter((s) => inShard(id, { index: s, count: 4 }));
      expect(homes).toHaveLength(1);
      counts[homes[0]!]!++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('passes on only the shard subscribers events', () => {
    const seen: string[] = [];
    const sink = shardSink({ add: (e) => void seen.push(e.subscriberId) }, { index: 1, count: 2 });
    const ids = ['a', 'a', 'b', 'c', 'b', 'd', 'd'];
    for (const id of ids) sink.add({ subscriberId: id } as CdrEvent);
    expect(seen).toEqual(ids.filter((id) => inShard(id, { index: 1, count: 2 })));
  });
});

describe('checking a shard rows', () => {
  const ids = Array.from({ length: 300 }, (_, i) => `id${i}`);
  const shard = { index: 1, count: 3 };
  const mine = ids.filter((id) => inShard(id, shard));
  const others = ids.filter((id) => !inShard(id, shard));

  it('finds the rows of other shards, saying where each belongs', () => {
    expect(misplacedRows(dictFromStrings(mine), shard)).toEqual({ rows: 0, examples: [] });
    const r = misplacedRows(dictFromStrings([...mine, ...others.slice(0, 5)]), shard);
    expect(r.rows).toBe(5);
    expect(r.examples).toEqual(
      others
        .slice(0, 3)
        .map((id) => ({ id, shard: [0, 2].find((i) => inShard(id, { index: i, count: 3 })) })),
    );
  });

  it('finds subscribers listed twice and rows without an id', () => {
    expect(repeatedIds(dictFromStrings(['a', 'b', 'c']))).toEqual({ rows: 0, missing: 0, examples: [] });
    expect(repeatedIds(dictFromStrings(['a', 'b', 'a', 'a', null, 'b']))).toEqual({
      rows: 3,
      missing: 1,
      examples: ['a', 'b'],
    });
  });
});
