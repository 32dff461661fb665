import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type CdrEvent,
  DEFAULT_CONFIG,
  DIRECTIONS,
  EVENT_TYPES,
  formatDate,
  type Reject,
  readCdrFiles,
} from '../../../src/index.js';
import { aggregateCdrFiles, readingThreads } from '../../../src/io/cdr/index.js';
import { planParts } from '../../../src/io/parts.js';
import { randomEvents } from '../../features/build.js';
import { tempDir } from '../helpers.js';
import { COUNTING } from './counting.js';

const HEADER = 'subscriber_id,start_time,event_type,direction,duration_s,bytes,other_party,charge';

function line(e: CdrEvent): string {
  const day = Math.floor(e.startTime / 86_400);
  const s = e.startTime - day * 86_400;
  const hms = [s / 3600, (s / 60) % 60, s % 60].map((v) => String(Math.floor(v)).padStart(2, '0')).join(':');
  const dir = e.eventType === 2 ? '' : DIRECTIONS[e.direction]!;
  const charge = Number.isNaN(e.charge) ? '' : String(e.charge);
  return [
    e.subscriberId,
    `${formatDate(day)}T${hms}`,
    EVENT_TYPES[e.eventType],
    dir,
    e.eventType === 0 ? e.durationS : '',
    e.eventType === 2 ? e.bytes : '',
    e.otherParty,
    charge,
  ].join(',');
}

/** A CDR file of random events in time order, with bad rows of every kind and a blank line among them. */
function cdrText(newline = '\n'): string {
  const lines = randomEvents(400, 'time').map(line);
  const bad = [
    '1380000001,2024-02-30T10:00:00,voice,out,10,,139,',
    '1380000001,2024-02-03T10:00:00,voice,out,10,,,',
    '1380000001,2024-02-03T10:00:00,fax,out,10,,139,',
    '1380000001,2024-02-03T10:00:00,voice,out',
    '',
    ',2024-02-03T10:00:00,data,,,100,,',
  ];
  for (let k = 0; k < 60; k++) lines.splice(((k + 1) * lines.length) / 61, 0, bad[k % bad.length]!);
  return `${HEADER}${newline}${lines.join(newline)}${newline}`;
}

interface Read {
  frame: unknown;
  counts: unknown;
  reports: unknown;
  rejects: Reject[];
}

async function read(
  path: string | string[],
  threads: number,
  minPartBytes = 4096,
  shard?: { index: number; count: number },
  keptRejects?: number,
): Promise<Read> {
  const rejects: Reject[] = [];
  const r = await readCdrFiles(Array.isArray(path) ? path : [path], {
    config: { ...DEFAULT_CONFIG, input: { ...DEFAULT_CONFIG.input, max_bad_row_share: 0.5 } },
    rejects: { write: (x) => rejects.push(x) },
    threads,
    minPartBytes,
    ...(shard ? { shard } : {}),
    ...(keptRejects === undefined ? {} : { keptRejects }),
  });
  return { frame: r.aggregates.frame.cols, counts: r.aggregates.counts, reports: r.reports, rejects };
}

describe('readCdrFiles', () => {
  const dir = tempDir();

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('gives on 3 threads exactly what one pass gives (%s line ends)', async (_name, newline) => {
    const path = join(dir, `cdr-${_name}.csv`);
    writeFileSync(path, cdrText(newline));
    expect((await planParts(path, 3, 4096))?.length).toBe(3);
    const one = await read(path, 1);
    const three = await read(path, 3);
    expect(one.rejects.length).toBe(50);
    expect(one.rejects.map((r) => r.reason)).toContain('malformed_row');
    expect(three).toEqual(one);
  });

  it('keeps a shard exactly as one pass does', async () => {
    const path = join(dir, 'cdr-shard.csv');
    writeFileSync(path, cdrText());
    const shard = { index: 1, count: 3 };
    expect(await read(path, 2, 4096, shard)).toEqual(await read(path, 1, 4096, shard));
  });

  it('reads quoted files in parts and gzipped ones whole, with the same result', async () => {
    const text = cdrText();
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, text.replace(/,(1390+\d+),/g, ',"$1",'));
    // One quote, near the end: the part on this thread is fine, a worker's part is not.
    const lastQuoted = join(dir, 'last-quoted.csv');
    const at = text.lastIndexOf(',1390');
    writeFileSync(lastQuoted, `${text.slice(0, at)},"${text.slice(at + 1).replace(',', '",')}`);
    // One quote, near the start: the part on this thread stops the workers.
    const firstQuoted = join(dir, 'first-quoted.csv');
    const first = text.indexOf(',1390');
    writeFileSync(firstQuoted, `${text.slice(0, first)},"${text.slice(first + 1).replace(',', '",')}`);
    const gz = join(dir, 'cdr.csv.gz');
    writeFileSync(gz, gzipSync(text));
    expect(await planParts(gz, 2, 4096)).toBeNull();
    const plain = join(dir, 'plain.csv');
    writeFileSync(plain, text);
    const expected = await read(plain, 1);
    for (const path of [quoted, lastQuoted, firstQuoted, gz]) {
      const r = await read(path, 2);
      expect(r.frame).toEqual(expected.frame);
      expect(r.rejects.map((x) => x.line)).toEqual(expected.rejects.map((x) => x.line));
    }
  });

  it('reads a file in one pass when a quoted field spans a cut, with the same result', async () => {
    const lines = cdrText().split('\n');
    const at = Math.floor(lines.length * 0.45);
    // A contact of 200,000 characters over 100,000 lines, from before the middle of the file to after it.
    const long = `1380000001,2024-02-03T10:00:00,sms,out,,,"${'a\n'.repeat(100_000)}",0.5`;
    const path = join(dir, 'long-quoted.csv');
    writeFileSync(path, [...lines.slice(0, at), long, ...lines.slice(at)].join('\n'));
    const parts = (await planParts(path, 2, 4096))!;
    const text = readFileSync(path, 'latin1');
    const start = text.indexOf(long);
    expect(parts[1]!.start).toBeGreaterThan(start);
    expect(parts[1]!.start).toBeLessThan(start + long.length);
    expect(await read(path, 2)).toEqual(await read(path, 1));
  });

  it('reads several files of every kind side by side, exactly as one pass over them in order', async () => {
    const text = cdrText();
    const paths = [join(dir, 'm1.csv'), join(dir, 'm2.csv.gz'), join(dir, 'm3.csv'), join(dir, 'm4.csv.gz')];
    writeFileSync(paths[0]!, text);
    writeFileSync(paths[1]!, gzipSync(cdrText('\r\n')));
    writeFileSync(paths[2]!, text.replace(/,(1390+\d+),/g, ',"$1",')); // quoted: read whole, in its turn
    writeFileSync(paths[3]!, gzipSync(text));
    const one = await read(paths, 1);
    expect(one.rejects.length).toBe(200);
    for (const threads of [2, 3]) expect(await read(paths, threads)).toEqual(one);
    // A part with more bad rows than it keeps sends its file to a one-pass read.
    expect(await read(paths, 3, 4096, undefined, 10)).toEqual(one);
  });

  it('stops at the first file with too many bad rows, naming it as one pass does', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, cdrText().replace(/,(voice|sms|data),/g, ',fax,'));
    const good = join(dir, 'good.csv');
    writeFileSync(good, cdrText());
    const one = read([good, bad, good], 1).catch((e: Error) => e.message);
    const three = read([good, bad, good], 3).catch((e: Error) => e.message);
    expect(await one).toMatch(/bad\.csv: \d+ of \d+ rows are bad/);
    expect(await three).toBe(await one);
  });

  it('names the missing column as one pass does', async () => {
    const path = join(dir, 'no-type.csv');
    writeFileSync(path, cdrText().replace('event_type', 'kind'));
    await expect(read(path, 2)).rejects.toThrow(/event_type/);
  });
});

