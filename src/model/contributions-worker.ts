/** Worker thread entry: chunks of rows' top drivers (see contributions-threads.ts). */
import { parentPort } from 'node:worker_threads';
import {
  type DriversReply,
  type DriversSetup,
  runDriversRows,
  type ToDriversWorker,
} from './contributions-threads.js';

const port = parentPort;
if (!port) throw new Error('contributions-worker.ts must run as a worker thread');

let setup: DriversSetup | null = null;

port.on('message', (m: ToDriversWorker) => {
  if (m.kind === 'setup') {
    setup = m.setup;
    return;
  }
  try {
    if (setup === null) throw new Error('rows were sent before the setup');
    const { group, amount, speaker, output } = runDriversRows(setup, m.start, m.end);
    const reply: DriversReply = { kind: 'drivers', start: m.start, group, amount, speaker, output };
    port.postMessage(reply, [group.buffer, amount.buffer, speaker.buffer, output.buffer] as ArrayBuffer[]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ kind: 'error', message: e.message, stack: e.stack } satisfies DriversReply);
  }
});
