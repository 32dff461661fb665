/**
 * Boosting's refit on every row after its validation fit: how many rounds it keeps, and whether it runs
 * after the validation fit or beside it.
 */
import { type BoostParams, DEFAULT_BOOST_PARAMS, type FeatureMatrix } from '../model/types.js';
import { threadsFor } from '../workers.js';
import { type EngineFit, type EngineParams, fitWithEngine, startEngineRefit } from './engine-model.js';

/**
 * The refit on every row keeps the best validation round's count of trees. Scaling the count to the
 * larger data (best · all rows / fitted rows, as this did before) cost 20-43% more refit rounds and
 * bought nothing: on the quality benchmark, seeds 1-3, the unscaled refit's test AUC differed by
 * +0.0012 to +0.0030 on IBM Telco, -0.0008 to +0.0061 on BigML, -0.0004 to -0.0003 on Iranian,
 * -0.0004 on the 2% operator and 0 on the 20% one.
 *
 * The refit itself pays: keeping the early-stopped model instead lost 0.009 AUC on BigML, 0.006 on the
 * 2% operator and 0.003 on Iranian, and gained 0.0005 on IBM (measured with the scaled count).
 */
export function refitRounds(best: number, cap: number): number {
  return Math.max(1, Math.min(best, cap));
}

/**
 * The cells (rows × features) for which the refit starts beside the validation fit. Below the least,
 * a new thread's start and its cold code cost what the overlap saves: the quality bench's compiled fit
 * on IBM Telco's 4,930 training rows × 40 took 0.34 s in-process against 0.49 s beside; through
 * `retain train --table` on two threads, validation fit and refit were about even at 10,000 × 30 and
 * took 3.3-3.5 s against 2.6-2.7 s at 20,000 × 30. Above the most, the worker's shared copy of the
 * rows (8 bytes a cell, 256 MiB here) is not worth the memory.
 */
export const REFIT_BESIDE_CELLS = { least: 1 << 19, most: 1 << 25 } as const;

export interface BoostRefitPlan {
  /** The parameters to fit the validation model with. */
  readonly validation: EngineParams;
  /** To tell the validation fit: the rounds up to its best so far, each time they improve. */
  readonly onBest: (best: number) => void;
  /** The model on every row after a best validation round of `best` (refitRounds); called once. */
  refit(best: number): Promise<EngineFit>;
  /** Stops what the plan started; call when done, whether `refit` was called or not. */
  stop(): Promise<void>;
}

/**
 * Boosting's parameters for the validation fit: sampling by gradient decided by every row, as the fit
 * on every row decides it, so that the hold-out metrics and the calibration describe a model grown as
 * the one written is (the validation fit's rows alone may fall below the threshold).
 */
export function validationBoostParams(boost: Partial<BoostParams>, allRows: number): Partial<BoostParams> {
  const from = boost.gradientSampleFrom ?? DEFAULT_BOOST_PARAMS.gradientSampleFrom;
  return allRows >= from ? { ...boost, gradientSampleFrom: 1 } : boost;
}

/**
 * How boosting's refit on every row of X runs.
 * `beside` (the caller keeps boosting whatever the validation says), with two or more threads, on a
 * table within `cells` (REFIT_BESIDE_CELLS unless given): the refit starts now in a worker thread on
 * threads − 1 threads, and the validation fit runs on the calling thread. Each fit then has its own
 * core, where one after the other each has two threads for its histograms only, which two threads
 * build just 1.15-1.25x faster than one. The refit's trees do not depend on how many follow, so it
 * grows the rounds the validation fit's best so far calls for, waiting there for a better one or for
 * the count (boost/refit.ts): the rounds a validation fit grows past its best (its patience) cost the
 * refit nothing. Otherwise the refit is fitted when asked. Either way the models are the same, byte
 * for byte.
 */
export function planBoostRefit(
  X: FeatureMatrix,
  y: Uint8Array,
  params: EngineParams,
  how: {
    readonly beside: boolean;
    readonly cells?: { readonly least: number; readonly most: number };
    readonly onProgress?: (done: number, total: number) => void;
  },
): BoostRefitPlan {
  const { beside, cells: bounds = REFIT_BESIDE_CELLS, onProgress } = how;
  const cap = params.boost.trees ?? DEFAULT_BOOST_PARAMS.trees;
  const threads = threadsFor(params.boost.threads ?? DEFAULT_BOOST_PARAMS.threads);
  const rounds = (best: number) => refitRounds(best, cap);
  const refitParams = (trees: number, more: Partial<BoostParams> = {}) => ({
    ...params.boost,
    trees,
    earlyStopping: 0,
    ...more,
  });
  const cells = X.nRows * X.columns.length;
  const validation = { ...params, boost: validationBoostParams(params.boost, X.nRows) };
  if (!beside || threads < 2 || cells < bounds.least || cells > bounds.most)
    return {
      validation,
      onBest: () => {},
      refit: (best) =>
        fitWithEngine(
          'boost',
          X,
          y,
          { ...params, boost: refitParams(rounds(best)) },
          onProgress ? { onProgress } : {},
        ),
      stop: () => Promise.resolve(),
    };
  let kept = 0;
  let told = 0;
  // Progress posted before the rounds are kept waits in the message queue; it is told once they are,
  // out of the kept rounds, never past them and never backwards.
  const progress = (done: number) => {
    if (kept === 0 || done <= told) return;
    told = Math.min(done, kept);
    onProgress?.(told, kept);
  };
  const started = startEngineRefit(X, y, refitParams(cap, { threads: threads - 1 }), progress);
  return {
    validation: { ...validation, boost: { ...validation.boost, threads: 1 } },
    onBest: (best) => started.allow(rounds(best)),
    refit(best) {
      kept = rounds(best);
      started.keep(kept);
      return started.fitted;
    },
    stop: started.stop,
  };
}
