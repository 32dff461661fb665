/** Generated tables for the CSV writer's tests, and the file each must give. */
import { dictFromStrings, type Frame, makeFrame } from '../../src/frame.js';
import type { OutTable } from '../../src/io/write.js';
import { csvTextCell } from '../../src/io/write-cells.js';
import { createRandom } from '../../src/random.js';

/** Texts a writer must mark, quote or encode: formulas, signed numbers, separators, quotes, non-ASCII. */
const AWKWARD = [
  '=SUM(A1)',
  '+1',
  '-2.50',
  '-x',
  '@cmd',
  '\tx',
  "'quoted",
  'a,b',
  'say "hi"',
  'two\nlines',
  'carriage\rreturn',
  'naïve, 東京',
  'emoji 🎉',
  'ünïcödé',
  '',
  'plain',
  '+8613800000000',
];

/** A seeded frame of every column kind the writer has a path for, with missing values. */
export function generatedFrame(n: number, seed: number): Frame {
  const random = createRandom(seed);
  const text = (i: number): string | null => {
    const r = random.next();
    if (r < 0.1) return null;
    if (r < 0.5) return AWKWARD[random.int(AWKWARD.length)]!;
    // Long, mostly distinct text built by concatenation, as reasons are.
    return `${AWKWARD[random.int(AWKWARD.length)]}; reason ${i}; ${'ü'.repeat(random.int(3))}${'x'.repeat(random.int(80))}`;
  };
  const number = (): number => {
    const r = random.next();
    if (r < 0.1) return Number.NaN;
    if (r < 0.12) return r < 0.11 ? Number.POSITIVE_INFINITY : -0;
    return (random.next() - 0.4) * 10 ** random.int(9);
  };
  return makeFrame(
    {
      id: dictFromStrings(Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : `00${i}`))),
      note: dictFromStrings(Array.from({ length: n }, (_, i) => text(i))),
      month: Int32Array.from({ length: n }, () => 24_290 + random.int(3)),
      probability: Float64Array.from({ length: n }, number),
      revenue: Float64Array.from({ length: n }, number),
      count: Int32Array.from({ length: n }, () => random.int(2_000_000) - 1_000_000),
      flag: Uint8Array.from({ length: n }, () => random.int(256)),
    },
    n,
  );
}

/** The table as cells one by one, as the writer's rules say, joined into text: the expected file. */
export function expectedCsv(table: OutTable): string {
  const lines = [table.columns.map((c) => csvTextCell(c.header)).join(',')];
  for (let i = 0; i < table.n; i++) {
    lines.push(
      table.columns
        .map((c) => {
          const v = c.value(i);
          if (v === null || v === '') return '';
          if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
          return c.kind === 'number' ? v : csvTextCell(v);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
