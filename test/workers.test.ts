import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { threadsFor, withoutLoaders } from '../src/workers.js';

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
