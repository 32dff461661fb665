/**
 * fitSegments with the k-means fits that choose k shared with one worker thread: the fits of the
 * candidate k values are independent (each seeds its own restarts), so the result is fitSegments'
 * to the last bit whatever the thread count. The worker takes every other k from the largest down
 * (10, 8, 6, 4 of 4..10) while this thread fits the others.
 */
import type { Frame } from '../frame.js';

import { startWorker, threadsFor } from '../workers.js';
import type { ChoiceJob, ChoiceReply } from './choice-job.js';
import { finishSegments, prepareSegments, type SegmentFit, type SegmentOptions } from './fit.js';
import { fitKMeans, type KMeansFit } from './kmeans.js';

/** Below this many rows in the choice sample a worker's start costs more than it saves. */
export const PARALLEL_CHOICE_MIN_ROWS = 5000;

function onWorker(job: ChoiceJob): Promise<KMeansFit[]> {
  const worker = startWorker(import.meta.url, 'choice-worker');
  return new Promise<KMeansFit[]>((resolve, reject) => {
    worker.once('message', (reply: ChoiceReply) => {
      if (reply.kind === 'fits') resolve(reply.fits);
      else reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
    });
    worker.once('error', reject);
    worker.postMessage(job);
  }).finally(() => worker.terminate());
}

/**
 * fitSegments' result, the choice fits on up to two threads (`threads` 0 = all cores); in-process for
 * one thread or a choice sample under `minRows` rows.
 */
export async function fitSegmentsParallel(
  frame: Frame,
  options: SegmentOptions,
  threads = 0,
  minRows = PARALLEL_CHOICE_MIN_ROWS,
): Promise<SegmentFit> {
  const choice = prepareSegments(frame, options);
  const { candidates, choiceX, choiceOptions } = choice;
  const fits = new Map<number, KMeansFit>();
  if (threadsFor(threads, candidates.length) < 2 || choiceX.n < minRows) {
    for (const k of candidates) fits.set(k, fitKMeans(choiceX, k, choiceOptions));
  } else {
    const down = [...candidates].sort((a, b) => b - a);
    const theirs = down.filter((_, i) => i % 2 === 0);
    const ours = down.filter((_, i) => i % 2 === 1);
    const pending = onWorker({ x: choiceX, ks: theirs, options: choiceOptions });
    // Caught now so a worker failure while this thread is busy is not an unhandled rejection.
    pending.catch(() => {});
    for (const k of ours) fits.set(k, fitKMeans(choiceX, k, choiceOptions));
    for (const f of await pending) fits.set(f.k, f);
  }
  return finishSegments(
    frame,
    choice,
    candidates.map((k) => fits.get(k)!),
  );
}
