/**
 * Starting a worker thread from a module next to the caller: the compiled .js in the package; from
 * TypeScript sources (tests, tsx scripts) the .ts one, after registering tsx's loader inside the new
 * thread (a worker does not inherit the parent's loader hooks).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** `callerUrl` is the caller's import.meta.url; `name` the worker module's name without extension. */
export function startWorker(callerUrl: string, name: string): Worker {
  if (!callerUrl.endsWith('.ts'))
    return new Worker(new URL(`./${name}.js`, callerUrl), { execArgv: withoutLoaders(process.execArgv) });
  const url = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { eval: true });
}

/**
 * The parent's node options without module loader hooks (`--import`, `--require`, `--loader`): a
 * compiled worker needs none, and a TypeScript loader the parent runs under (scripts, tests) would
 * slow the worker's start.
 */
export function withoutLoaders(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if (/^--(import|require|loader|experimental-loader)$/.test(a) || a === '-r') i++;
    else if (!/^--(import|require|loader|experimental-loader)=/.test(a)) out.push(a);
  }
  return out;
}

/**
 * The one reading of a `threads` setting: 0 = every core this process may use
 * (`availableParallelism`), otherwise the number given; never more than `pieces`, the units of work
 * there are to share (trees, row blocks), and at least 1.
 */
export function threadsFor(requested: number, pieces = Number.POSITIVE_INFINITY): number {
  const wanted = requested === 0 ? availableParallelism() : requested;
  return Math.max(1, Math.min(wanted, pieces));
}

/**
 * The first `nRows` values of each column in shared memory, so worker threads read them without a
 * copy each: the columns themselves when they already are, else one SharedArrayBuffer holding them all.
 */
export function sharedColumns(columns: readonly Float64Array[], nRows: number): Float64Array[] {
  if (columns.every((c) => c.buffer instanceof SharedArrayBuffer)) return [...columns];
  const buffer = new SharedArrayBuffer(columns.length * nRows * 8);
  return columns.map((c, f) => {
    const copy = new Float64Array(buffer, f * nRows * 8, nRows);
    copy.set(c.subarray(0, nRows));
    return copy;
  });
}
