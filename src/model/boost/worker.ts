/**
 * Worker thread entry for histogram building (see builder.ts): receives the shared job once, answers
 * that it is ready, then waits on the control block for each node until told to stop.
 */
import { parentPort } from 'node:worker_threads';
import { type BuilderJob, CTL, claimGroups } from './builder.js';

const port = parentPort;
if (!port) throw new Error('boost/worker.ts must run as a worker thread');

port.once('message', (job: BuilderJob) => {
  const control = job.control;
  // Read before answering: the first node may be handed out as soon as the answer arrives.
  let seen = Atomics.load(control, CTL.generation);
  port.postMessage('ready');
  for (;;) {
    Atomics.wait(control, CTL.generation, seen);
    seen = Atomics.load(control, CTL.generation);
    if (Atomics.load(control, CTL.stop) !== 0) break;
    try {
      claimGroups(job, seen, true);
    } catch {
      // claimGroups flagged the failure and counted the group: the calling thread reports it.
    }
  }
  port.close();
});
