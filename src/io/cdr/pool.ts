/** Worker threads reading parts of CDR files (see files.ts), one part at a time each. */
import type { Worker } from 'node:worker_threads';
import { InputError, InternalError } from '../../errors.js';
import { startWorker } from '../../workers.js';
import type { CdrAggregation } from './options.js';
import type { PartJob, PartRead } from './part.js';

/** Messages a CDR worker posts. */
export type FromCdrWorker<P> =
  | { kind: 'progress'; index: number; bytes: number }
  | ({ kind: 'part' } & PartRead<P>)
  | { kind: 'unsplittable'; index: number; why: string }
  | { kind: 'error'; index: number; input: boolean; message: string; stack?: string };

/** A part's outcome: its read, or UNSPLITTABLE when its file must be read in one pass. */
export const UNSPLITTABLE = 'unsplittable';
export type PartOutcome<P> = PartRead<P> | typeof UNSPLITTABLE;

interface Pending<P> {
  path: string;
  resolve(outcome: PartOutcome<P>): void;
  reject(error: Error): void;
  onProgress(bytes: number): void;
}

export class PartWorker<S, P> {
  private readonly worker: Worker;
  private pending: Pending<P> | null = null;

  constructor(aggregation: CdrAggregation<S, P, unknown>) {
    this.worker = startWorker(aggregation.worker.callerUrl, aggregation.worker.name);
    this.worker.on('message', (m: FromCdrWorker<P>) => {
      const p = this.pending;
      if (p === null) return;
      if (m.kind === 'progress') {
        p.onProgress(m.bytes);
        return;
      }
      this.pending = null;
      if (m.kind === 'part') p.resolve(m);
      else if (m.kind === 'unsplittable') p.resolve(UNSPLITTABLE);
      else if (m.input) p.reject(new InputError(m.message));
      else
        p.reject(
          new InternalError(`reading ${p.path} on a worker thread failed: ${m.message}\n${m.stack ?? ''}`),
        );
    });
    this.worker.on('error', (err: Error) => this.fail(`a CDR reading thread failed: ${err.message}`, err));
    this.worker.on('exit', () => this.fail('a CDR reading thread stopped'));
  }

  /** Reads one part; one at a time. */
  run(job: PartJob<S>, onProgress: (bytes: number) => void): Promise<PartOutcome<P>> {
    if (this.pending !== null) throw new InternalError('a CDR worker was given two parts at once');
    return new Promise<PartOutcome<P>>((resolve, reject) => {
      this.pending = { path: job.path, resolve, reject, onProgress };
      this.worker.postMessage(job);
    });
  }

  terminate(): Promise<number> {
    this.fail('a CDR reading thread was stopped');
    return this.worker.terminate();
  }

  private fail(message: string, cause?: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(new InternalError(message, cause ? { cause } : undefined));
  }
}
