import { describe, expect, it } from 'vitest';
import { CsvBytes } from '../../src/io/write-bytes.js';
import { createRandom } from '../../src/random.js';

const written = (write: (out: CsvBytes) => void, chunk?: number): string => {
  const out = new CsvBytes(chunk);
  write(out);
  return out.take().toString('utf8');
};

/** Each value written alone, as text. */
const asWritten = (v: number): string => written((out) => out.number(v));
/** What String(v) writes, blank for what is not finite (write.ts leaves those cells empty). */
const expected = (v: number): string => (Number.isFinite(v) ? String(v) : '');

describe('CsvBytes numbers', () => {
  it.each([
    0,
    -0,
    1,
    -1,
    7,
    10,
    100,
    1234567890,
    999_999_999_999_999,
    1e15,
    1e21,
    1.5e300,
    -(2 ** 53),
    0.5,
    0.1,
    0.2,
    0.3,
    -0.25,
    0.000001,
    0.0000015,
    1e-7,
    5e-324,
    0.005745,
    2.932578,
    7.309701,
    10.1,
    123456789.123456,
    999999999.999999,
    1e9 + 0.5,
    0.1 + 0.2,
    1 / 3,
    Math.PI,
    2 / 3e6,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ])('writes %d as String() does', (v) => {
    expect(asWritten(v)).toBe(expected(v));
  });

  it('writes random values of every size and rounding as String() does', () => {
    const random = createRandom(7);
    const rng = () => random.next();
    const values: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const size = 10 ** Math.floor(rng() * 24 - 9);
      const raw = (rng() - 0.3) * size;
      const decimals = Math.floor(rng() * 9);
      // Most values rounded as the pipeline rounds them (to 0-8 decimals), some left raw.
      values.push(rng() < 0.8 ? Math.round(raw * 10 ** decimals) / 10 ** decimals : raw);
    }
    const text = written((out) => {
      for (const v of values) {
        out.number(v);
        out.byte(10);
      }
    });
    expect(text).toBe(values.map((v) => `${expected(v)}\n`).join(''));
  });
});

describe('CsvBytes text', () => {
  it('writes UTF-8 text and bytes made once, growing past its chunk for a long row', () => {
    const long = 'ü'.repeat(50);
    const text = written((out) => {
      out.text('naïve, 東京');
      out.byte(44);
      out.bytes(Buffer.from('"a,b"'));
      out.bytes(Buffer.from(long));
      out.text(long);
    }, 16);
    expect(text).toBe(`naïve, 東京,"a,b"${long}${long}`);
  });

  it('hands over what it holds and starts again empty', () => {
    const out = new CsvBytes(8);
    out.text('first');
    const first = out.take();
    out.text('second');
    expect(out.length).toBe(6);
    expect(first.toString()).toBe('first');
    expect(out.take().toString()).toBe('second');
  });
});
