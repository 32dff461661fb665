/** Worker threads reading parts of CDR files (see cdr-read.ts), one part at a time each. */
import type { Worker } from 'node:worker_threads';
import { InputError, InternalError } from '../errors.js';
import { startWorker } from '../workers.js';
import type { PartJob, PartRead } from './cdr-part.js';

/** Messages a CDR worker posts. */
export type FromCdrWorker =
  | { kind: 'progress'; index: number; bytes: number }
  | ({ kind: 'part' } & PartRead)
  | { kind: 'unsplittable'; index: number; why: string }
  | { kind: 'error'; index: number; input: boolean; message: string; stack?: string };

/** A part's outcome: its read, or UNSPLITTABLE when its file must be read in one pass. */
export const UNSPLITTABLE = 'unsplittable';
export type PartOutcome = PartRead | typeof UNSPLITTABLE;

interface Pending {
  path: string;
  resolve(outcome: PartOutcome): void;
  reject(error: Error): void;
  onProgress(bytes: number): void;
}

export class PartWorker {
  private readonly worker: Worker = startWorker(import.meta.url, 'cdr-worker');
  private pending: Pending | null = null;

  constructor() {
    this.worker.on('message', (m: FromCdrWorker) => {
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
  run(job: PartJob, onProgress: (bytes: number) => void): Promise<PartOutcome> {
    if (this.pending !== null) throw new InternalError('a CDR worker was given two parts at once');
    return new Promise<PartOutcome>((resolve, reject) => {
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
