/**
 * Billing files read ahead on worker threads, one file at a time each, so several files are parsed
 * at once while billing.ts merges them in file order. Each part is what readBillingPart gives
 * in-process, so the table does not depend on the thread count.
 */
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { InputError, InternalError } from '../errors.js';
import { startWorker, threadsFor } from '../workers.js';
import { type BillingPart, readBillingPart } from './billing-part.js';
import type { OnReadProgress } from './open.js';

export interface BillingJob {
  readonly index: number;
  readonly path: string;
  readonly config: Config;
}

export type FromBillingWorker =
  | { kind: 'part'; index: number; part: BillingPart }
  | { kind: 'error'; index: number; input: boolean; message: string; stack?: string };

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
  config: Config,
  threads: number,
  onProgress: OnReadProgress | undefined,
): BillingParts {
  const n = threadsFor(threads, paths.length);
  if (n <= 1 || onProgress !== undefined)
    return { part: (i) => readBillingPart(paths[i]!, config, onProgress), close: async () => {} };
  const settle = paths.map(() => {
    let resolve!: (p: BillingPart) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<BillingPart>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    // A later file's failure is reported when the merge reaches it, if it does.
    promise.catch(() => {});
    return { promise, resolve, reject };
  });
  // A file is started once the merge has asked for the one `n` before it: at most n parts wait in memory.
  let next = 0;
  let asked = 0;
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const pump = (): void => {
    while (idle.length > 0 && next < paths.length && next < asked + n) {
      const index = next++;
      idle.pop()!.postMessage({ index, path: paths[index]!, config } satisfies BillingJob);
    }
  };
  for (let w = 0; w < n; w++) {
    const worker = startWorker(import.meta.url, 'billing-worker');
    workers.push(worker);
    worker.on('message', (m: FromBillingWorker) => {
      const s = settle[m.index]!;
      if (m.kind === 'part') s.resolve(m.part);
      else if (m.input) s.reject(new InputError(m.message));
      else
        s.reject(
          new InternalError(
            `reading ${paths[m.index]} on a worker thread failed: ${m.message}\n${m.stack ?? ''}`,
          ),
        );
      idle.push(worker);
      pump();
    });
    // Rejecting a part already settled does nothing: only those still awaited fail.
    worker.on('error', (err: Error) => {
      for (const s of settle)
        s.reject(new InternalError(`a billing reading thread failed: ${err.message}`, { cause: err }));
    });
    worker.on('exit', () => {
      for (const s of settle) s.reject(new InternalError('a billing reading thread stopped'));
    });
    idle.push(worker);
  }
  pump();
  return {
    part: (i) => {
      asked = Math.max(asked, i);
      pump();
      return settle[i]!.promise;
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
