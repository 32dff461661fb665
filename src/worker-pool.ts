/**
 * The one worker-thread pool: starts its workers, runs each job on an idle worker (in the order the
 * jobs were given), forwards the worker's progress messages and resolves with its reply. A reply
 * `{ kind: 'error', input }` becomes an InputError (bad input) or an InternalError (a bug), and a
 * worker thread that fails or exits makes every job still waiting fail with an InternalError.
 */
import type { Worker } from 'node:worker_threads';
import { InputError, InternalError } from './errors.js';

/** What a worker replies when its job failed; `input` says the input was at fault. */
export interface WorkerFailure {
  readonly kind: 'error';
  readonly input?: boolean;
  readonly message: string;
  readonly stack?: string;
}

/** What a worker posts when its job failed with `error` (a reply adds its own fields, such as an index). */
export function workerFailure(error: unknown): WorkerFailure {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    kind: 'error',
    input: e instanceof InputError,
    message: e.message,
    ...(e.stack === undefined ? {} : { stack: e.stack }),
  };
}

/** The words of a pool's errors, so each caller keeps its own. */
export interface PoolTexts<J> {
  /** The message of the InternalError when the worker reports that `job` failed. */
  failed(job: J, failure: WorkerFailure): string;
  /** The message when a worker thread itself fails (an uncaught error there). */
  crashed(message: string): string;
  /** The message when a worker thread exits before it was terminated. */
  exited(code: number): string;
}

type Progress<M> = Extract<M, { kind: 'progress' }>;
/** The replies that answer a job: neither progress nor failure. */
export type PoolResult<M> = Exclude<M, { kind: 'progress' } | { kind: 'error' }>;

interface Task<J, M> {
  readonly job: J;
  resolve(reply: PoolResult<M>): void;
  reject(error: Error): void;
  readonly onProgress: ((progress: Progress<M>) => void) | undefined;
}

/** `J`: the job messages posted to a worker; `M`: the messages a worker posts back. */
export class WorkerPool<J, M extends { kind: string }> {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Task<J, M>[] = [];
  private readonly busy = new Map<Worker, Task<J, M>>();
  private broken: Error | null = null;
  private stopping = false;

  /** Starts `size` workers with `start` (which may post each its setup message). */
  constructor(
    size: number,
    start: () => Worker,
    private readonly texts: PoolTexts<J>,
  ) {
    for (let k = 0; k < size; k++) {
      const worker = start();
      this.workers.push(worker);
      this.idle.push(worker);
      worker.on('message', (m: M) => this.reply(worker, m));
      worker.on('error', (error: Error) =>
        this.fail(new InternalError(texts.crashed(error.message), { cause: error })),
      );
      worker.on('exit', (code: number) => {
        if (!this.stopping) this.fail(new InternalError(texts.exited(code)));
      });
    }
  }

  /** Runs `job` on the next idle worker; `onProgress` gets the progress messages it posts meanwhile. */
  run(job: J, onProgress?: (progress: Progress<M>) => void): Promise<PoolResult<M>> {
    return new Promise<PoolResult<M>>((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.queue.push({ job, resolve, reject, onProgress });
      this.dispatch();
    });
  }

  /** Runs `job` once on every worker, all idle (a closing message such as "send your totals"). */
  runOnEach(job: J): Promise<PoolResult<M>[]> {
    if (this.busy.size > 0 || this.queue.length > 0)
      throw new InternalError('a job for every worker was given while others were running');
    return Promise.all(this.workers.map(() => this.run(job)));
  }

  /** Stops every worker; jobs still waiting fail. */
  async terminate(): Promise<void> {
    this.stopping = true;
    this.fail(new InternalError('a worker thread was stopped before it replied'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.postMessage(task.job);
    }
  }

  private reply(worker: Worker, m: M): void {
    const task = this.busy.get(worker);
    if (task === undefined) return;
    if (m.kind === 'progress') {
      task.onProgress?.(m as Progress<M>);
      return;
    }
    this.busy.delete(worker);
    this.idle.push(worker);
    if (m.kind === 'error') task.reject(this.failure(task.job, m as unknown as WorkerFailure));
    else task.resolve(m as PoolResult<M>);
    this.dispatch();
  }

  private failure(job: J, f: WorkerFailure): Error {
    if (f.input === true) return new InputError(f.message);
    const cause = new Error(f.message);
    if (f.stack !== undefined) cause.stack = f.stack;
    return new InternalError(this.texts.failed(job, f), { cause });
  }

  /** Fails every job running or waiting, and every later one, with `error` (the first kept). */
  private fail(error: Error): void {
    this.broken ??= error;
    const tasks = [...this.busy.values(), ...this.queue];
    this.busy.clear();
    this.queue.length = 0;
    for (const t of tasks) t.reject(this.broken);
  }
}
