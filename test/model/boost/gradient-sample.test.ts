/** Gradient-based sampling: which rows a round keeps, how the drawn ones are scaled, and the fit it gives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  largest,
  sampleByGradient,
  sampleCounts,
  warmUpRounds,
} from '../../../src/model/boost/gradient-sample.js';
import { fitBoost, predictBoost } from '../../../src/model/boost/index.js';
import { auc } from '../../../src/model/metrics.js';
import type { FeatureMatrix } from '../../../src/model/types.js';
import { createRandom } from '../../../src/random.js';

/** Interleaved gradient, hessian of n rows; gradients drawn from a few values so ties occur. */
function gradientsOf(n: number, seed: number): Float64Array {
  const random = createRandom(seed, 3);
  const gh = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    gh[2 * i] = (random.int(21) - 10) / 10;
    gh[2 * i + 1] = 0.05 + random.next() / 5;
  }
  return gh;
}

describe('largest', () => {
  it('is the k-th largest value, whatever the ties and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (values, pick) => {
          const k = 1 + (pick % values.length);
          const sorted = [...values].sort((a, b) => b - a);
          expect(largest(Float64Array.from(values), values.length, k)).toBe(sorted[k - 1]);
        },
      ),
    );
  });
});

describe('sampleByGradient', () => {
  const n = 5000;
  const counts = sampleCounts(n, 0.2, 0.1);

  function sample(seed: number) {
    const gh = gradientsOf(n, 11);
    const original = gh.slice();
    const rows = new Uint32Array(n);
    const inBag = new Uint8Array(n);
    const kept = sampleByGradient(gh, n, counts, createRandom(seed, 0), rows, inBag, new Float64Array(n));
    return { gh, original, rows: rows.subarray(0, kept), inBag, kept };
  }

  it('keeps the rows of largest gradient and draws the rest, ascending, scaling only the drawn', () => {
    const { gh, original, rows, inBag, kept } = sample(1);
    expect(counts).toEqual({ top: 1000, other: 500 });
    expect(kept).toBe(1500);
    const magnitudes = Array.from({ length: n }, (_, i) => Math.abs(original[2 * i]!));
    const cut = [...magnitudes].sort((a, b) => b - a)[counts.top - 1]!;
    let scaled = 0;
    for (let k = 0; k < kept; k++) {
      const row = rows[k]!;
      if (k > 0) expect(row).toBeGreaterThan(rows[k - 1]!);
      expect(inBag[row]).toBe(1);
      const w = gh[2 * k]! === 0 ? gh[2 * k + 1]! / original[2 * row + 1]! : gh[2 * k]! / original[2 * row]!;
      expect(gh[2 * k + 1]! / original[2 * row + 1]!).toBeCloseTo(w, 12);
      if (w !== 1) {
        expect(w).toBeCloseTo((n - counts.top) / counts.other, 12);
        expect(magnitudes[row]!).toBeLessThanOrEqual(cut);
        scaled++;
      }
    }
    expect(scaled).toBe(counts.other);
    // Every row above the cut is kept unscaled; the kept count says each one left out was below or at it.
    for (let i = 0; i < n; i++) if (magnitudes[i]! > cut) expect(inBag[i]).toBe(1);
    expect(inBag.reduce((a, b) => a + b, 0)).toBe(kept);
  });

  it('estimates the sums over every row', () => {
    const { original } = sample(1);
    let H = 0;
    for (let i = 0; i < n; i++) H += original[2 * i + 1]!;
    let mean = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { gh, kept } = sample(seed);
      let h = 0;
      for (let k = 0; k < kept; k++) h += gh[2 * k + 1]!;
      mean += h / 20;
    }
    expect(Math.abs(mean - H) / H).toBeLessThan(0.01);
  });

  it('draws the same rows for a seed and others for another', () => {
    expect(Array.from(sample(4).rows)).toEqual(Array.from(sample(4).rows));
    expect(Array.from(sample(4).rows)).not.toEqual(Array.from(sample(5).rows));
  });

  it('warms up for 1 / learning rate rounds', () => {
    expect(warmUpRounds(0.1)).toBe(10);
    expect(warmUpRounds(0.3)).toBe(3);
    expect(sampleCounts(10, 0.25, 0.8)).toEqual({ top: 3, other: 7 });
  });
});

describe('fitBoost with gradient-based sampling', () => {
  /** 2% churn driven by two of four features: most rows are confidently right, as on an operator. */
  function table(rows: number, seed: number): { X: FeatureMatrix; y: Uint8Array } {
    const random = createRandom(seed, 1);
    const names = ['care_calls', 'spend_change', 'tenure', 'noise'];
    const columns = names.map(() => new Float64Array(rows));
    const y = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      for (const c of columns) c[i] = random.next();
      const z = -5 + 3 * columns[0]![i]! - 2 * columns[1]![i]! + columns[2]![i]!;
      y[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    return { X: { nRows: rows, names, columns }, y };
  }
  const train = table(20_000, 1);
  const test = table(10_000, 2);
  const goss = { gradientSampleFrom: 20_000, trees: 60, earlyStopping: 0 };

  it('ranks the test rows as well as a fit on every row, and does not depend on the threads', async () => {
    const all = await fitBoost(train.X, train.y, { ...goss, gradientSampleFrom: 20_001 });
    const one = await fitBoost(train.X, train.y, { ...goss, threads: 1 });
    const two = await fitBoost(train.X, train.y, { ...goss, threads: 2 }, { parallelCells: 1000 });
    expect(two.stats.threads).toBe(2);
    expect(JSON.stringify(two.model.trees)).toBe(JSON.stringify(one.model.trees));
    const full = auc(predictBoost(all.model, test.X), test.y);
    const sampled = auc(predictBoost(one.model, test.X), test.y);
    expect(full).toBeGreaterThan(0.75);
    expect(Math.abs(sampled - full)).toBeLessThan(0.01);
    expect(JSON.stringify(one.model.trees)).not.toBe(JSON.stringify(all.model.trees));
    expect(one.model.params).toMatchObject({ topGradientShare: 0.2, otherGradientShare: 0.1 });
  });

  it('samples by gradient only without a draw of rows, and refuses shares out of range', async () => {
    const drawn = await fitBoost(train.X, train.y, { ...goss, rowShare: 0.5 });
    const drawnOnly = await fitBoost(train.X, train.y, { ...goss, rowShare: 0.5, topGradientShare: 1 });
    expect(JSON.stringify(drawn.model.trees)).toBe(JSON.stringify(drawnOnly.model.trees));
    // A share below 1 that rounds to every row (0.99999 of 20,000) samples by gradient no more.
    const nearly = { ...goss, rowShare: 0.99999, trees: 15 };
    const rounded = await fitBoost(train.X, train.y, nearly);
    const unsampled = await fitBoost(train.X, train.y, { ...nearly, topGradientShare: 1 });
    expect(JSON.stringify(rounded.model.trees)).toBe(JSON.stringify(unsampled.model.trees));
    await expect(
      fitBoost(train.X, train.y, { topGradientShare: 0.5, otherGradientShare: 0.6 }),
    ).rejects.toThrow(/otherGradientShare: 0.6 is not a share in \[0, 1 - topGradientShare\]/);
    await expect(fitBoost(train.X, train.y, { gradientSampleFrom: 0 })).rejects.toThrow(
      /gradientSampleFrom: 0 is not an integer >= 1/,
    );
  });
});
