/**
 * Who builds a node's histograms: the calling thread alone, or it together with worker threads that
 * claim groups of units from a shared counter. A unit's histogram is always one thread's run of
 * `buildGroup`, so the result is the same bit for bit whatever the thread count.
 *
 * Workers stay inside one synchronous loop for the whole fit, woken through Atomics on a shared
 * control block: a node costs microseconds of hand-over, not a message round trip. The calling thread
 * claims groups too and waits only for groups a worker has claimed, never for a worker that has not
 * woken yet, so a busy machine slows a fit down to one thread's speed at worst. Small nodes are built
 * in the calling thread.
 */
import type { Worker } from 'node:worker_threads';
import { InternalError } from '../../errors.js';
import { startWorker } from '../../workers.js';
import { buildGroup, GROUP, type HistogramData } from './histogram.js';

export interface HistogramBuilder {
  /** The tree's build units (see bundle.ts); `build` uses the first `count`. Shared with the workers. */
  readonly units: Int32Array;
  readonly threads: number;
  /** Groups of features built by worker threads so far (0 in-process). */
  workerGroups(): number;
  /**
   * Builds slot `into` for positions [start, end) over the first `count` units; with `from` >= 0
   * also subtracts it from slot `from`.
   */
  build(count: number, start: number, end: number, into: number, from: number): void;
  close(): Promise<void>;
}

/** Control block slots (Int32). A node's parameters are written before its generation is. */
export const CTL = {
  generation: 0,
  /** Groups of the current node built so far. */
  done: 1,
  start: 2,
  end: 3,
  into: 4,
  from: 5,
  count: 6,
  stop: 7,
  failed: 8,
  /** Groups built by workers, over the whole fit. */
  byWorkers: 9,
  size: 10,
} as const;

/** Everything a worker receives once; the typed arrays live in SharedArrayBuffers. */
export interface BuilderJob {
  readonly data: HistogramData;
  readonly units: Int32Array;
  readonly control: Int32Array;
  /** The claim counter: the node's generation in the high 32 bits, the next group in the low ones. */
  readonly claims: BigInt64Array;
}

/**
 * Claims and builds groups of node `generation` until none is left or the node is over (a claim is
 * only taken while the counter still carries this generation, so a late thread never builds a group of
 * a node it did not read the parameters of).
 */
export function claimGroups(job: BuilderJob, generation: number, worker: boolean): void {
  const { control, claims, units, data } = job;
  const count = Atomics.load(control, CTL.count);
  const start = Atomics.load(control, CTL.start);
  const end = Atomics.load(control, CTL.end);
  const into = Atomics.load(control, CTL.into);
  const from = Atomics.load(control, CTL.from);
  const groups = Math.ceil(count / GROUP);
  const tag = BigInt(generation);
  for (;;) {
    const v = Atomics.load(claims, 0);
    if (v >> 32n !== tag) return;
    const group = Number(v & 0xffffffffn);
    if (group >= groups) return;
    if (Atomics.compareExchange(claims, 0, v, v + 1n) !== v) continue;
    try {
      const j = group * GROUP;
      buildGroup(data, units, j, Math.min(count, j + GROUP), start, end, into, from);
    } catch (error) {
      Atomics.store(control, CTL.failed, 1);
      throw error;
    } finally {
      if (worker) Atomics.add(control, CTL.byWorkers, 1);
      if (Atomics.add(control, CTL.done, 1) + 1 === groups) Atomics.notify(control, CTL.done);
    }
  }
}

/** Every group of the first `count` units, in the calling thread. */
function buildAll(
  data: HistogramData,
  units: Int32Array,
  count: number,
  start: number,
  end: number,
  into: number,
  from: number,
): void {
  for (let j = 0; j < count; j += GROUP)
    buildGroup(data, units, j, Math.min(count, j + GROUP), start, end, into, from);
}

export function inProcessBuilder(data: HistogramData, nUnits: number): HistogramBuilder {
  const units = new Int32Array(nUnits);
  return {
    units,
    threads: 1,
    workerGroups: () => 0,
    build: (count, start, end, into, from) => buildAll(data, units, count, start, end, into, from),
    close: () => Promise.resolve(),
  };
}

/**
 * A builder sharing nodes of at least `minCells` (rows × features) with `threads - 1` workers. `data`
 * must live in SharedArrayBuffers.
 */
export async function threadedBuilder(
  data: HistogramData,
  nUnits: number,
  threads: number,
  minCells: number,
): Promise<HistogramBuilder> {
  const units = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, nUnits)));
  const control = new Int32Array(new SharedArrayBuffer(4 * CTL.size));
  const claims = new BigInt64Array(new SharedArrayBuffer(8));
  const job: BuilderJob = { data, units, control, claims };
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
  return {
    units,
    threads,
    workerGroups: () => Atomics.load(control, CTL.byWorkers),
    build(count, start, end, into, from) {
      if ((end - start) * count < minCells || count <= GROUP) {
        buildAll(data, units, count, start, end, into, from);
        return;
      }
      const generation = Atomics.load(control, CTL.generation) + 1;
      // The new tag first: from here no thread can claim a group of the previous node.
      Atomics.store(claims, 0, BigInt(generation) << 32n);
      Atomics.store(control, CTL.count, count);
      Atomics.store(control, CTL.start, start);
      Atomics.store(control, CTL.end, end);
      Atomics.store(control, CTL.into, into);
      Atomics.store(control, CTL.from, from);
      Atomics.store(control, CTL.done, 0);
      Atomics.store(control, CTL.generation, generation);
      Atomics.notify(control, CTL.generation);
      claimGroups(job, generation, false);
      const groups = Math.ceil(count / GROUP);
      for (let d = Atomics.load(control, CTL.done); d < groups; d = Atomics.load(control, CTL.done))
        Atomics.wait(control, CTL.done, d);
      if (Atomics.load(control, CTL.failed) !== 0)
        throw new InternalError('boost worker failed while building a histogram');
    },
    close: stop,
  };
}
