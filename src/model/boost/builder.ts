/**
 * Who builds a node's histograms: the calling thread alone, or it together with worker threads that
 * take groups of features from a shared counter. A feature's histogram is always one thread's run of
 * `buildGroup`, so the result is the same bit for bit whatever the thread count.
 *
 * Workers stay inside one synchronous loop for the whole fit, woken through Atomics on a shared
 * control block: a node costs microseconds of hand-over, not a message round trip, so even mid-sized
 * nodes are worth sharing. Small nodes are built in the calling thread.
 */
import type { Worker } from 'node:worker_threads';
import { InternalError } from '../../errors.js';
import { startWorker } from '../../workers.js';
import { buildGroup, GROUP, type HistogramData } from './histogram.js';

export interface HistogramBuilder {
  /** The tree's features; `build` uses the first `count`. Shared with the workers. */
  readonly features: Int32Array;
  readonly threads: number;
  /**
   * Builds slot `into` for positions [start, end) over the first `count` features; with `from` >= 0
   * also subtracts it from slot `from`.
   */
  build(count: number, start: number, end: number, into: number, from: number): void;
  close(): Promise<void>;
}

/** Control block slots (Int32). */
export const CTL = {
  generation: 0,
  next: 1,
  pending: 2,
  start: 3,
  end: 4,
  into: 5,
  from: 6,
  count: 7,
  stop: 8,
  failed: 9,
  size: 10,
} as const;

/** Everything a worker receives once; the typed arrays live in SharedArrayBuffers. */
export interface BuilderJob {
  readonly data: HistogramData;
  readonly features: Int32Array;
  readonly control: Int32Array;
}

/** Runs one node's features from the shared counter until none is left (in a worker or the caller). */
export function takeFeatures(job: BuilderJob): void {
  const { control, features, data } = job;
  const count = Atomics.load(control, CTL.count);
  const start = Atomics.load(control, CTL.start);
  const end = Atomics.load(control, CTL.end);
  const into = Atomics.load(control, CTL.into);
  const from = Atomics.load(control, CTL.from);
  for (
    let j = GROUP * Atomics.add(control, CTL.next, 1);
    j < count;
    j = GROUP * Atomics.add(control, CTL.next, 1)
  )
    buildGroup(data, features, j, Math.min(count, j + GROUP), start, end, into, from);
}

/** Every group of the first `count` features, in the calling thread. */
function buildAll(
  data: HistogramData,
  features: Int32Array,
  count: number,
  start: number,
  end: number,
  into: number,
  from: number,
): void {
  for (let j = 0; j < count; j += GROUP)
    buildGroup(data, features, j, Math.min(count, j + GROUP), start, end, into, from);
}

export function inProcessBuilder(data: HistogramData, nFeatures: number): HistogramBuilder {
  const features = new Int32Array(nFeatures);
  return {
    features,
    threads: 1,
    build: (count, start, end, into, from) => buildAll(data, features, count, start, end, into, from),
    close: () => Promise.resolve(),
  };
}

/**
 * A builder sharing nodes of at least `minCells` (rows × features) with `threads - 1` workers. `data`
 * must live in SharedArrayBuffers.
 */
export async function threadedBuilder(
  data: HistogramData,
  nFeatures: number,
  threads: number,
  minCells: number,
): Promise<HistogramBuilder> {
  const features = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, nFeatures)));
  const control = new Int32Array(new SharedArrayBuffer(4 * CTL.size));
  const job: BuilderJob = { data, features, control };
  const workers: Worker[] = [];
  const stop = async () => {
    Atomics.store(control, CTL.stop, 1);
    Atomics.add(control, CTL.generation, 1);
    Atomics.notify(control, CTL.generation);
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    await Promise.all(
      Array.from({ length: threads - 1 }, () => {
        const w = startWorker(import.meta.url, 'worker');
        workers.push(w);
        return new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', (e) =>
            reject(new InternalError(`boost worker failed: ${e.message}`, { cause: e })),
          );
          w.postMessage(job);
        });
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const nWorkers = workers.length;
  return {
    features,
    threads,
    build(count, start, end, into, from) {
      if ((end - start) * count < minCells || nWorkers === 0) {
        buildAll(data, features, count, start, end, into, from);
        return;
      }
      Atomics.store(control, CTL.count, count);
      Atomics.store(control, CTL.start, start);
      Atomics.store(control, CTL.end, end);
      Atomics.store(control, CTL.into, into);
      Atomics.store(control, CTL.from, from);
      Atomics.store(control, CTL.next, 0);
      Atomics.store(control, CTL.pending, nWorkers);
      Atomics.add(control, CTL.generation, 1);
      Atomics.notify(control, CTL.generation);
      takeFeatures(job);
      for (let p = Atomics.load(control, CTL.pending); p !== 0; p = Atomics.load(control, CTL.pending))
        Atomics.wait(control, CTL.pending, p);
      if (Atomics.load(control, CTL.failed) !== 0)
        throw new InternalError('boost worker failed while building a histogram');
    },
    close: stop,
  };
}
