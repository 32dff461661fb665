/**
 * Boosting's refit on every row, run in a worker thread beside the validation fit that decides how many
 * rounds it keeps. The refit's trees do not depend on how many follow them, so it can start before the
 * count is known: it grows the rounds it is allowed (`allow`, as the validation fit's best round
 * improves) until told the count (`keep`), then keeps that many, and the model is the one a fit with
 * `trees` set to the count grows after the validation fit, byte for byte.
 *
 * On two cores the two fits then run at once, each on its own core, where one after the other each
 * gets both cores for its histograms only (two threads build them 1.15-1.25x faster than one).
 */
import { InternalError } from '../../errors.js';
import type { FeatureMatrix } from '../../frame.js';
import { type WorkerFailure, WorkerPool } from '../../worker-pool.js';
import { sharedColumns, startWorker } from '../../workers.js';
import type { BoostParams, OnProgress } from '../types.js';
import { type BoostStats, LIMIT } from './fit.js';
import type { BoostModel } from './model.js';

/** What the refit's worker is given: the rows in shared memory, the parameters and the round limit. */
export interface RefitJob {
  readonly columns: Float64Array[];
  readonly names: readonly string[];
  readonly nRows: number;
  readonly y: Uint8Array;
  readonly params: Partial<BoostParams>;
  readonly limit: Int32Array;
}

export type FromRefitWorker =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'fitted'; readonly model: BoostModel; readonly stats: BoostStats }
  | WorkerFailure;

export interface BoostRefit {
  /**
   * Lets the refit grow up to `rounds` trees before it is told how many to keep (never fewer than
   * before). It grows no further until told more, so a validation fit that keeps growing rounds past
   * its best does not make the refit grow rounds it will throw away.
   */
  allow(rounds: number): void;
  /** Keeps the first `rounds` trees (at most the `trees` it was started with); called once. */
  keep(rounds: number): void;
  /** The refit, once `keep` has been called and the kept rounds are grown. */
  readonly fitted: Promise<{ model: BoostModel; stats: BoostStats }>;
  /** Stops the worker (after `fitted` settles, or to abandon the refit). */
  stop(): Promise<void>;
}

/**
 * Starts fitting `params` (without early stopping: every row is fitted) on X in a worker thread.
 * The columns are shared with it, copied once into shared memory unless they already are.
 */
export function startBoostRefit(
  X: FeatureMatrix,
  y: Uint8Array,
  params: Partial<BoostParams>,
  onProgress?: OnProgress,
): BoostRefit {
  if ((params.earlyStopping ?? 1) !== 0)
    throw new InternalError('a boosting refit fits every row: early stopping must be 0');
  const cap = params.trees ?? 0x7fffffff;
  const limit = new Int32Array(new SharedArrayBuffer(4 * LIMIT.size));
  // Every refit keeps at least one tree.
  limit[LIMIT.most] = 1;
  const set = (most: number, decided: boolean) => {
    Atomics.store(limit, LIMIT.most, most);
    if (decided) Atomics.store(limit, LIMIT.decided, 1);
    Atomics.notify(limit, LIMIT.most);
  };
  const decided = () => Atomics.load(limit, LIMIT.decided) !== 0;
  const pool = new WorkerPool<RefitJob, FromRefitWorker>(
    1,
    () => startWorker(import.meta.url, 'refit-worker'),
    {
      failed: (_job, f) => `boost refit failed: ${f.message}`,
      crashed: (message) => `boost refit failed: ${message}`,
      exited: (code) => `boost refit worker exited early with code ${code}`,
    },
  );
  const job: RefitJob = {
    columns: sharedColumns(X.columns, X.nRows),
    names: X.names,
    nRows: X.nRows,
    y,
    params,
    limit,
  };
  const fitted = pool
    .run(job, (m) => onProgress?.(m.done, m.total))
    .then((reply) => ({ model: reply.model, stats: reply.stats }));
  // Settled by whoever awaits it; a refit abandoned after a failed validation fit must not go unhandled.
  fitted.catch(() => {});
  return {
    allow(rounds) {
      if (decided()) throw new InternalError('the refit rounds were already kept');
      const most = Math.min(rounds, cap);
      if (most > Atomics.load(limit, LIMIT.most)) set(most, false);
    },
    keep(rounds) {
      if (decided()) throw new InternalError('the refit rounds were already kept');
      set(Math.max(1, Math.min(rounds, cap)), true);
    },
    fitted,
    stop: () => pool.terminate(),
  };
}
