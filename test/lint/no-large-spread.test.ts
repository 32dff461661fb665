/**
 * No call in src/ takes a spread argument (`push(...rows)`, `Math.max(...values)`,
 * `String.fromCharCode(...bytes)`): each spread element becomes one call argument on the stack, and a
 * few hundred thousand of them end in "Maximum call stack size exceeded". Loops or typed arrays do
 * the same work in constant stack. The parser is TypeScript's own, so multi-line calls, comments and
 * strings are read as code reads them.
 *
 * The allow-list names spreads of small, bounded lists (a header's column names, a few chart bars),
 * each with the reason it stays bounded; an entry no longer found fails too, so the list stays true.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../helpers/source-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Spread {
  /** file:line, 1-based. */
  readonly at: string;
  readonly file: string;
  /** Callee and spread expression as written, whitespace collapsed: `report.notices.push(...first.notices)`. */
  readonly call: string;
}

// biome-ignore format: column-aligned table
const ALLOWED: readonly { file: string; call: string | RegExp; why: string }[] = [
  { file: 'src/io/cdr/read.ts',     call: 'report.ignoredColumns.push(...extra)',               why: "extra column names of one file's header" },
  { file: 'src/io/cdr/run.ts',      call: 'report.ignoredColumns.push(...first.ignoredColumns)', why: "extra column names of one file's header" },
  { file: 'src/io/cdr/run.ts',      call: 'report.notices.push(...first.notices)',               why: "a file's notices: one per kind of problem, not per row" },
  { file: 'src/targets/actions.ts', call: 'Math.min(...list.map((a) => a.due_days))',            why: 'the configured actions of one stage and tier' },
  { file: 'src/config.ts',          call: /\.superRefine\( \.\.\.across</,                          why: "across() returns superRefine's two arguments" },
  { file: 'src/features/coverage.ts', call: 'Math.max(0, ...Object.values(mine))',              why: "one value per feature family's look-back" },
  { file: 'src/io/outcomes.ts',     call: 'report.ignoredColumns.push(...ignored)',             why: "extra column names of one file's header" },
  { file: 'src/io/output-dir.ts',   call: "join(dir, ...f.split('/'))",                         why: "the parts of one relative path" },
  { file: 'src/io/run-manifest.ts', call: "join(dir, ...path.split('/'))",                      why: "the parts of one relative path" },
  { file: 'src/io/scored-folder.ts', call: /^join\(dir, \.\.\.[A-Za-z_]+\.split\('\/'\)\)$/,        why: "the parts of one relative path" },
  { file: 'src/pipeline/merge.ts',  call: 'problems.push(...(columns.length > 0 ? columns : rowProblems(p)))', why: 'the problems of one shard, at most a few lines' },
  { file: 'src/report/effect-text.ts', call: /^(Math\.max\(12, |lines\.push\()/,                 why: 'one row per tier, segment, trigger or action' },
  { file: 'src/report/model-card.ts', call: /^(Math\.max\(h\.length, |out\.push\()/,               why: 'one row per metric block, feature shown or segment' },
];

const matches = (a: (typeof ALLOWED)[number], s: Spread) =>
  a.file === s.file && (typeof a.call === 'string' ? a.call === s.call : a.call.test(s.call));

/** Every call or `new` with a spread argument in one file's text. */
function findSpreads(file: string, text: string): Spread[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Spread[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments?.some(ts.isSpreadElement)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ at: `${file}:${line}`, file, call: node.getText(source).replace(/\s+/g, ' ') });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const spreads = sourceFiles(join(root, 'src')).flatMap((path) =>
  findSpreads(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8')),
);
const allowed = (s: Spread) => ALLOWED.some((a) => matches(a, s));

describe('no spread of a possibly large array into a call', () => {
  it('finds the spreads it is meant to find', () => {
    const sample = [
      'rows.push(...more);',
      'const top = Math.max(',
      '  0,',
      '  ...scores,',
      ');',
      'const s = String.fromCharCode(...bytes); // and a comment: x.push(...y)',
      "const t = 'push(...quoted)';",
      'const ok = [...rows].sort(); f({ ...opts });',
    ].join('\n');
    expect(findSpreads('sample.ts', sample).map((s) => s.at)).toEqual([
      'sample.ts:1',
      'sample.ts:2',
      'sample.ts:6',
    ]);
  });

  it('src/ spreads nothing into a call but the allow-listed small lists', () => {
    const offending = spreads.filter((s) => !allowed(s)).map((s) => `${s.at}: ${s.call}`);
    expect(offending, 'replace the spread with a loop, or allow-list a bounded list with a reason').toEqual(
      [],
    );
  });

  it('every allow-list entry still matches a spread in src/', () => {
    const stale = ALLOWED.filter((a) => !spreads.some((s) => matches(a, s)));
    expect(stale).toEqual([]);
  });
});
