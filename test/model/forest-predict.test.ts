import { describe, expect, it } from 'vitest';
import {
  type FeatureMatrix,
  type ForestModel,
  fitForest,
  forestFromJSON,
  forestToJSON,
  predictForest,
  predictForestParallel,
} from '../../src/index.js';
import { generate } from './forest-data.js';

/** The plain walk over each tree's node arrays, as the forest predicted before packing. */
function reference(model: ForestModel, X: FeatureMatrix): Float64Array {
  const out = new Float64Array(X.nRows);
  for (const { feature, threshold, left, right, missingLeft, value } of model.trees) {
    for (let i = 0; i < X.nRows; i++) {
      let node = 0;
      while (feature[node]! >= 0) {
        const v = X.columns[feature[node]!]![i]!;
        const goLeft = v <= threshold[node]! || (missingLeft[node] === 1 && Number.isNaN(v));
        node = goLeft ? left[node]! : right[node]!;
      }
      out[i]! += value[node]!;
    }
  }
  for (let i = 0; i < X.nRows; i++) out[i]! *= 1 / model.trees.length;
  return out;
}

/** Bit-level equality: toEqual would let -0 and 0 or two NaN payloads pass. */
function bits(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

const train = generate(4000, { noise: 5, missing: 0.2, seed: 31 });
// Scored rows with NaN in every feature now and then, so both learned missing directions are taken.
const scored = generate(5003, { noise: 5, missing: 0.2, seed: 32 });
scored.X.columns.forEach((c, f) => {
  for (let i = f; i < c.length; i += 17) c[i] = Number.NaN;
});
const fit = fitForest(train.X, train.y, { trees: 15, minLeaf: 3, seed: 9, threads: 1 });

describe('predictForest on packed trees', () => {
  it('routes NaN both ways as the plain walk does, bit for bit', async () => {
    const { model } = await fit;
    let missLeft = 0;
    let missRight = 0;
    for (const t of model.trees) {
      for (let i = 0; i < t.feature.length; i++) {
        if (t.feature[i]! < 0) continue;
        if (t.missingLeft[i] === 1) missLeft++;
        else missRight++;
      }
    }
    expect(missLeft).toBeGreaterThan(0);
    expect(missRight).toBeGreaterThan(0);
    const got = predictForest(model, scored.X);
    expect(bits(got)).toBe(bits(reference(model, scored.X)));
    expect(new Set(got).size).toBeGreaterThan(100);
  });

  it('gives the plain walk’s bits over several blocks, where nodes part many rows or walk a few', async () => {
    // Deep trees (min leaf 1) leave a few rows at many nodes and many at the top ones; 20,000 rows
    // are three blocks of the packed walk, the last one short.
    const { model } = await fitForest(train.X, train.y, { trees: 6, minLeaf: 1, seed: 4, threads: 1 });
    const many = generate(20_000, { noise: 5, missing: 0.2, seed: 33 }).X;
    expect(bits(predictForest(model, many))).toBe(bits(reference(model, many)));
  });

  it('predicts the same bits after a JSON round trip', async () => {
    const { model } = await fit;
    const loaded = forestFromJSON(JSON.parse(JSON.stringify(forestToJSON(model))));
    expect(bits(predictForest(loaded, scored.X))).toBe(bits(predictForest(model, scored.X)));
    expect(bits(await predictForestParallel(loaded, scored.X, 2, 0))).toBe(
      bits(predictForest(model, scored.X)),
    );
  });
});

describe('predictForestParallel', () => {
  it.each([
    [1, 5003],
    [2, 5003],
    [3, 5003],
    [2, 1],
    [3, 2049],
  ])('with %i thread(s) on %i rows gives the single-thread bits', async (threads, rows) => {
    const { model } = await fit;
    const X = {
      nRows: rows,
      names: scored.X.names,
      columns: scored.X.columns.map((c) => c.slice(0, rows)),
    };
    const single = predictForest(model, X);
    const parallel = await predictForestParallel(model, X, threads, 0);
    expect(parallel.length).toBe(rows);
    expect(bits(parallel)).toBe(bits(single));
  });

  it('reads columns already in shared memory, and checks the feature names first', async () => {
    const { model } = await fit;
    const columns = scored.X.columns.map((c) => {
      const s = new Float64Array(new SharedArrayBuffer(c.byteLength));
      s.set(c);
      return s;
    });
    const X = { nRows: scored.X.nRows, names: scored.X.names, columns };
    expect(bits(await predictForestParallel(model, X, 2, 0))).toBe(bits(predictForest(model, scored.X)));
    const renamed = { ...X, names: X.names.map((n, f) => (f === 0 ? 'other' : n)) };
    await expect(predictForestParallel(model, renamed, 2, 0)).rejects.toThrow(/missing signal0/);
    await expect(predictForestParallel(model, X, -1)).rejects.toThrow(/threads/);
  });
});
