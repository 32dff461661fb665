/** The work of a CDR reading thread: reads one part of a CDR file at a time into its own aggregator (see files.ts). */
import { parentPort } from 'node:worker_threads';
import { workerFailure } from '../../worker-pool.js';
import { UnsplittableFile } from '../parts.js';
import type { CdrAggregation } from './options.js';
import { type PartJob, readPart } from './part.js';
import type { FromCdrWorker } from './pool.js';

/** Progress is posted every this many bytes of the part. */
const PROGRESS_BYTES = 8 << 20;

/** Serves the parts the reading run posts to this worker thread, aggregated by `aggregation`. */
export function serveCdrParts<S, P>(aggregation: CdrAggregation<S, P, unknown>): void {
  const port = parentPort;
  if (!port) throw new Error('serveCdrParts must run on a worker thread');
  port.on('message', (job: PartJob<S>) => {
    let posted = 0;
    const onProgress = (done: number): void => {
      if (done - posted < PROGRESS_BYTES) return;
      port.postMessage({ kind: 'progress', index: job.index, bytes: done } satisfies FromCdrWorker<P>);
      posted = done;
    };
    readPart(aggregation, job, onProgress).then(
      (read) => {
        port.postMessage(
          { kind: 'part', ...read } satisfies FromCdrWorker<P>,
          aggregation.transfer(read.partial),
        );
      },
      (error: unknown) => {
        const reply: FromCdrWorker<P> =
          error instanceof UnsplittableFile
            ? { kind: 'unsplittable', index: job.index, why: error.message }
            : { ...workerFailure(error), index: job.index };
        port.postMessage(reply);
      },
    );
  });
}
