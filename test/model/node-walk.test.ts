import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/index.js';
import { type NodeSteps, NodeWalk, WALK_BELOW } from '../../src/model/node-walk.js';

/**
 * A complete tree of depth 6 over one value per row: node i splits at threshold[i] (children 2i + 1
 * and 2i + 2); nodes from 63 on are leaves. Each step records the nodes a row meets, in order.
 */
const SPLITS = 63;
const random = createRandom(5, 1);
const threshold = Float64Array.from({ length: SPLITS }, () => random.next());

function pathAlone(v: number): number[] {
  const path: number[] = [];
  let node = 0;
  while (node < SPLITS) {
    path.push(node);
    node = v <= threshold[node]! ? 2 * node + 1 : 2 * node + 2;
  }
  path.push(node);
  return path;
}

describe('rows taken down a tree node by node', () => {
  it.each([3, WALK_BELOW, 5000])('meet the nodes a walk of each row alone meets, in order (%i rows)', (n) => {
    const values = Float64Array.from({ length: n }, () => random.next());
    const paths: number[][] = Array.from({ length: n }, () => []);
    let leafCalls = 0;
    let fewCalls = 0;
    const steps: NodeSteps = {
      splits: (node) => node < SPLITS,
      left: (node) => 2 * node + 1,
      right: (node) => 2 * node + 2,
      leaf(node, rows, from, to) {
        leafCalls++;
        for (let i = from; i < to; i++) paths[rows[i]!]!.push(node);
      },
      few(node, rows, from, to) {
        fewCalls++;
        expect(to - from).toBeLessThan(WALK_BELOW);
        for (let i = from; i < to; i++) {
          const alone = pathAlone(values[rows[i]!]!);
          for (const met of alone.slice(alone.indexOf(node))) paths[rows[i]!]!.push(met);
        }
      },
      part(node, src, dst, from, to) {
        let lo = from;
        let hi = to - 1;
        for (let i = from; i < to; i++) {
          const r = src[i]!;
          paths[r]!.push(node);
          if (values[r]! <= threshold[node]!) dst[lo++] = r;
          else dst[hi--] = r;
        }
        return lo;
      },
    };
    const walk = new NodeWalk(n);
    // Twice with the same buffers, as a forest's trees reuse them.
    for (let t = 0; t < 2; t++) walk.all(n).run(0, n, steps);
    for (let r = 0; r < n; r++)
      expect(paths[r]).toEqual([...pathAlone(values[r]!), ...pathAlone(values[r]!)]);
    // Fewer rows than WALK_BELOW walk alone from the root; many are parted down to some leaves.
    if (n < WALK_BELOW) expect(leafCalls).toBe(0);
    if (n === 5000) expect(leafCalls).toBeGreaterThan(0);
    expect(fewCalls).toBeGreaterThan(0);
  });
});
