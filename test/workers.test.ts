import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usableCores } from '../src/cores.js';
import { createRandom } from '../src/random.js';
import { sharedColumns, threadsFor } from '../src/workers.js';

const BIN = resolve(import.meta.dirname, '../bin/retain');

describe('startWorker', () => {
  it('starts worker threads under a node option a thread cannot take', () => {
    // `node --max-old-space-size=… bin/retain` is how a large table gets more heap; node refuses a
    // worker whose own options name it, so the workers must not be handed the parent's.
    const dir = mkdtempSync(join(tmpdir(), 'retain-workers-'));
    const r = createRandom(3);
    const rows = Array.from({ length: 400 }, () => {
      const x = r.next();
      return `${x.toFixed(3)},${r.int(5)},${x + r.next() > 1 ? 1 : 0}`;
    });
    writeFileSync(join(dir, 't.csv'), `a,b,label\n${rows.join('\n')}\n`);
    const out = join(dir, 'm.json');
    const run = spawnSync(
      process.execPath,
      ['--max-old-space-size=2048', BIN, 'train', '--table', join(dir, 't.csv'), '--label', 'label'].concat([
        '--engine',
        'forest',
        '--trees',
        '4',
        '--threads',
        '2',
        '--out',
        out,
        '-q',
      ]),
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).forest.trees).toHaveLength(4);
  });
});

describe('threadsFor', () => {
  const cores = usableCores();
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
