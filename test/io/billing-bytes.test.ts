import { describe, expect, it } from 'vitest';
import { BILLING_FIELDS } from '../../src/contract.js';
import { createRandom } from '../../src/index.js';
import { billingPlainRow, plainBillingFields, plainNumber } from '../../src/io/billing-bytes.js';
import { cellError, parseCell } from '../../src/io/cells.js';
import { parseNumber } from '../../src/io/values.js';

/** A record of `cells` as bytes with its spans, the first field an extra column ahead of the others. */
function record(cells: readonly string[]): { b: Buffer; spans: Int32Array } {
  const b = Buffer.from(`x,${cells.join(',')}`, 'latin1');
  const spans = new Int32Array(2 * (cells.length + 1));
  let at = 2;
  spans[1] = 1;
  cells.forEach((c, i) => {
    spans[2 * (i + 1)] = at;
    spans[2 * (i + 1) + 1] = at + c.length;
    at += c.length + 1;
  });
  return { b, spans };
}

/** What the text path makes of the row's cells: each field's value, or null for a row it rejects. */
function textRow(cells: readonly (string | undefined)[]): number[] | null {
  const err = cellError();
  const vals: number[] = [];
  for (const [k, f] of BILLING_FIELDS.entries()) {
    let s = cells[k] ?? '';
    if (s === '') {
      if (f.fallback !== undefined) s = f.fallback;
      else if (f.required) return null;
      else {
        vals.push(Number.NaN);
        continue;
      }
    }
    const v = parseCell(f.type, s, err);
    if (Number.isNaN(v)) return null;
    vals.push(v);
  }
  return vals;
}

const SPELLINGS: Record<string, readonly string[]> = {
  id: ['0012', 'A-7', '5'],
  string: ['P1', 'plan b', '  '],
  month: ['2025-03', '2025-13', '2025-00', '25-03', '2025/03', '2025-3x', '0000-01'],
  date: ['2024-02-29', '2023-02-29', '2025-04-31', '2025-12-31', '2025-1-01', '2025-01-01x', 'abcd-01-01'],
  amount: ['0', '12.5', '-1', '.5', '5.', '1e3', '+3', '1.2.3', 'NaN', '12345678901234567', ' 4', '-0'],
  count: ['0', '3', '3.0', '3.5', '-2', '1e2', '9007199254740993', 'x', '007'],
  flag: ['0', '1', '2', '00', 'true'],
  enum: [],
};

describe('plainNumber', () => {
  it.each([
    '0',
    '-0',
    '+7',
    '007',
    '5.',
    '.5',
    '-.25',
    '1.2.3',
    '-',
    '+',
    '.',
    '1e5',
    '2.5E-3',
    '123456789012345',
    '1234567890123456',
    '12345678901234567',
    '0.30000000000000004',
    ' 1',
    'Infinity',
  ])('reads %s as parseNumber reads its text', (text) => {
    const b = Buffer.from(`,${text},`, 'latin1');
    expect(Object.is(plainNumber(b, 1, 1 + text.length), parseNumber(text))).toBe(true);
  });

  it('reads 20,000 random spellings as parseNumber does', () => {
    const rand = createRandom(7).next;
    const alphabet = '0123456789012345678901234567890123456789.-+eE x';
    for (let t = 0; t < 20_000; t++) {
      const n = 1 + Math.floor(rand() * 19);
      let text = '';
      for (let i = 0; i < n; i++) text += alphabet[Math.floor(rand() * alphabet.length)];
      const b = Buffer.from(`9${text}9`, 'latin1');
      expect(Object.is(plainNumber(b, 1, 1 + n), parseNumber(text)), text).toBe(true);
    }
  });
});

describe('billingPlainRow', () => {
  const fields = plainBillingFields();
  // The file's columns in BILLING_FIELDS order after one extra column; the last field (manager) absent.
  const index = Int32Array.from(BILLING_FIELDS, (_, k) => (k === BILLING_FIELDS.length - 1 ? -1 : k + 1));

  it('takes exactly the rows the text path accepts, with the values parseCell gives', () => {
    const rand = createRandom(11).next;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    let taken = 0;
    let declined = 0;
    for (let t = 0; t < 5_000; t++) {
      const cells = BILLING_FIELDS.map((f, k) => {
        if (k === BILLING_FIELDS.length - 1) return '';
        // Mostly good cells, so that whole rows pass; sometimes blank or a bad spelling.
        const r = rand();
        if (r < 0.04) return '';
        const good =
          f.type.kind === 'enum'
            ? [...f.type.values]
            : f.type.kind === 'month'
              ? ['2025-03']
              : f.type.kind === 'date'
                ? ['2024-02-29', '2025-01-31']
                : f.type.kind === 'amount'
                  ? ['12.5', '0', '7']
                  : f.type.kind === 'count' || f.type.kind === 'flag'
                    ? ['0', '1']
                    : SPELLINGS[f.type.kind]!;
        const bad =
          f.type.kind === 'enum' ? ['Active', 'x', `${f.type.values[0]} `] : SPELLINGS[f.type.kind]!;
        return r < 0.1 ? pick(bad) : pick(good);
      });
      const { b, spans } = record(cells);
      const vals = new Float64Array(BILLING_FIELDS.length);
      const ok = billingPlainRow(b, spans, index, vals, fields);
      const want = textRow(cells);
      expect(ok, cells.join(',')).toBe(want !== null);
      if (want === null) {
        declined++;
        continue;
      }
      taken++;
      want.forEach((v, k) => {
        expect(Object.is(vals[k], v), `${BILLING_FIELDS[k]!.name}: ${cells[k]}`).toBe(true);
      });
    }
    // Both outcomes are exercised.
    expect(taken).toBeGreaterThan(500);
    expect(declined).toBeGreaterThan(500);
  });
});
