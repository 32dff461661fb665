/** A worker for the pool's tests: squares numbers, reporting progress, and fails on request. */
import { parentPort } from 'node:worker_threads';

export type TestJob =
  | { kind: 'square'; n: number; steps: number }
  | { kind: 'fail'; input: boolean }
  | { kind: 'exit' }
  | { kind: 'throw' };
export type TestReply =
  | { kind: 'progress'; step: number }
  | { kind: 'square'; n: number; square: number }
  | { kind: 'error'; input: boolean; message: string; stack?: string };

const port = parentPort;
if (!port) throw new Error('worker-pool-thread.ts must run as a worker thread');

port.on('message', (job: TestJob) => {
  const reply = (m: TestReply) => port.postMessage(m);
  switch (job.kind) {
    case 'square':
      for (let step = 1; step <= job.steps; step++) reply({ kind: 'progress', step });
      // A later job may finish first: the pool still answers each job with its own reply.
      setTimeout(() => reply({ kind: 'square', n: job.n, square: job.n * job.n }), (job.n % 3) * 5);
      return;
    case 'fail':
      reply({
        kind: 'error',
        input: job.input,
        message: `job failed (input: ${job.input})`,
        stack: 'at here',
      });
      return;
    case 'exit':
      process.exit(7);
      return;
    case 'throw':
      setTimeout(() => {
        throw new Error('thread broke');
      });
  }
});
