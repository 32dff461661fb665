/** Worker threads reading parts of CDR files (see files.ts), one part at a time each. */

import { type WorkerFailure, WorkerPool } from '../../worker-pool.js';
import { startWorker } from '../../workers.js';
import type { CdrAggregation } from './options.js';
import type { PartJob, PartRead } from './part.js';

/** Messages a CDR worker posts. */
export type FromCdrWorker<P> =
  | { kind: 'progress'; index: number; bytes: number }
  | ({ kind: 'part' } & PartRead<P>)
  | { kind: 'unsplittable'; index: number; why: string }
  | (WorkerFailure & { index: number });

/** A part's outcome: its read, or UNSPLITTABLE when its file must be read in one pass. */
export const UNSPLITTABLE = 'unsplittable';
export type PartOutcome<P> = PartRead<P> | typeof UNSPLITTABLE;

/** `size` CDR reading threads; each part goes to the next idle one. */
export class PartWorkers<S, P> {
  private readonly pool: WorkerPool<PartJob<S>, FromCdrWorker<P>>;

  constructor(aggregation: CdrAggregation<S, P, unknown>, size: number) {
    const { callerUrl, name } = aggregation.worker;
    this.pool = new WorkerPool(size, () => startWorker(callerUrl, name), {
      failed: (job, f) => `reading ${job.path} on a worker thread failed: ${f.message}\n${f.stack ?? ''}`,
      crashed: (message) => `a CDR reading thread failed: ${message}`,
      exited: () => 'a CDR reading thread stopped',
    });
  }

  /** Reads one part. */
  async run(job: PartJob<S>, onProgress: (bytes: number) => void): Promise<PartOutcome<P>> {
    const m = await this.pool.run(job, (p) => onProgress(p.bytes));
    return m.kind === 'unsplittable' ? UNSPLITTABLE : m;
  }

  terminate(): Promise<void> {
    return this.pool.terminate();
  }
}
