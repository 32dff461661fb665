/**
 * Runs tree jobs on worker threads (or in-process for one thread). Trees are handed out one index at a
 * time and collected by index, so the forest is the same whatever the thread count.
 */
import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import type { OnProgress } from './types.js';
import { createTreeRunner, type TreeJob, type TreeResult } from './worker-core.js';

export interface TreeRun {
  readonly results: TreeResult[];
  readonly oobSum: Float64Array;
  readonly oobCount: Int32Array;
}

/** Messages between the pool and a worker. */
export type ToWorker = { kind: 'job'; job: TreeJob } | { kind: 'tree'; index: number } | { kind: 'finish' };
export type FromWorker =
  | { kind: 'tree'; result: TreeResult }
  | { kind: 'done'; oobSum: Float64Array; oobCount: Int32Array }
  | { kind: 'error'; message: string; stack?: string };

function runInProcess(job: TreeJob, trees: number, onProgress?: OnProgress): TreeRun {
  const runner = createTreeRunner(job);
  const results: TreeResult[] = [];
  for (let i = 0; i < trees; i++) {
    results.push(runner.grow(i));
    onProgress?.(i + 1, trees);
  }
  return { results, oobSum: runner.oobSum, oobCount: runner.oobCount };
}

/**
 * Starts the worker script next to this module: the compiled .js in the package; from TypeScript
 * sources (tests, tsx scripts) the .ts one, after registering tsx's loader inside the new thread
 * (a worker does not inherit the parent's loader hooks).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  const url = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { eval: true });
}

export function runTrees(
  job: TreeJob,
  trees: number,
  threads: number,
  onProgress?: OnProgress,
): Promise<TreeRun> {
  if (threads <= 1) return Promise.resolve(runInProcess(job, trees, onProgress));
  const nWorkers = Math.min(threads, trees);
  const results: TreeResult[] = new Array(trees);
  const oobSum = new Float64Array(job.data.nRows);
  const oobCount = new Int32Array(job.data.nRows);
  return new Promise<TreeRun>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    const finished = new Set<Worker>();
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const handOut = (w: Worker): void => {
      if (next < trees) w.postMessage({ kind: 'tree', index: next++ } satisfies ToWorker);
      else w.postMessage({ kind: 'finish' } satisfies ToWorker);
    };
    for (let k = 0; k < nWorkers; k++) {
      const w = startWorker();
      workers.push(w);
      w.on('message', (msg: FromWorker) => {
        if (failed) return;
        switch (msg.kind) {
          case 'tree':
            results[msg.result.index] = msg.result;
            done++;
            onProgress?.(done, trees);
            handOut(w);
            return;
          case 'done':
            // Integer-valued sums: the order workers report in does not change the result.
            for (let i = 0; i < oobSum.length; i++) {
              oobSum[i]! += msg.oobSum[i]!;
              oobCount[i]! += msg.oobCount[i]!;
            }
            finished.add(w);
            void w.terminate();
            if (finished.size === nWorkers) resolve({ results, oobSum, oobCount });
            return;
          case 'error': {
            const cause = new Error(msg.message);
            if (msg.stack) cause.stack = msg.stack;
            fail(new InternalError(`forest worker failed: ${msg.message}`, { cause }));
            return;
          }
        }
      });
      w.on('error', (error) =>
        fail(new InternalError(`forest worker failed: ${error.message}`, { cause: error })),
      );
      w.on('exit', (code) => {
        if (!finished.has(w) && !failed)
          fail(new InternalError(`forest worker exited early with code ${code}`));
      });
      w.postMessage({ kind: 'job', job } satisfies ToWorker);
      handOut(w);
    }
  });
}
