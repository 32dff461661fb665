/**
 * topDrivers split by rows over threads: every row is computed by the same code as in-process, so the
 * drivers and raw outputs are the same whatever the thread count. The columns go to the workers in
 * shared memory and the explainer's arrays once per worker; rows then go out in chunks, taken by
 * whichever thread is free: the calling thread works too (so a run does not wait for a worker to
 * start, and one worker fewer is started), and a core slowed by other work takes fewer chunks.
 */
import { WorkerPool } from '../worker-pool.js';
import { sharedColumns, startWorker, threadsFor } from '../workers.js';
import { type Drivers, type Explainer, type FeatureGroups, topDrivers } from './contributions.js';
import type { FeatureMatrix } from './types.js';

/** Below this many rows starting workers costs more than it saves. */
export const PARALLEL_DRIVERS_MIN_ROWS = 50_000;

/** What every chunk of a run reads: posted once to each worker. */
export interface DriversSetup {
  readonly explainer: Explainer;
  readonly columns: readonly Float64Array[];
  readonly names: readonly string[];
  readonly k: number;
  readonly groups: FeatureGroups;
}

export type ToDriversWorker =
  | { readonly kind: 'setup'; readonly setup: DriversSetup }
  | { readonly kind: 'rows'; readonly start: number; readonly end: number };

export type DriversReply =
  | {
      kind: 'drivers';
      start: number;
      group: Int32Array;
      amount: Float64Array;
      speaker: Int32Array;
      output: Float64Array;
    }
  | { kind: 'error'; message: string; stack?: string };

/** The rows start..end-1 of a run (on a worker, or on the calling thread). */
export function runDriversRows(setup: DriversSetup, start: number, end: number): Drivers {
  const X: FeatureMatrix = {
    nRows: setup.columns[0]?.length ?? 0,
    names: setup.names,
    columns: setup.columns,
  };
  const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
  return topDrivers(setup.explainer, X, setup.k, setup.groups, rows);
}

/**
 * Rows a worker takes at a time: at least 4 chunks a thread, so the threads finish together, and at
 * most 16,384 rows. The calling thread takes an eighth of that, so a worker's finished chunk waits
 * little for the calling thread to hand it the next one.
 */
function chunkRows(nRows: number, threads: number): number {
  return Math.max(1024, Math.min(16384, Math.ceil(nRows / (4 * threads))));
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Each row's top drivers, on `threads` threads (0 = all cores): the calling thread and threads − 1
 * workers. The calling thread starts its rows only after the caller's current turn ends, so work the
 * caller does meanwhile runs while the workers start.
 */
export async function topDriversParallel(
  ex: Explainer,
  X: FeatureMatrix,
  k: number,
  groups: FeatureGroups,
  threads = 0,
  minRows = PARALLEL_DRIVERS_MIN_ROWS,
): Promise<Drivers> {
  const n = threadsFor(threads, Math.ceil(X.nRows / 1000));
  if (n <= 1 || X.nRows < minRows) return topDrivers(ex, X, k, groups);
  const setup: DriversSetup = {
    explainer: ex,
    columns: sharedColumns(X.columns, X.nRows),
    names: X.names,
    k,
    groups,
  };
  const out: Drivers = {
    k,
    group: new Int32Array(X.nRows * k),
    amount: new Float64Array(X.nRows * k),
    speaker: new Int32Array(X.nRows * k),
    output: new Float64Array(X.nRows),
  };
  const put = (d: Omit<Drivers, 'k'>, start: number) => {
    out.group.set(d.group, start * k);
    out.amount.set(d.amount, start * k);
    out.speaker.set(d.speaker, start * k);
    out.output.set(d.output, start);
  };
  const chunk = chunkRows(X.nRows, n);
  const own = Math.max(256, chunk >> 3);
  let next = 0;
  const take = (size: number) => {
    const start = next;
    next = Math.min(X.nRows, start + size);
    return { start, end: next };
  };
  const pool = new WorkerPool<ToDriversWorker, DriversReply>(
    n - 1,
    () => {
      const w = startWorker(import.meta.url, 'contributions-worker');
      w.postMessage({ kind: 'setup', setup } satisfies ToDriversWorker);
      return w;
    },
    {
      failed: (_job, f) => `contributions worker failed: ${f.message}`,
      crashed: (message) => `contributions worker failed: ${message}`,
      exited: (code) => `contributions worker exited early with code ${code}`,
    },
  );
  const worker = async () => {
    try {
      while (next < X.nRows) {
        const reply = await pool.run({ kind: 'rows', ...take(chunk) });
        put(reply, reply.start);
      }
    } catch (err) {
      next = X.nRows; // the run has failed: no thread takes more rows
      throw err;
    }
  };
  const caller = async () => {
    await nextTurn();
    while (next < X.nRows) {
      const { start, end } = take(own);
      put(runDriversRows(setup, start, end), start);
      // Lets the workers' replies in, so each gets its next chunk.
      await nextTurn();
    }
  };
  try {
    await Promise.all([caller(), ...Array.from({ length: n - 1 }, worker)]);
  } finally {
    await pool.terminate();
  }
  return out;
}
