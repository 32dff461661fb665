import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

describe('progress', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (c: Buffer) => {
      written += c.toString();
    });
    const p = createProgress(out, false, 'trees', 10);
    p.update(5);
    p.done();
    expect(written).toBe('');
  });

  it('draws a throttled bar and clears it when done', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (c: Buffer) => {
      written += c.toString();
    });
    let t = 0;
    const p = createProgress(out, true, 'trees', 10, () => t);
    p.update(5);
    t = 10;
    p.update(6); // within 150 ms: skipped
    t = 200;
    p.update(10);
    p.done();
    expect(written.split('\r\x1b[K').filter(Boolean)).toEqual([
      `trees [${'#'.repeat(15)}${' '.repeat(15)}] 50%`,
      `trees [${'#'.repeat(30)}] 100%`,
    ]);
  });
});
