import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Int64, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type CdrEvent, DIRECTION, EVENT, parseLocalDateTime, readCdr } from '../../../src/index.js';
import { contractFields, tempDir, writeAllFormats } from '../helpers.js';

// biome-ignore format: a case table reads best aligned
const ROWS = [
  ['0138001', '2024-03-01T08:15:00', 'voice', 'out', '125', '',        '10086',       '0.50'],
  ['0138001', '2024-03-01T09:00:00', 'sms',   'in',  '',    '',        '13900000001', ''],
  ['0138002', '2024-03-02T23:59:59', 'data',  '',    '',    '5000000', '',            '1.25'],
  ['0138002', '2024-03-03T00:00:00', 'voice', 'in',  '0',   '',        '10010',       ''],
];
const HEADER = [
  'subscriber_id',
  'start_time',
  'event_type',
  'direction',
  'duration_s',
  'bytes',
  'other_party',
  'charge',
];

function collect(): { events: CdrEvent[]; sink: { add(e: Readonly<CdrEvent>): void } } {
  const events: CdrEvent[] = [];
  return { events, sink: { add: (e) => events.push(contractFields(e)) } };
}

function cdrArrow(): Table {
  const col = (k: number) => ROWS.map((r) => (r[k] === '' ? null : r[k]!));
  return new Table({
    subscriber_id: vectorFromArray(col(0), new Utf8()),
    start_time: vectorFromArray(
      col(1).map((s) => new Date(parseLocalDateTime(s!) * 1000)),
      new TimestampMillisecond(),
    ),
    event_type: vectorFromArray(col(2)),
    direction: vectorFromArray(col(3)),
    duration_s: vectorFromArray(
      col(4).map((v) => (v === null ? null : BigInt(v))),
      new Int64(),
    ),
    bytes: vectorFromArray(
      col(5).map((v) => (v === null ? null : BigInt(v))),
      new Int64(),
    ),
    other_party: vectorFromArray(col(6), new Utf8()),
    charge: vectorFromArray(
      col(7).map((v) => (v === null ? null : Number(v))),
      new Float64(),
    ),
  });
}

describe('readCdr', () => {
  const dir = tempDir();
  const csv = `${HEADER.join(',')}\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;
  const paths = writeAllFormats(dir, 'cdr', csv, cdrArrow());

  it('hands each event to the sink with parsed values', async () => {
    const { events, sink } = collect();
    const report = await readCdr(paths.csv!, sink);
    expect(report).toMatchObject({ rows: 4, accepted: 4, rejected: 0, subscribers: 2 });
    expect(events[0]).toEqual({
      subscriberId: '0138001',
      startTime: parseLocalDateTime('2024-03-01T08:15:00'),
      eventType: EVENT.voice,
      direction: DIRECTION.out,
      durationS: 125,
      bytes: 0,
      otherParty: '10086',
      charge: 0.5,
    });
    expect(events[2]).toMatchObject({
      eventType: EVENT.data,
      direction: DIRECTION.none,
      bytes: 5_000_000,
      otherParty: '',
    });
    expect(events[1]!.charge).toBeNaN();
  });

  it.each(['gzip', 'arrowFile', 'arrowStream'])('%s gives the same event stream as CSV', async (format) => {
    const a = collect();
    const b = collect();
    await readCdr(paths.csv!, a.sink);
    await readCdr(paths[format]!, b.sink);
    expect(b.events).toEqual(a.events);
  });

  it('rejects events missing what their type needs, and bad values', async () => {
    const p = join(dir, 'bad.csv');
    writeFileSync(
      p,
      [
        HEADER.join(','),
        '1,2024-03-01T08:00:00,voice,out,,,10010,', // no duration
        '1,2024-03-01T08:00:00,sms,,,,123,', // no direction
        '1,2024-03-01T08:00:00,data,,,,,', // no bytes
        '1,2024-03-01T25:00:00,voice,out,1,,2,', // bad hour
        '1,2024-03-01T08:00:00,fax,out,1,,2,', // unknown type
        '1,2024-03-01T08:00:00,voice,out,1.5,,2,', // not integer
        '1,2024-03-01T08:00:00,voice,out,1,,,', // no other party
        '1,2024-03-01T08:00:00,data,,,9007199254740993,,', // beyond 2^53
        '2,2024-03-01T08:00:00,data,,,10,,',
      ].join('\n'),
    );
    const { events, sink } = collect();
    const r = await readCdr(p, sink, { badRows: 'report' });
    expect(r.sample.map((x) => [x.line, x.column, x.reason])).toEqual([
      [2, 'duration_s', 'missing_value'],
      [3, 'direction', 'missing_value'],
      [4, 'bytes', 'missing_value'],
      [5, 'start_time', 'bad_datetime'],
      [6, 'event_type', 'unknown_value'],
      [7, 'duration_s', 'not_integer'],
      [8, 'other_party', 'missing_value'],
      [9, 'bytes', 'bad_number'],
    ]);
    expect(r.rows).toBe(9);
    expect(r.accepted + r.rejected).toBe(r.rows);
    expect(events.map((e) => e.subscriberId)).toEqual(['2']);
  });

  it('treats an unclosed quote as one bad line and reads on', async () => {
    const p = join(dir, 'quote.csv');
    writeFileSync(
      p,
      `${HEADER.join(',')}\n1,2024-03-01T08:00:00,data,,,10,",\n2,2024-03-01T08:00:00,data,,,10,,\n`,
    );
    const { events, sink } = collect();
    const r = await readCdr(p, sink, { badRows: 'report' });
    expect(r.sample[0]).toMatchObject({ line: 2, reason: 'malformed_row' });
    expect(events.map((e) => e.subscriberId)).toEqual(['2']);
    expect(r.rows).toBe(2);
  });
});

describe('readCdr progress', () => {
  it('reports bytes read up to the file size', async () => {
    const path = join(tempDir(), 'cdr.csv');
    const header = 'subscriber_id,start_time,event_type,direction,duration_s,bytes,other_party,charge\n';
    const row = '0001,2025-01-02T10:00:00,voice,out,60,,13800000000,0.1\n';
    writeFileSync(path, header + row.repeat(60_000));
    const seen: [number, number][] = [];
    let rows = 0;
    await readCdr(path, { add: () => void rows++ }, { onProgress: (read, size) => seen.push([read, size]) });
    expect(rows).toBe(60_000);
    const size = statSync(path).size;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual([size, size]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
  });
});

describe('readCdr subscriber count', () => {
  it('counts distinct subscribers unless asked not to, reading the same events either way', async () => {
    const path = join(tempDir(), 'cdr.csv');
    const header = 'subscriber_id,start_time,event_type,direction,duration_s,bytes,other_party,charge\n';
    const rows = ['007', '7', '007', '0007', '7'].map(
      (id) => `${id},2025-01-02T10:00:00,sms,out,,,13800000000,\n`,
    );
    writeFileSync(path, header + rows.join(''));
    const ids = (seen: string[]) => ({ add: (e: Readonly<CdrEvent>) => void seen.push(e.subscriberId) });
    const a: string[] = [];
    const b: string[] = [];
    const counted = await readCdr(path, ids(a));
    const uncounted = await readCdr(path, ids(b), { countSubscribers: false });
    expect(counted.subscribers).toBe(3);
    expect(uncounted.subscribers).toBeNull();
    expect(b).toEqual(a);
    expect(uncounted.accepted).toBe(5);
  });
});
