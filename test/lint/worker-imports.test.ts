/**
 * A worker thread starts by loading its entry module and everything that imports at run time. The
 * config schema (src/config.ts) pulls in zod, about 0.15 s of loading on this machine, and a worker is
 * always handed the settings it needs: no worker entry may reach src/config.ts through run-time
 * imports (`import type` and type-only specifiers are erased by the compiler and load nothing).
 * The parser is TypeScript's own.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../helpers/source-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The src/ files a module loads at run time: imports and re-exports that are not type-only. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const s of source.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(s)) {
      const clause = s.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) spec = s.moduleSpecifier;
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) {
      const only =
        s.exportClause !== undefined &&
        ts.isNamedExports(s.exportClause) &&
        s.exportClause.elements.length > 0 &&
        s.exportClause.elements.every((e) => e.isTypeOnly);
      if (!only) spec = s.moduleSpecifier;
    }
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.'))
      out.push(resolve(dirname(file), spec.text.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** The chain of run-time imports from `entry` to `target`, or null when it does not reach it. */
function chainTo(entry: string, target: string): string[] | null {
  const from = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (file === target) {
      const chain: string[] = [];
      for (let at: string | null = file; at !== null; at = from.get(at)!) chain.unshift(relative(root, at));
      return chain;
    }
    for (const next of runtimeImports(file)) {
      if (from.has(next)) continue;
      from.set(next, file);
      queue.push(next);
    }
  }
  return null;
}

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
