import { describe, expect, it } from 'vitest';
import { type CdrEvent, inShard, parseShard, shardSink, UsageError } from '../../src/index.js';

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
