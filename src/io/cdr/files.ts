/**
 * Reading a run's CDR files into one aggregate, on several threads. The files are cut into parts:
 * a plain CSV file into byte ranges (io/parts.ts), any other file (gzip, Arrow) is one part whole.
 * This thread and worker threads each read and aggregate a part at a time, in file order, and the
 * parts are absorbed in file order with their line numbers, counts and rejects put back together,
 * so the result is exactly that of one pass over the files in order: the same aggregates, reports
 * and rejects whatever the thread count. A file whose parts cannot be read alone (a quoted field
 * across a cut, more bad rows than a part holds) is read in one pass on this thread, in its turn.
 */
import { stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { threadsFor } from '../../workers.js';
import { type CsvPart, planParts } from '../parts.js';
import type { FileReport } from '../types.js';
import type { CdrAggregation, CdrFilesOptions } from './options.js';
import { Run, type Unit } from './run.js';

/** Parts smaller than this are not worth a thread: a worker takes tens of milliseconds to start. */
export const MIN_PART_BYTES = 16 << 20;
/**
 * Threads reading CDRs when all cores are asked for. In a file in time order every part meets
 * nearly every subscriber, so each thread holds a full set of accumulators and the merge grows with
 * the parts: past a handful of threads memory grows faster than speed. `--threads` goes beyond it.
 */
const MAX_DEFAULT_THREADS = 8;
/**
 * Memory one reading thread's accumulators take per subscriber, rounded up: 0.56 KB was measured
 * on a month in time order (accumulators, id table and distinct-contact set).
 */
const BYTES_PER_SUBSCRIBER = 1024;
/** Share of the machine's memory the reading threads' accumulators may take when all cores are asked for. */
const MEMORY_SHARE = 0.5;

/**
 * Threads to read CDRs on: `requested` when given (> 0); otherwise the cores, at most 8, and no
 * more than the accumulators of `subscribers` fit in half of `memoryBytes` (at least one).
 */
export function readingThreads(
  requested: number,
  subscribers: number,
  cores = threadsFor(0),
  memoryBytes = totalmem(),
): number {
  if (requested > 0) return requested;
  const fit = Math.floor((memoryBytes * MEMORY_SHARE) / (Math.max(1, subscribers) * BYTES_PER_SUBSCRIBER));
  return Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS, fit));
}

/**
 * Reads the CDR files in order into one aggregate of `aggregation`, each thread's aggregator made
 * from `setup`; throws InputError as readCdr does.
 */
export async function aggregateCdrFiles<S, P, R>(
  paths: readonly string[],
  aggregation: CdrAggregation<S, P, R>,
  setup: S,
  o: CdrFilesOptions,
): Promise<{ aggregates: R; reports: FileReport[] }> {
  const threads = readingThreads(o.threads, o.subscribers ?? 0);
  const minPartBytes = o.minPartBytes ?? MIN_PART_BYTES;
  const sizes = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const run = new Run(aggregation, setup, o, sizes);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (threads > 1 && total >= 2 * minPartBytes) {
    const units: Unit[] = [];
    for (const [file, path] of paths.entries()) {
      const parts: (CsvPart | null)[] = (await planParts(path, threads, minPartBytes)) ?? [null];
      const last = units.length + parts.length - 1;
      for (const [index, part] of parts.entries())
        units.push({ id: units.length, file, path, part, index, last });
    }
    await run.parallel(units, threads);
  } else {
    for (const [file, path] of paths.entries()) await run.onePass(path, file);
  }
  return run.result();
}
