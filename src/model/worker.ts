/**
 * Worker thread entry: grows the trees, or predicts the row chunks (counting the leaves they reach when
 * asked), the pool asks for (see threads.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './threads.js';
import { type PackedForest, predictPacked } from './tree.js';
import { createTreeRunner, type TreeRunner } from './worker-core.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run as a worker thread');

let runner: TreeRunner | undefined;
let prediction:
  | { forest: PackedForest; columns: Float64Array[]; out: Float64Array; hits: Uint32Array | null }
  | undefined;

port.on('message', (msg: ToWorker) => {
  try {
    switch (msg.kind) {
      case 'job':
        runner = createTreeRunner(msg.job);
        return;
      case 'tree': {
        if (!runner) throw new Error('tree requested before the job');
        const result = runner.grow(msg.index);
        const t = result.tree;
        const transfer = [
          t.feature,
          t.threshold,
          t.left,
          t.right,
          t.missingLeft,
          t.value,
          result.importance,
        ].map((a) => a.buffer as ArrayBuffer);
        port.postMessage({ kind: 'tree', result } satisfies FromWorker, transfer);
        return;
      }
      case 'predict':
        prediction = {
          forest: msg.forest,
          columns: msg.columns,
          out: msg.out,
          hits: msg.count ? new Uint32Array(msg.forest.leaves.length) : null,
        };
        return;
      case 'rows': {
        if (!prediction) throw new Error('rows requested before the forest');
        const { forest, columns, out, hits } = prediction;
        predictPacked(forest, columns, msg.start, msg.end, out, hits ?? null);
        port.postMessage({ kind: 'rows' } satisfies FromWorker);
        return;
      }
      case 'leafHits': {
        const hits = prediction?.hits;
        if (!hits) throw new Error('leaf hits asked of a worker that does not count them');
        port.postMessage({ kind: 'leafHits', hits } satisfies FromWorker, [hits.buffer as ArrayBuffer]);
        return;
      }
      case 'finish': {
        if (!runner) throw new Error('finish before the job');
        const { oobSum, oobCount } = runner;
        const transfer = [oobSum.buffer as ArrayBuffer, oobCount.buffer as ArrayBuffer];
        port.postMessage({ kind: 'done', oobSum, oobCount } satisfies FromWorker, transfer);
        return;
      }
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ kind: 'error', message: e.message, stack: e.stack } satisfies FromWorker);
  }
});
