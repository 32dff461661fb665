/**
 * topDrivers split by rows over worker threads: every row is computed by the same code as in-process,
 * so the drivers and raw outputs are the same whatever the thread count. The columns go to the workers in shared
 * memory, the explainer's arrays once per worker, one contiguous run of rows each.
 */
import { WorkerPool } from '../worker-pool.js';
import { sharedColumns, startWorker, threadsFor } from '../workers.js';
import { type Drivers, type Explainer, type FeatureGroups, topDrivers } from './contributions.js';
import type { FeatureMatrix } from './types.js';

/** Below this many rows starting workers costs more than it saves. */
export const PARALLEL_DRIVERS_MIN_ROWS = 50_000;

export interface DriversJob {
  readonly explainer: Explainer;
  readonly columns: readonly Float64Array[];
  readonly names: readonly string[];
  readonly k: number;
  readonly groups: FeatureGroups;
  readonly start: number;
  readonly end: number;
}

export type DriversReply =
  | { kind: 'drivers'; group: Int32Array; amount: Float64Array; speaker: Int32Array; output: Float64Array }
  | { kind: 'error'; message: string; stack?: string };

/** The rows start..end-1 of a job (run in a worker, or in-process by tests). */
export function runDriversJob(job: DriversJob): Drivers {
  const X: FeatureMatrix = { nRows: job.columns[0]?.length ?? 0, names: job.names, columns: job.columns };
  const rows = Int32Array.from({ length: job.end - job.start }, (_, i) => job.start + i);
  return topDrivers(job.explainer, X, job.k, job.groups, rows);
}

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
  const columns = sharedColumns(X.columns, X.nRows);
  const out: Drivers = {
    k,
    group: new Int32Array(X.nRows * k),
    amount: new Float64Array(X.nRows * k),
    speaker: new Int32Array(X.nRows * k),
    output: new Float64Array(X.nRows),
  };
  const size = Math.ceil(X.nRows / n);
  const pool = new WorkerPool<DriversJob, DriversReply>(
    n,
    () => startWorker(import.meta.url, 'contributions-worker'),
    {
      failed: (_job, f) => `contributions worker failed: ${f.message}`,
      crashed: (message) => `contributions worker failed: ${message}`,
      exited: (code) => `contributions worker exited early with code ${code}`,
    },
  );
  try {
    await Promise.all(
      Array.from({ length: n }, async (_, w) => {
        const start = w * size;
        const end = Math.min(X.nRows, start + size);
        const reply = await pool.run({ explainer: ex, columns, names: X.names, k, groups, start, end });
        out.group.set(reply.group, start * k);
        out.amount.set(reply.amount, start * k);
        out.speaker.set(reply.speaker, start * k);
        out.output.set(reply.output, start);
      }),
    );
  } finally {
    await pool.terminate();
  }
  return out;
}
