/**
 * The command line's entry loads only what parsing the command line needs: `retain --help`, a usage
 * error or a cron job's first log line wait for no table reader or writer. Apache Arrow, the Parquet
 * reader and the config schema (zod) took about 0.45 s of a 0.68 s `retain --version` when the entry
 * loaded them; each command loads what it needs when it runs (commands/*.ts, imported lazily by
 * program.ts), and the nightly `score` and `train` load the Arrow and Parquet readers only when a file
 * of those formats is read or written.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chainTo, runtimeImports } from '../helpers/runtime-imports.js';
import { sourceFiles } from '../helpers/source-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const entry = join(root, 'src/cli/main.ts');
const HEAVY = ['apache-arrow', 'hyparquet', 'zod'];

/** The src/ files that import one of the heavy packages at run time. */
const heavy = sourceFiles(join(root, 'src')).filter((f) =>
  HEAVY.some((pkg) => new RegExp(`^import (?!type )[^;]*from '${pkg}`, 'm').test(readFileSync(f, 'utf8'))),
);

/** The chains of run-time imports from `from` to each module that imports `pkg`. */
const chainsTo = (from: string, pkg: string): string[][] =>
  heavy
    .filter((f) => readFileSync(f, 'utf8').includes(`from '${pkg}`))
    .map((f) => chainTo(from, f))
    .filter((chain) => chain !== null);

describe('the command-line entry', () => {
  it('finds the modules that load the table readers and the config schema', () => {
    expect(heavy.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(['src/config.ts', 'src/io/arrow-records.ts', 'src/io/parquet-records.ts']),
    );
    // The entry does reach commands through program.ts, but only by dynamic import.
    expect(runtimeImports(entry).map((f) => relative(root, f))).toContain('src/cli/program.ts');
  });

  it.each(HEAVY)('loads no module that imports %s', (pkg) => {
    expect(chainsTo(entry, pkg)).toEqual([]);
  });

  it.each(['score', 'train'])(
    '%s loads the Arrow and Parquet readers only when it reads or writes such a file',
    (command) => {
      const file = join(root, `src/cli/commands/${command}.ts`);
      expect([...chainsTo(file, 'apache-arrow'), ...chainsTo(file, 'hyparquet')]).toEqual([]);
    },
  );
});
