/**
 * Runs tree jobs on worker threads (or in-process for one thread). Trees are handed out one index at a
 * time and collected by index, so the forest is the same whatever the thread count.
 */
import type { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import { startWorker } from '../workers.js';
import { type PackedForest, predictPacked } from './tree.js';
import type { OnProgress } from './types.js';
import { createTreeRunner, type TreeJob, type TreeResult } from './worker-core.js';

export interface TreeRun {
  readonly results: TreeResult[];
  readonly oobSum: Float64Array;
  readonly oobCount: Int32Array;
}

/** Messages between the pool and a worker. */
export type ToWorker =
  | { kind: 'job'; job: TreeJob }
  | { kind: 'tree'; index: number }
  | { kind: 'finish' }
  | { kind: 'predict'; forest: PackedForest; columns: Float64Array[]; out: Float64Array }
  | { kind: 'rows'; start: number; end: number };
export type FromWorker =
  | { kind: 'tree'; result: TreeResult }
  | { kind: 'rows' }
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
      const w = startWorker(import.meta.url, 'worker');
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

/**
 * Rows handed to a worker at a time: at least 4 chunks a worker so a core slowed by other work gets
 * fewer, and at most 32,768 rows so messages stay rare next to the work.
 */
function chunkRows(nRows: number, threads: number): number {
  return Math.max(1024, Math.min(32768, Math.ceil(nRows / (4 * threads))));
}

function shared(columns: readonly Float64Array[], nRows: number): Float64Array[] {
  if (columns.every((c) => c.buffer instanceof SharedArrayBuffer)) return [...columns];
  const buffer = new SharedArrayBuffer(columns.length * nRows * 8);
  return columns.map((c, f) => {
    const copy = new Float64Array(buffer, f * nRows * 8, nRows);
    copy.set(c.subarray(0, nRows));
    return copy;
  });
}

/**
 * Predicts on worker threads: the columns go to every worker in shared memory (copied there once
 * unless they already are), the packed forest once per worker, then row chunks one at a time. Every
 * row is computed by the same code as in-process, so the result is the same bit for bit.
 */
export function predictOnThreads(
  forest: PackedForest,
  columns: readonly Float64Array[],
  nRows: number,
  threads: number,
): Promise<Float64Array> {
  const chunk = chunkRows(nRows, threads);
  const nWorkers = Math.min(threads, Math.ceil(nRows / chunk));
  if (nWorkers <= 1) {
    const out = new Float64Array(nRows);
    predictPacked(forest, columns, 0, nRows, out);
    return Promise.resolve(out);
  }
  const cols = shared(columns, nRows);
  const out = new Float64Array(new SharedArrayBuffer(nRows * 8));
  return new Promise<Float64Array>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let pending = 0;
    let settled = false;
    const stop = (): void => {
      settled = true;
      for (const w of workers) void w.terminate();
    };
    const fail = (error: Error): void => {
      if (settled) return;
      stop();
      reject(error);
    };
    const handOut = (w: Worker): void => {
      if (next >= nRows) {
        if (pending === 0 && !settled) {
          stop();
          resolve(Float64Array.from(out));
        }
        return;
      }
      const end = Math.min(nRows, next + chunk);
      pending++;
      w.postMessage({ kind: 'rows', start: next, end } satisfies ToWorker);
      next = end;
    };
    for (let k = 0; k < nWorkers; k++) {
      const w = startWorker(import.meta.url, 'worker');
      workers.push(w);
      w.on('message', (msg: FromWorker) => {
        if (settled) return;
        if (msg.kind === 'rows') {
          pending--;
          handOut(w);
        } else if (msg.kind === 'error') {
          const cause = new Error(msg.message);
          if (msg.stack) cause.stack = msg.stack;
          fail(new InternalError(`forest prediction worker failed: ${msg.message}`, { cause }));
        }
      });
      w.on('error', (error) =>
        fail(new InternalError(`forest prediction worker failed: ${error.message}`, { cause: error })),
      );
      w.on('exit', (code) => {
        if (!settled) fail(new InternalError(`forest prediction worker exited early with code ${code}`));
      });
      w.postMessage({ kind: 'predict', forest, columns: cols, out } satisfies ToWorker);
      handOut(w);
    }
  });
}
