import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  dictFromStrings,
  InputError,
  inShard,
  makeFrame,
  mergeShards,
  type RetentionKpis,
  SCORED_COLUMNS,
  SHARD_FORMAT,
  SHARD_VERSION,
  type ShardMeta,
  type ShardPart,
} from '../../src/index.js';

const COUNT = 2;
const ids = Array.from({ length: 40 }, (_, i) => `0${1000 + i}`);
const of = (index: number) => ids.filter((id) => inShard(id, { index, count: COUNT }));

function meta(index: number, month = 300): ShardMeta {
  return {
    format: SHARD_FORMAT,
    version: SHARD_VERSION,
    shard: { index, count: COUNT },
    month,
    modelId: 'm1',
    segmentNames: ['a'],
    seed: 1,
    capacity: null,
    listDate: 9000,
    config: DEFAULT_CONFIG,
    kpis: {} as RetentionKpis,
    inputs: [],
  };
}

/** Shard `index` holding the subscribers `rows` (the other columns are zeros: the checks come first). */
function part(index: number, rows: string[], over: Partial<ShardPart> = {}): ShardPart {
  const cols = Object.fromEntries(SCORED_COLUMNS.map((name) => [name, new Float64Array(rows.length)]));
  return {
    source: `/runs/s${index}`,
    meta: meta(index),
    scored: makeFrame({ ...cols, subscriber_id: dictFromStrings(rows) }),
    recorded: { index, count: COUNT, subscribers: rows.length },
    ...over,
  };
}

const refusal = (parts: ShardPart[]) => {
  try {
    mergeShards(parts);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('merged');
};

describe('mergeShards verifies before it merges (exit 3)', () => {
  it('names a shard folder holding another shard rows', () => {
    const message = refusal([part(0, of(0)), part(1, [...of(1), ...of(0).slice(0, 4)])]);
    expect(message).toMatch(
      new RegExp(
        `^cannot merge: /runs/s1: holds 4 rows of other shards than 1/2 \\(e\\.g\\. ${of(0)[0]} of shard 0/2`,
      ),
    );
  });

  it('names a subscriber listed twice in one shard', () => {
    const rows = [...of(1), of(1)[0]!];
    expect(refusal([part(0, of(0)), part(1, rows)])).toContain(
      `/runs/s1: 1 subscribers appear twice (e.g. ${of(1)[0]})`,
    );
  });

  it('names rows that do not match what the manifest recorded', () => {
    const short = part(1, of(1), { recorded: { index: 1, count: COUNT, subscribers: of(1).length + 7 } });
    const moved = part(0, of(0), { recorded: { index: 1, count: COUNT, subscribers: of(0).length } });
    const message = refusal([moved, short]);
    expect(message).toContain(
      `/runs/s1: holds ${of(1).length} scored rows, retain-run.json records ${of(1).length + 7}`,
    );
    expect(message).toContain('/runs/s0: shard.json says shard 0/2, retain-run.json 1/2');
  });

  it('names scored rows that lack a column or hold one of another type', () => {
    const lacking = part(1, of(1));
    const { arpu: _, ...cols } = lacking.scored.cols;
    const message = refusal([part(0, of(0)), { ...lacking, scored: makeFrame(cols, lacking.scored.n) }]);
    expect(message).toBe('cannot merge: /runs/s1: its scored rows lack the columns arpu');
    const retyped = part(1, of(1));
    const scored = makeFrame(
      { ...retyped.scored.cols, tier: new Int32Array(retyped.scored.n) },
      retyped.scored.n,
    );
    expect(refusal([part(0, of(0)), { ...retyped, scored }])).toBe(
      'cannot merge: /runs/s1: its scored columns tier are of another type',
    );
  });

  it('reports every problem at once: other settings, a missing shard and misplaced rows', () => {
    const other = part(1, of(0), { meta: meta(1, 299) });
    const message = refusal([part(0, of(0)), other]);
    expect(message).toContain('/runs/s1: month differs from /runs/s0');
    expect(message).toContain('/runs/s1: holds');
    expect(refusal([part(0, of(0))])).toBe('cannot merge: shards 1/2 are missing');
  });
});
