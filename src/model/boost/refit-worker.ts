/** Worker thread entry: boosting's refit on every row, keeping the rounds the caller decides (refit.ts). */
import { parentPort } from 'node:worker_threads';
import { workerFailure } from '../../worker-pool.js';
import { fitBoost } from './fit.js';
import type { FromRefitWorker, RefitJob } from './refit.js';

const port = parentPort;
if (!port) throw new Error('refit-worker.ts must run as a worker thread');

port.on('message', (job: RefitJob) => {
  const X = { nRows: job.nRows, names: job.names, columns: job.columns };
  const onProgress = (done: number, total: number) =>
    port.postMessage({ kind: 'progress', done, total } satisfies FromRefitWorker);
  fitBoost(X, job.y, job.params, { roundLimit: job.limit, onProgress }).then(
    ({ model, stats }) => port.postMessage({ kind: 'fitted', model, stats } satisfies FromRefitWorker),
    (error: unknown) => port.postMessage(workerFailure(error) satisfies FromRefitWorker),
  );
});
