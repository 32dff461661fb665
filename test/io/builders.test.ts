import { describe, expect, it } from 'vitest';
import { Chunked, Growable } from '../../src/io/builders.js';
import { createRandom } from '../../src/random.js';

describe('Chunked', () => {
  it.each([0, 1, 65_535, 65_536, 65_537, 200_003])('gives back %i pushed values in order', (n) => {
    const r = createRandom(n);
    const want = Float64Array.from({ length: n }, () => r.next() * 1e6 - 5e5);
    const c = new Chunked(Float64Array);
    const g = new Growable(Float64Array);
    for (const v of want) {
      c.push(v);
      g.push(v);
    }
    expect(c.length).toBe(n);
    for (const i of [0, n >> 1, n - 1].filter((i) => i >= 0 && i < n)) expect(c.get(i)).toBe(want[i]);
    const got = c.finish();
    expect(got).toBeInstanceOf(Float64Array);
    expect(got).toEqual(want);
    expect(got).toEqual(g.finish());
  });

  it('keeps the array type, with its wrap-around', () => {
    const c = new Chunked(Uint16Array);
    for (let i = 0; i < 70_000; i++) c.push(i);
    const got = c.finish();
    expect(got).toBeInstanceOf(Uint16Array);
    expect(got.length).toBe(70_000);
    expect(got[65_536]).toBe(0);
    expect(got[69_999]).toBe(69_999 - 65_536);
  });
});
