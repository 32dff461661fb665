/**
 * A worker thread starts by loading its entry module and everything that imports at run time. The
 * config schema (src/config.ts) pulls in zod, about 0.15 s of loading on this machine, and a worker is
 * always handed the settings it needs: no worker entry may reach src/config.ts through run-time
 * imports (helpers/runtime-imports.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chainTo } from '../helpers/runtime-imports.js';
import { sourceFiles } from '../helpers/source-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const all = sourceFiles(join(root, 'src'));
/** The modules worker threads start from: each name given to startWorker, or as a reader's worker. */
const started = new Set(
  all.flatMap((f) =>
    [
      ...readFileSync(f, 'utf8').matchAll(/startWorker\([^,]+,\s*'([a-z-]+)'\)|name: '([a-z-]+-thread)'/g),
    ].map((m) => join(dirname(f), `${m[1] ?? m[2]}.ts`)),
  ),
);
const workers = all.filter((f) => started.has(f));

describe('worker threads', () => {
  it('are found: the module of every name a worker thread starts from', () => {
    expect([...started].every((f) => all.includes(f))).toBe(true);
    expect(workers.map((f) => relative(root, f)).sort()).toEqual(
      expect.arrayContaining([
        'src/model/boost/worker.ts',
        'src/io/billing-worker.ts',
        'src/model/contributions-worker.ts',
        'src/model/worker.ts',
        'src/pipeline/cdr-thread.ts',
        'src/segment/choice-worker.ts',
      ]),
    );
  });

  it.each(workers.map((f) => [relative(root, f)]))('%s loads no config schema', (file) => {
    expect(chainTo(resolve(root, file), join(root, 'src/config.ts'))).toBeNull();
  });
});
