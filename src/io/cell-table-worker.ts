/** Worker thread entry: reads ranges of a wide CSV table into cell columns (see cell-table-threads.ts). */
import { parentPort } from 'node:worker_threads';
import { workerFailure } from '../worker-pool.js';
import type { CellTableJob, FromCellTableWorker } from './cell-table-threads.js';
import { readCellTablePart } from './raw-table.js';

const port = parentPort;
if (!port) throw new Error('cell-table-worker.ts must run as a worker thread');

port.on('message', (job: CellTableJob) => {
  readCellTablePart(job.path, job.part, job.text).then(
    (part) => {
      // The column chunks move to the main thread, not copied.
      const buffers: ArrayBuffer[] = [];
      for (const c of part?.columns ?? []) {
        for (const v of c.values) buffers.push(v.buffer as ArrayBuffer);
        for (const k of c.codes ?? []) buffers.push(k.buffer as ArrayBuffer);
      }
      const reply: FromCellTableWorker = { kind: 'part', part };
      port.postMessage(reply, buffers);
    },
    (error: unknown) => port.postMessage(workerFailure(error) satisfies FromCellTableWorker),
  );
});
