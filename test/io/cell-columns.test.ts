import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  applyTableEncoding,
  CellColumnBuilder,
  cellTableOf,
  createRandom,
  DISTINCT_CAP,
  fitTableEncoding,
  InputError,
  placeOfRow,
  readCellTable,
  readRawTable,
} from '../../src/index.js';
import { SHARED_DATA, SHARED_DATA_MISSING } from '../helpers/shared-data.js';
import { tempDir } from './helpers.js';

function column(cells: (string | null)[], keepText = false) {
  const b = new CellColumnBuilder(keepText);
  for (const c of cells) b.add(c);
  return b.finish();
}

/** Everything a fit yields, with typed arrays as plain arrays, for deep comparison. */
function fitted(f: ReturnType<typeof fitTableEncoding>) {
  return {
    encoding: f.encoding,
    report: f.report,
    ids: f.ids,
    y: Array.from(f.y),
    names: f.X.names,
    X: f.X.columns.map((c) => Array.from(c)),
  };
}

describe('CellColumnBuilder', () => {
  it('keeps numbers, counts, first-seen distinct cells and codes; blanks are -1 and NaN', () => {
    const c = column(['3', ' 3 ', '', 'n/a', '1e2', '  ', 'x', 'n/a', 'y', 'z', '3']);
    expect(c.n).toBe(11);
    expect(Array.from(c.values)).toEqual([3, 3, NaN, NaN, 100, NaN, NaN, NaN, NaN, NaN, 3]);
    expect(c.blanks).toBe(2);
    expect(c.numbers).toBe(4);
    expect(c.first).toBe('3');
    expect(c.allSame).toBe(false);
    expect(c.strayText).toEqual(['n/a', 'x', 'y']);
    expect(c.strayRows).toEqual([3, 6, 8]);
    expect(c.dictionary).toEqual(['3', 'n/a', '1e2', 'x', 'y', 'z']);
    expect(Array.from(c.codes!)).toEqual([0, 0, -1, 1, 2, -1, 3, 1, 4, 5, 0]);
    expect(c.texts).toBeNull();
    expect(column(['a', ' a', null, 'a']).allSame).toBe(true);
    expect(column(['b', 'a'], true).texts).toEqual(['b', 'a']);
  });

  it('stops keeping codes for a column with numbers past the cap, never for a text column', () => {
    const n = 70_000;
    const numbers = column(Array.from({ length: n }, (_, i) => String(i)));
    expect(numbers.codes).toBeNull();
    expect(numbers.values[n - 1]).toBe(n - 1);
    const words = column(Array.from({ length: 2 * DISTINCT_CAP }, (_, i) => `w${i}`));
    expect(words.dictionary).toHaveLength(2 * DISTINCT_CAP);
    expect(words.codes![2 * DISTINCT_CAP - 1]).toBe(2 * DISTINCT_CAP - 1);
    // Chunks are joined in order across their boundaries.
    expect(Array.from(numbers.values.subarray(65_534, 65_538))).toEqual([65_534, 65_535, 65_536, 65_537]);
  });
});

