/** Worker thread entry: k-means fits for some of the candidate k values (see parallel.ts and choice-job.ts). */
import { parentPort } from 'node:worker_threads';
import { type ChoiceJob, type ChoiceReply, runChoiceJob } from './choice-job.js';

const port = parentPort;
if (!port) throw new Error('choice-worker.ts must run as a worker thread');

port.on('message', (job: ChoiceJob) => {
  try {
    const fits = runChoiceJob(job);
    port.postMessage({ kind: 'fits', fits } satisfies ChoiceReply);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ kind: 'error', message: e.message, stack: e.stack } satisfies ChoiceReply);
  }
});