describe('planParts', () => {
  it('cuts just after line breaks, covering the file once', async () => {
    const dir = tempDir();
    const path = join(dir, 'c.csv');
    writeFileSync(path, cdrText());
    const bytes = readFileSync(path);
    const parts = (await planParts(path, 4, 1000))!;
    expect(parts).toHaveLength(4);
    expect(parts[0]!.start).toBe(HEADER.length + 1);
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]!;
      expect(p.headerEnd).toBe(HEADER.length + 1);
      expect(bytes[p.start - 1]).toBe(0x0a);
      if (k > 0) expect(p.start).toBe(parts[k - 1]!.end);
    }
    expect(parts[3]!.end).toBe(bytes.length);
    expect(await planParts(path, 4, bytes.length)).toBeNull(); // too small to split
    expect(await planParts(path, 1, 1000)).toBeNull();
  });
});

describe('readingThreads', () => {
  const GB = 2 ** 30;
  it('takes the threads asked for as they are', () => {
    expect(readingThreads(3, 10_000_000, 64, 8 * GB)).toBe(3);
  });

  it('takes the cores, at most 8, as far as half the memory holds a full set of accumulators each', () => {
    expect(readingThreads(0, 200_000, 2, 23 * GB)).toBe(2);
    expect(readingThreads(0, 200_000, 64, 256 * GB)).toBe(8);
    // Ten million subscribers at 1 KB each: 32 GB of a 64 GB machine holds three.
    expect(readingThreads(0, 10_000_000, 64, 64 * GB)).toBe(3);
    expect(readingThreads(0, 10_000_000, 64, 8 * GB)).toBe(1);
    expect(readingThreads(0, 0, 4, 8 * GB)).toBe(4);
  });
});

describe('aggregateCdrFiles', () => {
  const dir = tempDir();

  it.each([
    ['every subscriber', ''],
    ['ids starting with 13800000', '13800000'],
  ])("reads into the caller's aggregation, on 3 threads as in one pass: %s", async (_name, prefix) => {
    const path = join(dir, 'cdr-counting.csv');
    writeFileSync(path, cdrText());
    const config = { ...DEFAULT_CONFIG, input: { ...DEFAULT_CONFIG.input, max_bad_row_share: 0.5 } };
    const rejected: Reject[] = [];
    const o = { config, rejects: { write: (r: Reject) => rejected.push(r) }, minPartBytes: 4096 };
    const one = await aggregateCdrFiles([path], COUNTING, prefix, { ...o, threads: 1 });
    const three = await aggregateCdrFiles([path], COUNTING, prefix, { ...o, threads: 3 });
    // The file's rows counted here, but for blank lines (skipped) and bad rows (rejected once a read).
    const bad = new Set(rejected.map((r) => r.line));
    const expected = new Map<string, number>();
    for (const [i, row] of readFileSync(path, 'utf8').split('\n').slice(1, -1).entries()) {
      const id = row.split(',')[0]!;
      if (row !== '' && !bad.has(i + 2) && id.startsWith(prefix))
        expected.set(id, (expected.get(id) ?? 0) + 1);
    }
    expect(rejected.length).toBe(2 * 50);
    expect(expected.size).toBeGreaterThan(prefix === '' ? 100 : 0);
    expect(one.aggregates).toEqual({ ids: [...expected.keys()], counts: [...expected.values()] });
    expect(three).toEqual(one);
  });
});
