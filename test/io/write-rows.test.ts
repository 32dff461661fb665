import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Frame, take } from '../../src/frame.js';
import { outputTable } from '../../src/io/scored-folder.js';
import { type OutTable, out, writeCsv } from '../../src/io/write.js';
import { CellCache } from '../../src/io/write-cells.js';
import { withSharedLead } from '../../src/io/write-rows.js';
import { createRandom } from '../../src/random.js';
import { expectedCsv, generatedFrame } from './csv-cases.js';
import { tempDir } from './helpers.js';

const table = (...headers: string[]): OutTable => ({
  n: 1,
  columns: headers.map((h) => out.text(h, () => h)),
});

describe('withSharedLead', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    [['a', 'b', 'c', 'd'], [['a', 'b', 'x'], ['a', 'b', 'c']], 2],
    [['a', 'b'],           [['a', 'b', 'c']],                  2],
    [['a', 'b', 'c'],      [['a', 'b', 'c']],                  3],
    [['a', 'b'],           [['x', 'a', 'b']],                  0],
    [['a', 'b'],           [],                                 0],
  ])('shares the leading columns %j has with every one of %j: %d', (main, repeats, columns) => {
    const rows = new Int32Array([0]);
    const shared = withSharedLead(
      table(...main),
      repeats.map((h) => ({ table: table(...h), rows })),
    );
    expect(shared.main.lead?.columns ?? 0).toBe(columns);
    for (const r of shared.repeats) {
      expect(r.lead?.columns ?? 0).toBe(columns);
      if (columns > 0) {
        expect(r.lead!.rows).toBe(rows);
        expect(r.lead!.group).toBe(shared.main.lead!.group);
        expect(r.lead!.size).toBe(1);
      }
    }
  });
});

/** A main table and lists of some of its rows in another order, as scores.csv and its call lists. */
function scoresAndLists(n: number): { main: Frame; lists: { frame: Frame; rows: Int32Array }[] } {
  const main = generatedFrame(n, 11);
  const random = createRandom(2);
  const lists = [0.5, 0.3, 0.05].map((share) => {
    const rows = Array.from({ length: n }, (_, i) => i).filter(() => random.next() < share);
    for (let k = rows.length - 1; k > 0; k--) {
      const j = random.int(k + 1);
      [rows[k], rows[j]] = [rows[j]!, rows[k]!];
    }
    const frame = take(main, rows);
    // A list has columns of its own after the shared ones, as a call list's actions and due date.
    return {
      frame: { n: frame.n, cols: { ...frame.cols, own: frame.cols.count! } },
      rows: Int32Array.from(rows),
    };
  });
  return { main, lists };
}

describe('CSV files sharing leading cells', () => {
  // 20,000 rows make a few pieces of a megabyte: a budget of one piece keeps some rows, not all.
  it.each([
    ['everything kept', undefined],
    ['one piece kept', 1_500_000],
    ['nothing kept', 0],
  ])('write the bytes of each file written alone (%s)', async (_, budget) => {
    const dir = tempDir();
    const { main, lists } = scoresAndLists(20_000);
    const shared = withSharedLead(
      outputTable(main),
      lists.map((l) => ({ table: outputTable(l.frame), rows: l.rows })),
    );
    expect(shared.main.lead?.columns).toBe(Object.keys(main.cols).length);
    const cells = new CellCache(budget);
    const tables = [shared.main, ...shared.repeats];
    // The lists first for one of them, so rows are kept by a list and copied into the main file too.
    const order = budget === 0 ? [1, 0, 2, 3] : [0, 1, 2, 3];
    for (const k of order) await writeCsv(tables[k]!, join(dir, `shared-${k}.csv`), { cells });
    for (const [k, t] of tables.entries()) {
      const written = readFileSync(join(dir, `shared-${k}.csv`));
      expect(written.toString('utf8')).toBe(expectedCsv({ n: t.n, columns: t.columns }));
    }
  });

  it('keeps the rows of one piece when the budget holds only one', async () => {
    const dir = tempDir();
    const { main, lists } = scoresAndLists(20_000);
    const shared = withSharedLead(
      outputTable(main),
      lists.map((l) => ({ table: outputTable(l.frame), rows: l.rows })),
    );
    const cells = new CellCache(1_500_000);
    await writeCsv(shared.main, join(dir, 'main.csv'), { cells });
    const kept = cells.rows.of(shared.main.lead!);
    expect(kept.pieces.length).toBe(1);
    expect(kept.kept).toBeGreaterThan(1_000_000);
    expect(kept.kept).toBeLessThanOrEqual(1_500_000);
    const keptRows = Array.from(kept.piece).filter((p) => p === 0).length;
    expect(keptRows).toBeGreaterThan(0);
    expect(keptRows).toBeLessThan(main.n);
    expect(Array.from(kept.piece).every((p) => p === 0 || p === -1)).toBe(true);
  });
});