/** A seeded table with every kind of column: numbers with blanks and stray text, categories, flags, ids. */
function mixedTable(rows: number, seed: number): string {
  const r = createRandom(seed);
  const lines = ['id,amount,plan,paperless,gender,count,code,note,label'];
  for (let i = 0; i < rows; i++) {
    const amount = r.next() < 0.05 ? '' : r.next() < 0.005 ? 'n/a' : (r.normal() * 50).toFixed(2);
    const plan = ['Basic', 'Gold', 'Silver', ' Gold '][r.int(4)];
    const paperless = ['Yes', 'No', 'yes', ''][r.int(4)];
    const gender = r.next() < 0.5 ? 'F' : 'M';
    const count = String(r.int(12));
    const code = r.next() < 0.3 ? `c${r.int(5)}` : String(r.int(3));
    const note = `n${r.int(rows)}`;
    lines.push(
      `ID-${i},${amount},${plan},${paperless},${gender},${count},${code},${note},${r.next() < 0.2 ? 'churned' : 'stayed'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('readCellTable', () => {
  it('knows the line of each row, past a quoted line break', async () => {
    const path = join(tempDir(), 'lines.csv');
    // Rows 0..3 on lines 2, 3-4 (a line break inside quotes), 5, 6; then a label that is no flag.
    writeFileSync(path, 'id,note,churn\na,x,Yes\nb,"two\nlines",No\nc,x,No\nd,x,Maybe\n');
    const cells = await readCellTable(path, { text: ['id'] });
    expect(cells.places?.word).toBe('line');
    expect([0, 1, 2, 3].map((row) => placeOfRow(cells.places, row))).toEqual([2, 3, 5, 6]);
    expect(placeOfRow(undefined, 3)).toBe(4);
    expect(() => fitTableEncoding(cells, { label: 'churn', id: 'id' })).toThrow(
      `${path}: label column "churn" has values that are not a churn flag: "Maybe" (line 6)`,
    );
  });

  it('encodes a table exactly as its text columns do, for fitting and for scoring', async () => {
    const dir = tempDir();
    const path = join(dir, 'mixed.csv');
    writeFileSync(path, mixedTable(5_000, 4));
    const cells = await readCellTable(path, { text: ['id'] });
    const text = await readRawTable(path);
    const a = fitTableEncoding(cells, { label: 'label', id: 'id' });
    const b = fitTableEncoding(text, { label: 'label', id: 'id' });
    // The file's reading knows each row's line (header first, one record a line: row r on line r + 2);
    // the text table only its row (r + 1).
    const byRow = (note: string) => note.replace(/on line (\d+)/g, (_, l) => `on row ${Number(l) - 1}`);
    const notes = a.report.notes.map((n) => ({ ...n, note: byRow(n.note) }));
    expect(notes.some((n, k) => n.note !== a.report.notes[k]!.note)).toBe(true);
    expect(fitted({ ...a, report: { ...a.report, notes } })).toEqual(fitted(b));
    const distinct = new Set(text.columns[text.names.indexOf('note')]).size;
    expect(a.report.dropped).toEqual([
      { column: 'note', reason: `high cardinality (${distinct} distinct > 30)` },
    ]);
    expect(a.encoding.columns.map((c) => c.kind)).toEqual([
      'numeric',
      'oneHot',
      'flag',
      'binary',
      'numeric',
      'oneHot',
    ]);
    expect(a.ids![4_999]).toBe('ID-4999');
    const scored = await readCellTable(path, { text: ['id'] });
    const applied = applyTableEncoding(a.encoding, scored);
    expect(applied.ids).toEqual(a.ids);
    expect(applied.X.columns.map((c) => Array.from(c))).toEqual(fitted(a).X);
  });

  it('drops a column with numbers past the cap as mixed, as from text', () => {
    const n = 2 * DISTINCT_CAP;
    const rows = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 'none' : String(i)));
    // A second, plain column: a table with nothing to learn from is refused whole.
    const plain = rows.map((_, i) => String(i % 7));
    const table = {
      names: ['v', 'k', 'churn'],
      columns: [rows, plain, rows.map((_, i) => (i % 3 === 0 ? '1' : '0'))],
      rowCount: n,
    };
    const f = fitTableEncoding(cellTableOf(table), { label: 'churn' });
    expect(f.report.dropped).toEqual([
      {
        column: 'v',
        reason: `mixed: ${Math.ceil(n / 5)} text and ${n - Math.ceil(n / 5)} numeric cells ("none" on row 1)`,
      },
    ]);
    // Scoring a column the model reads as categories, with too many distinct numbers, says so.
    const g = fitTableEncoding(
      cellTableOf({ ...table, columns: [rows.map((_, i) => String(i % 3)), plain, table.columns[2]!] }),
      {
        label: 'churn',
      },
    );
    expect(g.encoding.columns[0]!.kind).toBe('numeric');
    const plan = {
      ...g.encoding,
      columns: [{ kind: 'oneHot' as const, column: 'v', levels: ['0', '1'] }, g.encoding.columns[1]!],
    };
    expect(() => applyTableEncoding(plan, cellTableOf(table))).toThrow(InputError);
    expect(() => applyTableEncoding(plan, cellTableOf(table))).toThrow(
      /column "v" has more than 1024 distinct/,
    );
  });

  it('reads plain records from their bytes to the very columns their text gives, with no string per cell', async () => {
    // Padded and whitespace-only cells, -0, long and exponent numbers, more distinct numbers than the
    // cap, stray text, quoted fields, and a line for the reader's text path.
    const r = createRandom(8);
    const lines = ['id,n,pad,wide,cat,label'];
    for (let i = 0; i < 3 * DISTINCT_CAP; i++) {
      const n = ['-0', '1e3', '0.1234567890123456789', ` ${r.int(9)} `, '  ', 'n/a', '', String(r.int(5))][
        r.int(8)
      ];
      const pad = ['\tYes', 'No ', 'yes', ' '][r.int(4)];
      const cat =
        i === 3 * DISTINCT_CAP - 1 ? '"Gold ""plus"""' : ['Basic', 'Gold', '"Silver, plus"'][r.int(3)];
      lines.push(`ID-${i},${n},${pad},${(r.normal() * 100).toFixed(r.int(5))},${cat},${r.int(2)}`);
    }
    const path = join(tempDir(), 'plain.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const add = vi.spyOn(CellColumnBuilder.prototype, 'add');
    const cells = await readCellTable(path, { text: ['id'] });
    // Only the id column (kept as text) and the last line, with a quote inside a field (the reader's
    // text path), go cell by cell as strings.
    expect(add.mock.calls.length).toBe(3 * DISTINCT_CAP + 5);
    add.mockRestore();
    const text = await readRawTable(path);
    const expected = cellTableOf(text, ['id']);
    const plain = (t: typeof cells) =>
      t.columns.map((c) => ({
        ...c,
        values: Array.from(c.values, (v) => (Object.is(v, -0) ? '-0' : v)),
        codes: c.codes && Array.from(c.codes),
      }));
    expect(plain(cells)).toEqual(plain(expected));
    expect(cells.columns[3]!.codes).toBeNull();
    expect(cells.columns[1]!.strayText).toEqual(['n/a']);
    expect(cells.columns[1]!.strayRows).toHaveLength(1);
  });

  it.skipIf(SHARED_DATA_MISSING !== null)(
    'reads the public tables to the same encoding as text',
    async () => {
      for (const [file, id] of [
        ['ibm-telco/Telco-Customer-Churn.csv', 'customerID'],
        ['bigml-churn/churn-bigml-80.csv', undefined],
        ['iranian-churn/Customer_Churn.csv', undefined],
      ] as const) {
        const path = join(SHARED_DATA, file);
        const options = id ? { label: 'Churn', id } : { label: 'Churn' };
        const cells = await readCellTable(path, { text: id ? [id] : [] });
        expect(fitted(fitTableEncoding(cells, options))).toEqual(
          fitted(fitTableEncoding(await readRawTable(path), options)),
        );
      }
    },
  );
});
