/** Grows trees one index at a time and keeps their out-of-bag sums: the same code in-process and in workers. */
import { createScratch, type FlatTree, type GrowData, type GrowSettings, growTree } from './grow.js';
import { NodeWalk } from './node-walk.js';
import { addOutOfBag } from './out-of-bag.js';

/** Everything a thread needs to grow trees; the typed arrays may live in SharedArrayBuffers. */
export interface TreeJob {
  readonly data: GrowData;
  readonly settings: GrowSettings;
}

export interface TreeResult {
  readonly index: number;
  readonly tree: FlatTree;
  readonly importance: Float64Array;
}

export interface TreeRunner {
  grow(index: number): TreeResult;
  /** Out-of-bag prediction sums (fixed point, see OOB_SCALE) and counts over the trees grown here. */
  readonly oobSum: Float64Array;
  readonly oobCount: Int32Array;
}

export function createTreeRunner(job: TreeJob): TreeRunner {
  const { data, settings } = job;
  const scratch = createScratch(data.nRows, data.codes.length);
  const oobSum = new Float64Array(data.nRows);
  const oobCount = new Int32Array(data.nRows);
  const oob = new NodeWalk(data.nRows);
  return {
    oobSum,
    oobCount,
    grow(index) {
      const grown = growTree(data, settings, index, scratch);
      addOutOfBag(data, grown, scratch.counts, oobSum, oobCount, oob);
      return { index, tree: grown.tree, importance: grown.importance };
    },
  };
}
