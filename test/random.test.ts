import { describe, expect, it } from 'vitest';
import { createRandom, hashString } from '../src/index.js';

describe('random', () => {
  it('repeats for a seed and differs between seeds and streams', () => {
    const a = Array.from({ length: 5 }, createRandom(7).next);
    const b = Array.from({ length: 5 }, createRandom(7).next);
    const c = Array.from({ length: 5 }, createRandom(8).next);
    const d = Array.from({ length: 5 }, createRandom(7, 1).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });

  it('is uniform enough and normal has unit variance', () => {
    const r = createRandom(1);
    let s = 0;
    let s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - n / 10)).toBeLessThan(600);
  });

  it('hashes ids stably (FNV-1a)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
