import { describe, expect, it } from 'vitest';
import { createRandom, tableNumber } from '../../src/index.js';
import { bytesNumber, CellDictionary, digitsAt } from '../../src/io/cell-bytes.js';

/** bytesNumber over `text` placed inside other bytes, as a cell sits inside its record. */
function fromBytes(text: string): number {
  const b = Buffer.from(`9,${text},9`, 'latin1');
  return bytesNumber(b, 2, 2 + text.length);
}

describe('bytesNumber', () => {
  it.each([
    ['0', 0],
    ['-0', -0],
    ['+0.0', 0],
    ['-0.000e7', -0],
    ['007', 7],
    ['5.', 5],
    ['.5', 0.5],
    ['-.25', -0.25],
    ['0.1', 0.1],
    ['0.2019', 0.2019],
    ['-1.1168', -1.1168],
    ['123456789012345', 123456789012345],
    ['1234567890123456789', 1234567890123456800],
    ['0.1234567890123456789', 0.12345678901234568],
    ['3.14159265358979323846', Math.PI],
    ['1e5', 1e5],
    ['1E+05', 1e5],
    ['2.5e-3', 0.0025],
    ['1e22', 1e22],
    ['1e23', 1e23],
    ['1e-400', 0],
    ['9007199254740993', 9007199254740992],
    ['100000000000000000000000', 1e23],
    ['0.000000000000000000000000001', 1e-27],
  ])('%s reads as %d, as its text does', (text, value) => {
    expect(Object.is(fromBytes(text), value)).toBe(true);
    expect(Object.is(fromBytes(text), tableNumber(text))).toBe(true);
  });

  it.each([
    '',
    '.',
    '-',
    '+',
    'e5',
    '1e',
    '1e+',
    '1.2.3',
    '--1',
    '1-',
    '0x10',
    'Infinity',
    'NaN',
    '1,5',
    'n/a',
    // Too large for a double: text, not Infinity.
    '1e400',
    '-1e400',
    '1234567890123456789e300',
  ])('%j is not a number', (text) => {
    expect(fromBytes(text)).toBeNaN();
    expect(tableNumber(text)).toBeNaN();
  });

  it('reads 20,000 seeded number spellings exactly as Number() reads their text', () => {
    const r = createRandom(12);
    const digits = (n: number) => Array.from({ length: n }, () => String(r.int(10))).join('');
    const mismatches: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      const sign = ['', '-', '+'][r.int(3)]!;
      const whole = digits(r.int(19));
      const frac = r.next() < 0.7 ? `.${digits(r.int(19))}` : '';
      const exp =
        r.next() < 0.2 ? `${r.next() < 0.5 ? 'e' : 'E'}${['', '-', '+'][r.int(3)]}${r.int(40)}` : '';
      const text = `${sign}${whole}${frac}${exp}`;
      if (!Object.is(fromBytes(text), tableNumber(text))) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('CellDictionary', () => {
  it('finds each cell by text and by bytes with the code of its first sight, through growth', () => {
    const d = new CellDictionary();
    const cells = Array.from({ length: 3_000 }, (_, i) => (i % 7 === 0 ? '' : `v${(i * 7919) % 2_000}`));
    const codes = cells.map((c) => {
      const b = Buffer.from(`,${c},`, 'latin1');
      const byBytes = d.findBytes(b, 1, 1 + c.length);
      expect(byBytes).toBe(d.find(c));
      return byBytes < 0 ? d.add(c) : byBytes;
    });
    const firstSeen = [...new Set(cells)];
    expect(d.entries).toEqual(firstSeen);
    expect(codes).toEqual(cells.map((c) => firstSeen.indexOf(c)));
    d.clear();
    expect(d.size).toBe(0);
    expect(d.find('v1')).toBe(-1);
  });
});

describe('digitsAt', () => {
  it.each([
    ['2025-07', 0, 4, 2025],
    ['2025-07', 5, 7, 7],
    ['x0090y', 1, 5, 90],
    ['12a4', 0, 4, Number.NaN],
    ['-12', 0, 3, Number.NaN],
    ['', 0, 0, 0],
  ])('%j [%i, %i) spells %d', (text, from, to, value) => {
    expect(digitsAt(Buffer.from(text), from, to)).toBe(value);
  });
});
