/** Worker thread entry: takes chunks of a run's rows until none is left (see contributions-threads.ts). */
import { parentPort } from 'node:worker_threads';
import { type DriversReply, type DriversRun, runDriverChunks } from './contributions-threads.js';

const port = parentPort;
if (!port) throw new Error('contributions-worker.ts must run as a worker thread');

port.on('message', (run: DriversRun) => {
  try {
    runDriverChunks(run);
    port.postMessage({ kind: 'done' } satisfies DriversReply);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ kind: 'error', message: e.message, stack: e.stack } satisfies DriversReply);
  }
});
