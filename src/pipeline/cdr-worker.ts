/** Worker thread entry: reads one part of a CDR file into its own aggregator (see cdr-read.ts). */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { UnsplittableFile } from '../io/parts.js';
import { type PartJob, readPart } from './cdr-part.js';
import type { FromCdrWorker } from './cdr-pool.js';

const port = parentPort;
if (!port) throw new Error('cdr-worker.ts must run as a worker thread');

/** Progress is posted every this many bytes of the part. */
const PROGRESS_BYTES = 8 << 20;

port.on('message', (job: PartJob) => {
  let posted = 0;
  const onProgress = (done: number): void => {
    if (done - posted < PROGRESS_BYTES) return;
    port.postMessage({ kind: 'progress', index: job.index, bytes: done } satisfies FromCdrWorker);
    posted = done;
  };
  readPart(job, onProgress).then(
    (read) => {
      const { partial } = read;
      const transfer = [partial.ints.buffer, partial.floats.buffer, partial.contacts.buffer] as ArrayBuffer[];
      port.postMessage({ kind: 'part', ...read } satisfies FromCdrWorker, transfer);
    },
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      const reply: FromCdrWorker =
        e instanceof UnsplittableFile
          ? { kind: 'unsplittable', index: job.index, why: e.message }
          : {
              kind: 'error',
              index: job.index,
              input: e instanceof InputError,
              message: e.message,
              stack: e.stack,
            };
      port.postMessage(reply);
    },
  );
});
