import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/index.js';
import { rowMajorCodes } from '../../src/model/bins.js';
import { growTree } from '../../src/model/grow.js';
import {
  CLASS1_UNIT,
  COUNT_UNIT,
  createScratch,
  type GrowData,
  PACKED_MAX_DRAWS,
} from '../../src/model/grow-data.js';
import { NodeWalk } from '../../src/model/node-walk.js';
import { addOutOfBag } from '../../src/model/out-of-bag.js';
import { type NodeRange, partition, type Split, searchFeature } from '../../src/model/split-search.js';

/** Random codes (bins 0..7 and missing bin 8), labels and bootstrap draws for n rows of 2 features. */
function node(n: number, weight1: number) {
  const random = createRandom(3, 1);
  const codes = [0, 1].map(() => Uint8Array.from({ length: n }, () => random.int(9)));
  const y = Uint8Array.from({ length: n }, (_, i) => (random.next() < 0.2 + 0.08 * codes[0]![i]! ? 1 : 0));
  const data: GrowData = {
    nRows: n,
    codes,
    rowCodes: rowMajorCodes(codes, n),
    valueBins: Int32Array.from([8, 8]),
    edges: [new Float64Array(7), new Float64Array(7)],
    y,
  };
  const s = createScratch(n, 2);
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < n; i++) {
    const k = 1 + random.int(3);
    s.counts[i] = k;
    s.rows[i] = i;
    s.packed[i] = COUNT_UNIT + (y[i] === 1 ? k * CLASS1_UNIT : k);
    if (y[i] === 1) d1 += k;
    else d0 += k;
  }
  const range: NodeRange = { start: 0, end: n, d0, d1, weight0: 1, weight1, minLeaf: 5 };
  return { data, s, range };
}

/** Best Gini cut of feature f by brute force over every bin and both sides for the missing bin. */
function bruteForce(
  t: ReturnType<typeof node>,
  f: number,
): { score: number; bin: number; missingLeft: boolean } {
  const { data, s, range } = t;
  let best = { score: -1, bin: -1, missingLeft: false };
  for (let bin = 0; bin < 8; bin++) {
    for (const missingLeft of [false, true]) {
      const side = [
        [0, 0, 0],
        [0, 0, 0],
      ];
      for (let i = range.start; i < range.end; i++) {
        const r = s.rows[i]!;
        const b = data.codes[f]![r]!;
        const left = b === 8 ? missingLeft : b <= bin;
        const cell = side[left ? 0 : 1]!;
        const w = s.counts[r]! * (data.y[r] === 1 ? range.weight1 : range.weight0);
        cell[data.y[r]!]! += w;
        cell[2]!++;
      }
      const [l, r] = side as [number[], number[]];
      if (l[2]! < range.minLeaf || r[2]! < range.minLeaf) continue;
      const score = (l[0]! ** 2 + l[1]! ** 2) / (l[0]! + l[1]!) + (r[0]! ** 2 + r[1]! ** 2) / (r[0]! + r[1]!);
      if (score > best.score + 1e-9 * score) best = { score, bin, missingLeft };
    }
  }
  return best;
}

describe('searchFeature', () => {
  // 300 rows: packed sums and row-major codes; 50,000 rows: packed sums and columns; 150,000 rows:
  // more draws than the packed fields hold, so the count and per-class sums.
  it.each([
    [300, 1],
    [300, 2.5],
    [50_000, 1],
    [150_000, 1],
  ])('finds the brute-force best cut on %i rows (churn weight %d)', (n, weight1) => {
    const t = node(n, weight1);
    if (n === 150_000) expect(t.range.d0 + t.range.d1).toBeGreaterThan(PACKED_MAX_DRAWS);
    for (const f of [0, 1]) {
      const best: Split = { score: 0, feature: -1, bin: 0, missingLeft: false, l0: 0, l1: 0, lc: 0 };
      expect(searchFeature(t.data, t.s, f, t.range, best)).toBe(9);
      const want = bruteForce(t, f);
      expect(best.feature).toBe(f);
      expect(best.bin).toBe(want.bin);
      expect(best.score).toBeCloseTo(want.score, 6);
      // The histograms are left empty for the next search.
      expect(t.s.hp.every((v) => v === 0) && t.s.hc.every((v) => v === 0)).toBe(true);
    }
  });

  it('reports a constant feature as one bin and leaves best alone', () => {
    const t = node(300, 1);
    t.data.codes[1]!.fill(4);
    t.data.rowCodes!.set(rowMajorCodes(t.data.codes, 300));
    const best: Split = { score: 0, feature: -1, bin: 0, missingLeft: false, l0: 0, l1: 0, lc: 0 };
    expect(searchFeature(t.data, t.s, 1, t.range, best)).toBe(1);
    expect(best.feature).toBe(-1);
  });
});

describe('partition', () => {
  it.each([300, 50_000])('keeps both sides of %i rows in ascending row order, draws moved with them', (n) => {
    const t = node(n, 1);
    const packedOf = new Map(Array.from(t.s.rows, (r, i) => [r, t.s.packed[i]!]));
    const mid = partition(t.data, t.s, 0, 0, n, 3, true);
    const code = t.data.codes[0]!;
    const left = Array.from(t.s.rows.subarray(0, mid));
    const right = Array.from(t.s.rows.subarray(mid, n));
    expect(left.every((r) => code[r]! <= 3 || code[r] === 8)).toBe(true);
    expect(right.every((r) => code[r]! > 3 && code[r] !== 8)).toBe(true);
    expect(left.length + right.length).toBe(n);
    for (const side of [left, right]) expect(side.every((r, i) => i === 0 || r > side[i - 1]!)).toBe(true);
    expect(Array.from(t.s.rows, (r, i) => t.s.packed[i] === packedOf.get(r)).every(Boolean)).toBe(true);
  });
});

describe('growTree without row-major codes', () => {
  it('grows the same tree and out-of-bag sums from the columns alone', () => {
    const t = node(3000, 1);
    const settings = {
      minLeaf: 5,
      maxDepth: 0,
      minImpurityDecrease: 0,
      mtry: 1,
      drawRows: 3000,
      weight0: 1,
      weight1: 1,
      seed: 4,
    };
    const grown = [t.data, { ...t.data, rowCodes: null }].map((data) => {
      const s = createScratch(3000, 2);
      const tree = growTree(data, settings, 0, s);
      const sum = new Float64Array(3000);
      const count = new Int32Array(3000);
      addOutOfBag(data, tree, s.counts, sum, count, new NodeWalk(3000));
      return { tree: tree.tree, sum, count };
    });
    expect(grown[0]!.tree.feature.length).toBeGreaterThan(50);
    expect(grown[1]).toEqual(grown[0]);
  });
});
