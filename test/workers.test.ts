import { describe, expect, it } from 'vitest';
import { withoutLoaders } from '../src/workers.js';

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
