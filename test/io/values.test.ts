import { describe, expect, it } from 'vitest';
import { createRandom, detectFormat, parseLocalDateTime } from '../../src/index.js';
import { parseDateTimeFast, parseNumber } from '../../src/io/values.js';

describe('parseNumber', () => {
  // prettier-ignore
  it.each([
    ['12.5', 12.5],
    ['0', 0],
    ['-3', -3],
    ['+4.25', 4.25],
    ['.5', 0.5],
    ['1e3', 1000],
    ['0.1', 0.1],
    ['123456789012.345', 123456789012.345],
    ['', Number.NaN],
    ['-', Number.NaN],
    ['1,5', Number.NaN],
    ['0x10', Number.NaN],
    [' 1', Number.NaN],
    ['1.2.3', Number.NaN],
    ['abc', Number.NaN],
  ])('%j -> %d', (s, v) => {
    expect(parseNumber(s)).toBe(v);
  });

  it('rounds exactly like Number() on random decimals', () => {
    const rnd = createRandom(7, 0);
    for (let i = 0; i < 20_000; i++) {
      const s = `${rnd.int(1e9)}.${String(rnd.int(1e6)).padStart(rnd.int(6) + 1, '0')}`;
      expect(parseNumber(s)).toBe(Number(s));
    }
  });
});

describe('parseDateTimeFast', () => {
  it('agrees with calendar.parseLocalDateTime', () => {
    const rnd = createRandom(3, 0);
    const cases = [
      '2024-02-29T23:59:59',
      '2023-02-29T00:00:00',
      '1900-02-29 12:00:00',
      '2000-02-29T00:00:00',
      'bad',
    ];
    for (let i = 0; i < 5000; i++) {
      const p = (n: number, w: number) => String(n).padStart(w, '0');
      cases.push(
        `${p(1960 + rnd.int(100), 4)}-${p(rnd.int(14), 2)}-${p(rnd.int(33), 2)}T${p(rnd.int(25), 2)}:${p(rnd.int(61), 2)}:${p(rnd.int(61), 2)}`,
      );
    }
    for (const s of cases) expect(parseDateTimeFast(s), s).toBe(parseLocalDateTime(s));
  });
});

describe('detectFormat', () => {
  // prettier-ignore
  it.each([
    ['ARROW1\0\0', 'arrow-file'],
    ['\xff\xff\xff\xff\x10\0\0\0', 'arrow-stream'],
    ['\x10\x01\0\0abcd', 'arrow-stream'],
    ['subscriber_id,month', 'csv'],
    ['\xef\xbb\xbfsubscr', 'csv'],
    ['a,b', 'csv'],
  ])('%j is %s', (head, format) => {
    expect(detectFormat(Buffer.from(head, 'latin1'))).toBe(format);
  });
});
