/**
 * topDrivers split by rows over threads: every row is computed by the same code as in-process, so the
 * drivers and raw outputs are the same whatever the thread count. The columns and the drivers live in
 * shared memory and the explainer's arrays go once to each worker; every thread then takes chunks of
 * rows from one shared cursor until none is left, with no message per chunk. The calling thread
 * works too, so a run does not wait for a worker to start and one worker fewer is started, and a
 * core slowed by other work takes fewer chunks.
 */
import { WorkerPool } from '../worker-pool.js';
import { sharedColumns, startWorker } from '../workers.js';
import { type Drivers, type FeatureGroups, topDrivers } from './drivers.js';
import { type Explainer, walkSteps } from './explain-walk.js';
import { PARALLEL_WALK_MIN_STEPS, walkThreads } from './threads.js';
import type { FeatureMatrix } from './types.js';

/** A run's rows and where their drivers go, shared by every thread: posted once to each worker. */
export interface DriversRun {
  readonly explainer: Explainer;
  readonly columns: readonly Float64Array[];
  readonly names: readonly string[];
  readonly k: number;
  readonly groups: FeatureGroups;
  /** Rows a thread takes at a time. */
  readonly chunk: number;
  /** The next row not yet taken (one Int32 in shared memory; each thread takes rows with Atomics.add). */
  readonly cursor: Int32Array;
  /** The drivers of every row, each written once by the thread that took its chunk (shared memory). */
  readonly out: Drivers;
}

export type DriversReply = { kind: 'done' } | { kind: 'error'; message: string; stack?: string };

/** Rows a thread takes at a time: one block of the walk (explain-walk.ts), so it walks as in-process. */
const CHUNK_ROWS = 4096;

/** Takes chunks of rows until none is left, writing each row's drivers to `run.out`. */
export function runDriverChunks(run: DriversRun): void {
  const { columns, out, k, chunk } = run;
  const nRows = out.output.length;
  const X: FeatureMatrix = { nRows: columns[0]?.length ?? 0, names: run.names, columns };
  for (;;) {
    const start = Atomics.add(run.cursor, 0, chunk);
    if (start >= nRows) return;
    const end = Math.min(nRows, start + chunk);
    const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
    const d = topDrivers(run.explainer, X, k, run.groups, rows);
    out.group.set(d.group, start * k);
    out.amount.set(d.amount, start * k);
    out.speaker.set(d.speaker, start * k);
    out.output.set(d.output, start);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const shared = <T>(make: new (b: SharedArrayBuffer) => T, n: number, bytes: number): T =>
  new make(new SharedArrayBuffer(n * bytes));

/**
 * Each row's top drivers, on `threads` threads (0 = all cores): the calling thread and threads − 1
 * workers, when the walk is long enough to pay for them (threads.ts walkThreads), else in-process.
 * The calling thread starts its rows only after the caller's current turn ends, so work the caller
 * does meanwhile runs while the workers start.
 */
export async function topDriversParallel(
  ex: Explainer,
  X: FeatureMatrix,
  k: number,
  groups: FeatureGroups,
  threads = 0,
  minSteps = PARALLEL_WALK_MIN_STEPS,
): Promise<Drivers> {
  const n = walkThreads(threads, X.nRows, walkSteps(ex), CHUNK_ROWS, minSteps);
  if (n <= 1) return topDrivers(ex, X, k, groups);
  const m = X.nRows * k;
  const run: DriversRun = {
    explainer: ex,
    columns: sharedColumns(X.columns, X.nRows),
    names: X.names,
    k,
    groups,
    chunk: CHUNK_ROWS,
    cursor: shared(Int32Array, 1, 4),
    out: {
      k,
      group: shared(Int32Array, m, 4),
      amount: shared(Float64Array, m, 8),
      speaker: shared(Int32Array, m, 4),
      output: shared(Float64Array, X.nRows, 8),
    },
  };
  const pool = new WorkerPool<DriversRun, DriversReply>(
    n - 1,
    () => startWorker(import.meta.url, 'contributions-worker'),
    {
      failed: (_job, f) => `contributions worker failed: ${f.message}`,
      crashed: (message) => `contributions worker failed: ${message}`,
      exited: (code) => `contributions worker exited early with code ${code}`,
    },
  );
  try {
    const workers = Array.from({ length: n - 1 }, () => pool.run(run));
    // A failed worker fails the run at once; the calling thread's rows are then not waited for.
    const failed = Promise.all(workers);
    failed.catch(() => {});
    await nextTurn();
    runDriverChunks(run);
    await failed;
  } finally {
    await pool.terminate();
  }
  const { out } = run;
  return {
    k,
    group: Int32Array.from(out.group),
    amount: Float64Array.from(out.amount),
    speaker: Int32Array.from(out.speaker),
    output: Float64Array.from(out.output),
  };
}
