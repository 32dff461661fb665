import { describe, expect, it } from 'vitest';
import { createRandom, stratifiedSplit } from '../../src/index.js';

/** Labels with the given churn share, seeded; `other` rows carry a label that is neither 0 nor 1. */
function labels(n: number, churn: number, seed: number, other = 0): Uint8Array {
  const r = createRandom(seed);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = r.next() < churn ? 1 : 0;
  for (let i = 0; i < other; i++) y[r.int(n)] = 2;
  return y;
}

/** The split as first written (arrays of numbers): small inputs must split exactly as before. */
function reference(y: Uint8Array, testShare: number, seed: number) {
  const random = createRandom(seed, 0x5eed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) rows.push(i);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const cut = Math.round(rows.length * testShare);
    for (const r of rows.slice(0, cut)) test.push(r);
    for (const r of rows.slice(cut)) train.push(r);
  }
  const asc = (a: number, b: number) => a - b;
  return { train: Int32Array.from(train.sort(asc)), test: Int32Array.from(test.sort(asc)) };
}

describe('stratifiedSplit', () => {
  // biome-ignore format: column-aligned table
  it.each([
    [1_000,  0.12, 0.3, 1, 0],
    [5_003,  0.5,  0.3, 7, 0],
    [777,    0.02, 0.2, 3, 0],
    [2_000,  0.3,  0.3, 5, 40],
  ])('splits %i rows (churn %f, test share %f, seed %i) exactly as the first version', (n, churn, share, seed, other) => {
    const y = labels(n, churn, seed, other);
    expect(stratifiedSplit(y, share, seed)).toEqual(reference(y, share, seed));
  });

  it('splits two million rows without passing them as call arguments, keeping each class share', () => {
    const n = 2_000_000;
    const y = labels(n, 0.12, 11);
    const { train, test } = stratifiedSplit(y, 0.3, 11);
    expect(train.length + test.length).toBe(n);
    const seen = new Uint8Array(n);
    const ascending = (rows: Int32Array) => rows.every((r, k) => k === 0 || r > rows[k - 1]!);
    expect(ascending(test)).toBe(true);
    expect(ascending(train)).toBe(true);
    for (const i of test) seen[i]!++;
    let churnTrain = 0;
    for (const i of train) {
      seen[i]!++;
      churnTrain += y[i]!;
    }
    expect(seen.every((s) => s === 1)).toBe(true);
    let churn = 0;
    for (const v of y) churn += v;
    let churnTest = 0;
    for (const i of test) churnTest += y[i]!;
    expect(churnTest).toBe(Math.round(churn * 0.3));
    expect(churnTrain).toBe(churn - churnTest);
    expect(test.length).toBe(Math.round(churn * 0.3) + Math.round((n - churn) * 0.3));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const y = labels(10_000, 0.2, 2);
    expect(stratifiedSplit(y, 0.3, 4)).toEqual(stratifiedSplit(y, 0.3, 4));
    expect(stratifiedSplit(y, 0.3, 5).test).not.toEqual(stratifiedSplit(y, 0.3, 4).test);
  });
});
