/**
 * Runs tree jobs on worker threads (or in-process for one thread). Trees are handed out one index at a
 * time and collected by index, so the forest is the same whatever the thread count.
 */
import { type PoolTexts, WorkerPool } from '../worker-pool.js';
import { sharedColumns, startWorker, threadsFor } from '../workers.js';
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
  | { kind: 'predict'; forest: PackedForest; columns: Float64Array[]; out: Float64Array; count?: boolean }
  | { kind: 'rows'; start: number; end: number }
  | { kind: 'leafHits' };
export type FromWorker =
  | { kind: 'tree'; result: TreeResult }
  | { kind: 'rows' }
  | { kind: 'leafHits'; hits: Uint32Array }
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

export async function runTrees(
  job: TreeJob,
  trees: number,
  threads: number,
  onProgress?: OnProgress,
): Promise<TreeRun> {
  if (threads <= 1) return runInProcess(job, trees, onProgress);
  const results: TreeResult[] = new Array(trees);
  const oobSum = new Float64Array(job.data.nRows);
  const oobCount = new Int32Array(job.data.nRows);
  const pool = new WorkerPool<ToWorker, FromWorker>(
    Math.min(threads, trees),
    () => {
      const w = startWorker(import.meta.url, 'worker');
      w.postMessage({ kind: 'job', job } satisfies ToWorker);
      return w;
    },
    poolTexts('forest worker'),
  );
  try {
    let done = 0;
    await Promise.all(
      Array.from({ length: trees }, async (_, index) => {
        const reply = (await pool.run({ kind: 'tree', index })) as Extract<FromWorker, { kind: 'tree' }>;
        results[reply.result.index] = reply.result;
        onProgress?.(++done, trees);
      }),
    );
    // Integer-valued sums: the order workers report in does not change the result.
    for (const reply of await pool.runOnEach({ kind: 'finish' })) {
      const totals = reply as Extract<FromWorker, { kind: 'done' }>;
      for (let i = 0; i < oobSum.length; i++) {
        oobSum[i]! += totals.oobSum[i]!;
        oobCount[i]! += totals.oobCount[i]!;
      }
    }
  } finally {
    await pool.terminate();
  }
  return { results, oobSum, oobCount };
}

/** The words of a tree pool's errors: `name` failed, or exited early. */
function poolTexts(name: string): PoolTexts<ToWorker> {
  return {
    failed: (_job, f) => `${name} failed: ${f.message}`,
    crashed: (message) => `${name} failed: ${message}`,
    exited: (code) => `${name} exited early with code ${code}`,
  };
}

/**
 * Rows handed to a worker at a time: at least 4 chunks a worker so a core slowed by other work gets
 * fewer, and at most 32,768 rows so messages stay rare next to the work.
 */
function chunkRows(nRows: number, threads: number): number {
  return Math.max(1024, Math.min(32768, Math.ceil(nRows / (4 * threads))));
}

/**
 * Steps of a tree walk (rows × nodes each row passes, explain-walk.ts walkSteps) below which starting
 * worker threads costs more than it saves. A worker costs about 0.25 CPU s to start and feed, and a
 * step about 11 ns: the shipped boosted model (141 trees, 1,035 steps a row) walks 94,080 subscribers
 * in 97 million steps, 1.35-1.48 s on one thread and 1.13-1.17 s on two (the predict phase of
 * `retain score`, in turns); a boosted model of 23 trees takes 20 million steps and 0.3 CPU s, less
 * on one thread than on two. Half the shipped model's walk is about where two threads break even.
 */
export const PARALLEL_WALK_MIN_STEPS = 50_000_000;

/**
 * Threads for a walk of `rows` rows of `stepsPerRow` steps each: `requested` (0 = all cores, at most
 * one per `chunkRows` rows) when the walk takes at least `minSteps` steps, else one.
 */
export function walkThreads(
  requested: number,
  rows: number,
  stepsPerRow: number,
  chunkRows: number,
  minSteps = PARALLEL_WALK_MIN_STEPS,
): number {
  if (rows * stepsPerRow < minSteps) return 1;
  return threadsFor(requested, Math.ceil(rows / chunkRows));
}

/** Below this many rows starting prediction workers costs more than it saves: predict in-process. */
export const PARALLEL_PREDICT_MIN_ROWS = 100_000;

/**
 * Predicts on worker threads: the columns go to every worker in shared memory (copied there once
 * unless they already are), the packed forest once per worker, then row chunks one at a time. Every
 * row is computed by the same code as in-process, so the result is the same bit for bit.
 */
export async function predictOnThreads(
  forest: PackedForest,
  columns: readonly Float64Array[],
  nRows: number,
  threads: number,
): Promise<Float64Array> {
  return (await walkOnThreads(forest, columns, nRows, threads, false)).scores;
}

/**
 * predictOnThreads that also counts, per leaf of the packed forest, the rows reaching it (covers.ts):
 * each worker counts its chunks, and the integer counts are summed, so neither the scores nor the
 * counts depend on the thread count.
 */
export async function predictCountingOnThreads(
  forest: PackedForest,
  columns: readonly Float64Array[],
  nRows: number,
  threads: number,
): Promise<{ scores: Float64Array; leafHits: Uint32Array }> {
  const { scores, leafHits } = await walkOnThreads(forest, columns, nRows, threads, true);
  return { scores, leafHits: leafHits! };
}

async function walkOnThreads(
  forest: PackedForest,
  columns: readonly Float64Array[],
  nRows: number,
  threads: number,
  count: boolean,
): Promise<{ scores: Float64Array; leafHits: Uint32Array | null }> {
  const chunk = chunkRows(nRows, threads);
  const nWorkers = Math.min(threads, Math.ceil(nRows / chunk));
  const leafHits = count ? new Uint32Array(forest.leaves.length) : null;
  if (nWorkers <= 1) {
    const out = new Float64Array(nRows);
    predictPacked(forest, columns, 0, nRows, out, leafHits);
    return { scores: out, leafHits };
  }
  const cols = sharedColumns(columns, nRows);
  const out = new Float64Array(new SharedArrayBuffer(nRows * 8));
  const pool = new WorkerPool<ToWorker, FromWorker>(
    nWorkers,
    () => {
      const w = startWorker(import.meta.url, 'worker');
      w.postMessage({ kind: 'predict', forest, columns: cols, out, count } satisfies ToWorker);
      return w;
    },
    poolTexts('forest prediction worker'),
  );
  try {
    const chunks: Promise<unknown>[] = [];
    for (let start = 0; start < nRows; start += chunk)
      chunks.push(pool.run({ kind: 'rows', start, end: Math.min(nRows, start + chunk) }));
    await Promise.all(chunks);
    if (leafHits) {
      for (const reply of await pool.runOnEach({ kind: 'leafHits' })) {
        const { hits } = reply as Extract<FromWorker, { kind: 'leafHits' }>;
        for (let l = 0; l < hits.length; l++) leafHits[l]! += hits[l]!;
      }
    }
  } finally {
    await pool.terminate();
  }
  return { scores: Float64Array.from(out), leafHits };
}
