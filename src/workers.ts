/**
 * Starting a worker thread from a module next to the caller: the compiled .js in the package; from
 * TypeScript sources (tests, tsx scripts) the .ts one, after registering tsx's loader inside the new
 * thread (a worker does not inherit the parent's loader hooks).
 */
import { Worker } from 'node:worker_threads';
import { usableCores } from './cores.js';

/** `callerUrl` is the caller's import.meta.url; `name` the worker module's name without extension. */
export function startWorker(callerUrl: string, name: string): Worker {
  // A compiled worker needs no node option. Given none, it neither loads the TypeScript loader a
  // parent runs under (scripts, tests) nor is refused for an option a thread cannot take: node
  // refuses a worker whose options name one (`--max-old-space-size`), while V8's flags reach it anyway.
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { execArgv: [] });
  const url = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { eval: true });
}

/**
 * The one reading of a `threads` setting: 0 = every core this process may use (`usableCores`: its
 * affinity, within its cgroup's CPU quota), otherwise the number given; never more than `pieces`, the units of work
 * there are to share (trees, row blocks), and at least 1.
 */
export function threadsFor(requested: number, pieces = Number.POSITIVE_INFINITY): number {
  const wanted = requested === 0 ? usableCores() : requested;
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
