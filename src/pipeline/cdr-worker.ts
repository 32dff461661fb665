/** Worker thread entry: reads one part of a CDR file into its own aggregator (see cdr-read.ts). */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { createCdrAggregator } from '../features/cdr.js';
import { readCdrPart } from '../io/cdr.js';
import { UnsplittableFile } from '../io/parts.js';
import type { Reject, RejectSink } from '../io/types.js';
import type { FromCdrWorker, ToCdrWorker } from './cdr-read.js';
import { shardSink } from './shard.js';

const port = parentPort;
if (!port) throw new Error('cdr-worker.ts must run as a worker thread');

/** Progress is posted every this many bytes of the part. */
const PROGRESS_BYTES = 8 << 20;

port.on('message', (msg: ToCdrWorker) => {
  void readPart(msg).then(
    ([reply, transfer]) => port.postMessage(reply, transfer),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      const reply: FromCdrWorker =
        e instanceof UnsplittableFile
          ? { kind: 'unsplittable', index: msg.index, why: e.message }
          : {
              kind: 'error',
              index: msg.index,
              input: e instanceof InputError,
              message: e.message,
              stack: e.stack,
            };
      port.postMessage(reply);
    },
  );
});

async function readPart(msg: ToCdrWorker): Promise<[FromCdrWorker, ArrayBuffer[]]> {
  const aggregator = createCdrAggregator(msg.config);
  const sink = msg.shard ? shardSink(aggregator, msg.shard) : aggregator;
  const rejects: Reject[] = [];
  const keep: RejectSink | null =
    msg.keptRejects > 0
      ? {
          write(r) {
            // Too many to hold: the whole file is read in one pass instead, streaming its rejects.
            if (rejects.length === msg.keptRejects)
              throw new UnsplittableFile(`more than ${msg.keptRejects} bad rows`);
            rejects.push(r);
          },
        }
      : null;
  let posted = 0;
  const read = await readCdrPart(msg.path, msg.part, sink, keep, {
    config: msg.config,
    sampleLimit: msg.sampleLimit,
    onProgress(done) {
      if (done - posted < PROGRESS_BYTES) return;
      port!.postMessage({ kind: 'progress', index: msg.index, bytes: done } satisfies FromCdrWorker);
      posted = done;
    },
  });
  const partial = aggregator.partial();
  const transfer = [partial.ints.buffer, partial.floats.buffer, partial.contacts.buffer] as ArrayBuffer[];
  return [
    { kind: 'part', index: msg.index, report: read.report, lines: read.lines, rejects, partial },
    transfer,
  ];
}
