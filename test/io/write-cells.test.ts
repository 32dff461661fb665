import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDate, formatMonth } from '../../src/calendar.js';
import { type DictColumn, dictFromStrings, makeFrame, take } from '../../src/frame.js';
import { outputTable } from '../../src/io/scored-folder.js';
import { newCellCache, type OutColumn, type OutTable, out, writeCsv } from '../../src/io/write.js';
import { createRandom } from '../../src/random.js';
import { expectedCsv, generatedFrame } from './csv-cases.js';
import { tempDir } from './helpers.js';

/** The same columns without their sources: every cell through value(i). */
const withoutSources = (table: OutTable): OutTable => ({
  n: table.n,
  columns: table.columns.map(({ header, kind, value }): OutColumn => ({ header, kind, value })),
});

describe('CSV cells from typed columns', () => {
  it('give the bytes of the cells written one by one, for every kind of column', async () => {
    const dir = tempDir();
    const frame = generatedFrame(3_000, 5);
    const table = outputTable(frame);
    await writeCsv(table, join(dir, 'fast.csv'));
    await writeCsv(withoutSources(table), join(dir, 'slow.csv'));
    const fast = readFileSync(join(dir, 'fast.csv'));
    expect(fast.toString('utf8')).toBe(expectedCsv(table));
    expect(fast.equals(readFileSync(join(dir, 'slow.csv')))).toBe(true);
  });

  it('grows its byte pool for text longer in UTF-8 than in characters', async () => {
    const dir = tempDir();
    // Three bytes a character, quoted for the comma: every entry outgrows the room first made.
    const cities = Array.from({ length: 500 }, (_, i) => `東京, 大阪 ${i} "駅"`);
    const frame = makeFrame({ city: dictFromStrings([...cities, ...cities.slice(0, 100)]) });
    await writeCsv(frame, join(dir, 'cities.csv'));
    const rows = [...cities, ...cities.slice(0, 100)].map((c) => `"${c.replaceAll('"', '""')}"`);
    expect(readFileSync(join(dir, 'cities.csv'), 'utf8')).toBe(`city\n${rows.join('\n')}\n`);
  });

  it('writes months, dates and rounded numbers as their value functions spell them', async () => {
    const dir = tempDir();
    const months = new Float64Array([24_290, Number.NaN, 24_291, 24_290, 24_290]);
    const days = new Float64Array([20_000, 20_000, Number.NaN, -1, 20_031]);
    const x = new Float64Array([0.0038524999, -1.0000004, 157.654009, Number.NaN, 2.5e-7]);
    const table: OutTable = {
      n: 5,
      columns: [out.month('month', months), out.date('day', days), out.numbers('x', x, 6)],
    };
    await writeCsv(table, join(dir, 'out.csv'));
    const rows = readFileSync(join(dir, 'out.csv'), 'utf8').split('\n').slice(1, -1);
    expect(rows).toEqual([
      `${formatMonth(24_290)},${formatDate(20_000)},0.003852`,
      `,${formatDate(20_000)},-1`,
      `${formatMonth(24_291)},,157.654009`,
      `${formatMonth(24_290)},${formatDate(-1)},`,
      `${formatMonth(24_290)},${formatDate(20_031)},0`,
    ]);
    expect(`${rows.join('\n')}\n`).toBe(expectedCsv(table).split('\n').slice(1).join('\n'));
  });

  it('share dictionary cells between the files of a set without changing a byte', async () => {
    const dir = tempDir();
    const frame = generatedFrame(2_000, 9);
    const random = createRandom(3);
    // Lists: rows in another order, some left out, the same dictionaries (as takeColumn keeps them).
    const lists = [0, 1, 2].map(() => {
      const rows = Array.from({ length: frame.n }, (_, i) => i).filter(() => random.next() < 0.4);
      for (let k = rows.length - 1; k > 0; k--) {
        const j = random.int(k + 1);
        [rows[k], rows[j]] = [rows[j]!, rows[k]!];
      }
      return take(frame, rows);
    });
    expect((lists[0]!.cols.note as DictColumn).dictionary).toBe((frame.cols.note as DictColumn).dictionary);
    const cells = newCellCache();
    const tables = [frame, ...lists].map(outputTable);
    for (const [k, t] of tables.entries()) {
      await writeCsv(t, join(dir, `shared-${k}.csv`), { cells });
      await writeCsv(t, join(dir, `alone-${k}.csv`));
    }
    for (const [k, t] of tables.entries()) {
      const shared = readFileSync(join(dir, `shared-${k}.csv`));
      expect(shared.toString('utf8')).toBe(expectedCsv(t));
      expect(shared.equals(readFileSync(join(dir, `alone-${k}.csv`)))).toBe(true);
    }
  });
});
