import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { sharedColumns, threadsFor, withoutLoaders } from '../src/workers.js';

describe('withoutLoaders', () => {
  it('drops module loader hooks and keeps every other node option', () => {
    const argv = [
      '--require',
      '/x/preflight.cjs',
      '--import',
      'file:///x/loader.mjs',
      '--max-old-space-size=8000',
      '--loader=ts-node/esm',
      '-r',
      'dotenv/config',
      '--enable-source-maps',
      '--experimental-loader',
      'y.mjs',
    ];
    expect(withoutLoaders(argv)).toEqual(['--max-old-space-size=8000', '--enable-source-maps']);
    expect(withoutLoaders([])).toEqual([]);
  });
});

describe('threadsFor', () => {
  const cores = availableParallelism();
  // biome-ignore format: a case table reads best aligned
  it.each([
    // requested, pieces,   threads
    [0,           Infinity, cores],
    [0,           1,        1],
    [3,           Infinity, 3],
    [3,           2,        2],
    [5,           0,        1],
    [1,           100,      1],
  ])('threads %i for %d pieces → %i', (requested, pieces, threads) => {
    expect(threadsFor(requested, pieces)).toBe(threads);
  });
});

describe('sharedColumns', () => {
  it('copies plain columns into one shared buffer, their first nRows values', () => {
    const columns = [Float64Array.from([1, 2, 3]), Float64Array.from([4, Number.NaN, 6])];
    const out = sharedColumns(columns, 2);
    expect(out.map((c) => [...c])).toEqual([
      [1, 2],
      [4, Number.NaN],
    ]);
    expect(out.every((c) => c.buffer instanceof SharedArrayBuffer && c.buffer === out[0]!.buffer)).toBe(true);
  });

  it('hands back columns already in shared memory as they are', () => {
    const c = new Float64Array(new SharedArrayBuffer(24));
    c.set([7, 8, 9]);
    expect(sharedColumns([c], 3)[0]).toBe(c);
  });
});
