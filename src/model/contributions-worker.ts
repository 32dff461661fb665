/** Worker thread entry: one run of rows' top drivers (see contributions-threads.ts). */
import { parentPort } from 'node:worker_threads';
import { type DriversJob, type DriversReply, runDriversJob } from './contributions-threads.js';

const port = parentPort;
if (!port) throw new Error('contributions-worker.ts must run as a worker thread');

port.on('message', (job: DriversJob) => {
  try {
    const d = runDriversJob(job);
    const { group, amount, speaker, output } = d;
    const reply: DriversReply = { kind: 'drivers', group, amount, speaker, output };
    port.postMessage(reply, [group.buffer, amount.buffer, speaker.buffer, output.buffer] as ArrayBuffer[]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ kind: 'error', message: e.message, stack: e.stack } satisfies DriversReply);
  }
});
