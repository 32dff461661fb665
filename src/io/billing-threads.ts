/**
 * Billing files read ahead on worker threads, one file at a time each, so several files are parsed
 * at once while billing.ts merges them in file order. Each part is what readBillingPart gives
 * in-process, so the table does not depend on the thread count.
 */
import { type WorkerFailure, WorkerPool } from '../worker-pool.js';
import { startWorker, threadsFor } from '../workers.js';
import { type BillingPart, type BillingPartConfig, readBillingPart } from './billing-part.js';
import type { OnReadProgress } from './open.js';

/**
 * Files started per thread beyond the one the merge waits for: at most AHEAD · n parts wait in memory.
 * With one (as before), a thread that finished its file waited for the merge to ask for the next, and
 * the merge then waited for that file: 7 billing months of 847,000 subscribers (472 MB) took 8.2-10.2 s
 * (median 8.2, five runs) against 7.5-9.0 s (median 7.6) with two, and 7 months of 94,080 subscribers
 * 1.05-1.43 s (median 1.14, six runs) against 0.93-1.20 s (median 1.04); peak RSS 1.73-1.77 GB for the
 * larger either way. A later comparison of the whole read, this and the lighter merge against neither,
 * was within noise at both sizes (8.2-10.7 s against 8.4-11.0 s; medians 1.27 s against 1.24 s).
 */
const AHEAD = 2;

export interface BillingJob {
  readonly index: number;
  readonly path: string;
  /** The slice of the config a part needs: it is copied to each thread with every job. */
  readonly config: BillingPartConfig;
}

export type FromBillingWorker =
  | { kind: 'part'; index: number; part: BillingPart }
  | (WorkerFailure & { index: number });

export interface BillingParts {
  /** File i's part; ask in file order. */
  part(i: number): Promise<BillingPart>;
  /** Stops the threads (every part asked for has settled, or the read failed). */
  close(): Promise<void>;
}

/**
 * The parts of `paths`: on up to `threads` worker threads (0 = all cores), or in-process, one when
 * asked, for a single file, one thread, or a caller following the bytes read (`onProgress`).
 */
export function billingParts(
  paths: readonly string[],
  config: BillingPartConfig,
  threads: number,
  onProgress: OnReadProgress | undefined,
): BillingParts {
  const n = threadsFor(threads, paths.length);
  if (n <= 1 || onProgress !== undefined)
    return { part: (i) => readBillingPart(paths[i]!, config, onProgress), close: async () => {} };
  const pool = new WorkerPool<BillingJob, FromBillingWorker>(
    n,
    () => startWorker(import.meta.url, 'billing-worker'),
    {
      failed: (job, f) => `reading ${job.path} on a worker thread failed: ${f.message}\n${f.stack ?? ''}`,
      crashed: (message) => `a billing reading thread failed: ${message}`,
      exited: () => 'a billing reading thread stopped',
    },
  );
  // Only the slice a part reads crosses to the threads, not the whole config.
  const slice: BillingPartConfig = { columns: { billing: config.columns.billing } };
  // A file is started once the merge has asked for the one AHEAD · n before it.
  const started: Promise<BillingPart>[] = [];
  let asked = 0;
  const pump = (): void => {
    while (started.length < paths.length && started.length < asked + AHEAD * n) {
      const index = started.length;
      const part = pool.run({ index, path: paths[index]!, config: slice }).then((m) => m.part);
      // A later file's failure is reported when the merge reaches it, if it does.
      part.catch(() => {});
      started.push(part);
    }
  };
  pump();
  return {
    part: (i) => {
      asked = Math.max(asked, i);
      pump();
      return started[i]!;
    },
    close: () => pool.terminate(),
  };
}
