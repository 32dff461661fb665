/** Worker thread entry: reads billing files into parts, one at a time (see billing-threads.ts). */
import { parentPort } from 'node:worker_threads';
import { workerFailure } from '../worker-pool.js';
import { readBillingPart } from './billing-part.js';
import type { BillingJob, FromBillingWorker } from './billing-threads.js';

const port = parentPort;
if (!port) throw new Error('billing-worker.ts must run as a worker thread');

port.on('message', (job: BillingJob) => {
  readBillingPart(job.path, job.config).then(
    (part) => {
      const buffers: ArrayBufferView[] = [
        part.line,
        part.keys,
        ...part.nums,
        part.plan.codes,
        ...part.owners.map((o) => o.codes),
      ];
      for (const x of part.extras) buffers.push(x.values, x.bad);
      const reply: FromBillingWorker = { kind: 'part', index: job.index, part };
      port.postMessage(reply, buffers.map((b) => b.buffer) as ArrayBuffer[]);
    },
    (error: unknown) => {
      const reply: FromBillingWorker = { ...workerFailure(error), index: job.index };
      port.postMessage(reply);
    },
  );
});
