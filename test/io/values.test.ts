import { describe, expect, it } from 'vitest';
import { createRandom, detectFormat } from '../../src/index.js';
import { parseNumber } from '../../src/io/values.js';

describe('parseNumber', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['12.5',             12.5],
    ['0',                0],
    ['-3',               -3],
    ['+4.25',            4.25],
    ['.5',               0.5],
    ['1e3',              1000],
    ['0.1',              0.1],
    ['123456789012.345', 123456789012.345],
    ['',                 Number.NaN],
    ['-',                Number.NaN],
    ['1,5',              Number.NaN],
    ['0x10',             Number.NaN],
    [' 1',               Number.NaN],
    ['1.2.3',            Number.NaN],
    ['abc',              Number.NaN],
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

describe('detectFormat', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['ARROW1\0\0',                 'arrow-file'],
    ['\xff\xff\xff\xff\x10\0\0\0', 'arrow-stream'],
    ['\x10\x01\0\0abcd',           'arrow-stream'],
    ['subscriber_id,month',        'csv'],
    ['\xef\xbb\xbfsubscr',         'csv'],
    ['a,b',                        'csv'],
  ])('%j is %s', (head, format) => {
    expect(detectFormat(Buffer.from(head, 'latin1'))).toBe(format);
  });
});
