import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, DISTINCT_CAP, placeOfRow, type Random, readCellTable } from '../../src/index.js';
import { planParts } from '../../src/io/parts.js';
import { tempDir } from './helpers.js';

type Kind = 'num' | 'cat' | 'mixed' | 'wide' | 'id';
const KINDS: readonly Kind[] = ['num', 'cat', 'mixed', 'wide', 'id'];

/** A cell of a column of `kind`; `wideFrom` moves where a wide column's numbers start. */
function cell(kind: Kind, r: Random, row: number, wideFrom: number, eol: string): string {
  const u = r.next();
  switch (kind) {
    case 'num':
      return u < 0.05 ? '' : u < 0.1 ? ' 7 ' : u < 0.15 ? '-1.5e3' : String(Math.round(r.next() * 1e4) / 100);
    case 'cat':
      return ['a', 'b', ' c ', 'Yes', '"x,y"', '', `"two${eol}lines"`][Math.floor(u * 7)]!;
    case 'mixed':
      return u < 0.1 ? 'n/a' : u < 0.2 ? '' : u < 0.25 ? ' ' : String(r.int(50));
    case 'wide':
      // Many distinct texts; numbers only from `wideFrom` on, so codes stop at different places.
      return row >= wideFrom && u < 0.05 ? String(r.int(9)) : `t${r.int(DISTINCT_CAP + 400)}`;
    case 'id':
      return `S-${row}`;
  }
}

function writeTable(
  path: string,
  kinds: readonly Kind[],
  rows: number,
  seed: number,
  crlf: boolean,
  wideFrom: number,
) {
  const r = createRandom(seed);
  const eol = crlf ? '\r\n' : '\n';
  const lines = [kinds.map((k, c) => `${k}${c}`).join(',')];
  for (let i = 0; i < rows; i++) {
    lines.push(kinds.map((k) => cell(k, r, i, wideFrom, eol)).join(','));
    // Now and then a blank line, which is no record but still a line.
    if (r.next() < 0.01) lines.push('');
  }
  writeFileSync(path, lines.join(eol) + eol);
}

describe('readCellTable in ranges', () => {
  it('joins ranges read in turn into the table one pass reads, cell for cell and place for place', async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3000 }),
        async (kinds, rows, parts, seed, crlf, wideFrom) => {
          const path = join(dir, `t${n++}.csv`);
          writeTable(path, kinds, rows, seed, crlf, wideFrom);
          const text = kinds.flatMap((k, c) => (k === 'id' ? [`${k}${c}`] : []));
          const one = await readCellTable(path, { text });
          const joined = await readCellTable(path, { text, parts, threads: 1, minPartBytes: 1 });
          expect(joined).toEqual(one);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stops a column’s codes where one pass does when its distinct cells pass the cap in a later range', async () => {
    const dir = tempDir();
    // Range 1: texts only, more of them than the cap; range 2 starts with a number: one pass stops
    // the codes there. Then the reverse: a number first, and the distinct texts split over the ranges.
    const cases = [
      [...Array.from({ length: DISTINCT_CAP + 50 }, (_, i) => `a${i}`), '5', 'a1', 'a2'],
      ['5', ...Array.from({ length: DISTINCT_CAP + 50 }, (_, i) => `b${i}`)],
      ['5', ...Array.from({ length: DISTINCT_CAP - 2 }, (_, i) => `c${i}`), 'c1', 'c2', 'c3'],
    ];
    for (const [k, cells] of cases.entries()) {
      const path = join(dir, `cap${k}.csv`);
      writeFileSync(path, `v\n${cells.join('\n')}\n`);
      const one = await readCellTable(path);
      for (const parts of [2, 3, 7]) {
        const joined = await readCellTable(path, { parts, threads: 1, minPartBytes: 1 });
        expect(joined).toEqual(one);
      }
      expect(one.columns[0]!.codes === null).toBe(k < 2);
    }
  });

  it('reads the ranges on worker threads into the same table, with the rows’ lines', async () => {
    const path = join(tempDir(), 'wide.csv');
    writeTable(path, ['id', 'num', 'cat', 'mixed', 'wide', 'num'], 20_000, 7, false, 10_000);
    const one = await readCellTable(path, { text: ['id0'] });
    const threaded = await readCellTable(path, { text: ['id0'], threads: 2, parts: 3, minPartBytes: 1 });
    expect(threaded).toEqual(one);
    const ids = threaded.columns[0]!.texts!;
    // Lines of rows past the first range, found again in the file.
    const lines = (await import('node:fs')).readFileSync(path, 'utf8').split('\n');
    for (const row of [0, 9_999, 19_999]) {
      const line = placeOfRow(threaded.places, row);
      expect(lines[line - 1]!.startsWith(`${ids[row]},`)).toBe(true);
    }
  });

  it('reads a file with a bad row in a later range in one pass, naming the rows as one pass does', async () => {
    const dir = tempDir();
    const good = Array.from({ length: 3000 }, (_, i) => `S${i},${i % 7},x`);
    good[2500] = 'S2500,1';
    good[2700] = 'S2700,\xff\xfe,x';
    const path = join(dir, 'bad.csv');
    writeFileSync(path, Buffer.from(`id,a,b\n${good.join('\n')}\n`, 'latin1'));
    const one = await readCellTable(path).catch((e: Error) => e.message);
    expect(one).toMatch(/2 malformed rows[\s\S]*line 2502[\s\S]*line 2702, column a: not valid UTF-8/);
    for (const threads of [1, 2]) {
      const joined = await readCellTable(path, { parts: 3, threads, minPartBytes: 1 }).catch(
        (e: Error) => e.message,
      );
      expect(joined).toBe(one);
    }
  });

  it('cuts a CRLF file only after a CRLF, where a bare LF is part of a field', async () => {
    const dir = tempDir();
    // Every seventh line ends in LF alone: one pass reads it and the next line as one record.
    const lines = Array.from({ length: 300 }, (_, i) => `S${i},${i % 9},x${i % 4}`);
    const text = `id,a,b\r\n${lines.map((l, i) => l + (i % 7 === 3 ? '\n' : '\r\n')).join('')}`;
    const path = join(dir, 'crlf.csv');
    writeFileSync(path, text);
    const one = await readCellTable(path).catch((e: Error) => e.message);
    expect(one).toMatch(/malformed rows[\s\S]*line 5: 5 fields where the header has 3/);
    for (let parts = 2; parts <= 40; parts++) {
      const plan = (await planParts(path, parts, 1))!;
      for (const p of plan.slice(1)) expect(text.slice(p.start - 2, p.start)).toBe('\r\n');
      const joined = await readCellTable(path, { parts, threads: 1, minPartBytes: 1 }).catch(
        (e: Error) => e.message,
      );
      expect(joined).toBe(one);
    }
  });
});

describe('a file that is not CSV text', () => {
  it.each([
    [
      'starts and ends as Parquet',
      'PAR1\ngarbage,x\n1,2\n3,4\nPAR1',
      /: cannot read the Parquet file: it is truncated/,
    ],
    [
      'holds NUL bytes in its header line',
      'id\0,x\n1,2\n3,4\n5,6\n',
      /: not a CSV text file: it looks like binary data/,
    ],
  ])('that %s is not cut into parts, and is refused as one pass refuses it', async (_, text, says) => {
    const path = join(tempDir(), 'table.csv');
    writeFileSync(path, text);
    expect(await planParts(path, 4, 1)).toBeNull();
    await expect(readCellTable(path, { parts: 4, threads: 1, minPartBytes: 1 })).rejects.toThrow(says);
  });
});
