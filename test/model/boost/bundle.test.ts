/** Exclusive feature bundling: which features share a unit, and that sharing changes no histogram and no tree. */
import { describe, expect, it } from 'vitest';
import { binFeatures, valueBins } from '../../../src/model/bins.js';
import { planHistograms } from '../../../src/model/boost/bundle.js';
import { buildGroup, crossedPass, STRIDE } from '../../../src/model/boost/histogram.js';
import { boostToJSON, fitBoost, predictBoost } from '../../../src/model/boost/index.js';
import type { FeatureMatrix } from '../../../src/model/types.js';
import { createRandom } from '../../../src/random.js';

/**
 * A wide table as an encoded operator export looks: a numeric column (usage), a plan one-hot encoded
 * in four columns (40/25/20/15% of rows), a region in three sparse one-hot columns (the rest of the rows
 * in none of them), a flag set at random on 10% of rows, and a churn label depending on all of them.
 */
function table(n: number, seed: number): { X: FeatureMatrix; y: Uint8Array } {
  const random = createRandom(seed, 1);
  const names = ['usage', 'plan_a', 'plan_b', 'plan_c', 'plan_d', 'north', 'south', 'east', 'flag'];
  const columns = names.map(() => new Float64Array(n));
  const y = new Uint8Array(n);
  const planEffect = [-1, 0.5, 1.2, -0.3];
  const regionEffect = [0.8, -0.6, 0.3];
  for (let i = 0; i < n; i++) {
    const usage = random.next();
    const u = random.next();
    const plan = u < 0.4 ? 0 : u < 0.65 ? 1 : u < 0.85 ? 2 : 3;
    const r = random.next();
    const region = r < 0.1 ? 0 : r < 0.18 ? 1 : r < 0.24 ? 2 : -1;
    const flag = random.next() < 0.1 ? 1 : 0;
    columns[0]![i] = Math.round(usage * 500) / 10;
    columns[1 + plan]![i] = 1;
    if (region >= 0) columns[5 + region]![i] = 1;
    columns[8]![i] = flag;
    const z = -1 + 2 * (usage - 0.5) + planEffect[plan]! + (region >= 0 ? regionEffect[region]! : 0) + flag;
    y[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { nRows: n, names, columns }, y };
}

describe('planHistograms', () => {
  const { X } = table(3000, 3);
  const binned = binFeatures(X, 256, 1);
  const bins = Int32Array.from(binned.edges, valueBins);

  it('bundles the columns of one-hot groups that never share a row, and leaves dense or overlapping ones alone', () => {
    const layout = planHistograms(binned.codes, bins, X.nRows, true);
    const units = Array.from(layout.allUnits, (u) =>
      u < 9 ? [u] : Array.from(layout.derived.subarray(layout.derivedStart[u]!, layout.derivedStart[u + 1]!)),
    );
    // usage alone; each one-hot group together (the regions with the flag would overlap); the flag alone.
    expect(units.map((g) => g.map((f) => X.names[f]).join(' ')).sort()).toEqual([
      'flag',
      'north south east',
      'plan_a plan_b plan_c plan_d',
      'usage',
    ]);
    // One slot holds every feature's bins and a spare bin per bundle.
    const featureBins = bins.reduce((s, b) => s + b + 1, 0);
    expect(layout.slotBins).toBe(featureBins + 2);
    // Every feature's default is its most frequent bin: 0 for these columns (the value 0 is its bin 0).
    for (let f = 1; f < 9; f++) expect(layout.defaultBin[f]).toBe(0);
  });

  it('yields the same histograms bundled as feature by feature: counts exact, sums to rounding', () => {
    const n = X.nRows;
    const random = createRandom(8, 2);
    const rows = Uint32Array.from({ length: n }, (_, i) => (i * 11) % n);
    const gh = Float64Array.from({ length: 2 * n }, (_, k) =>
      k % 2 === 0 ? random.next() - 0.5 : random.next(),
    );
    const histograms = (bundling: boolean) => {
      const layout = planHistograms(binned.codes, bins, n, bundling);
      const pool = new Float64Array(layout.slotBins * STRIDE);
      const d = { layout, valueBins: bins, rows, gh, pool };
      buildGroup(d, layout.allUnits, 0, Math.min(4, layout.allUnits.length), 100, 2100, 0, -1);
      if (layout.allUnits.length > 4)
        buildGroup(d, layout.allUnits, 4, layout.allUnits.length, 100, 2100, 0, -1);
      return Array.from(bins, (b, f) => {
        const base = layout.offsets[f]! * STRIDE;
        return Array.from(pool.subarray(base, base + (b + 1) * STRIDE));
      });
    };
    const bundled = histograms(true);
    const alone = histograms(false);
    for (let f = 0; f < 9; f++)
      alone[f]!.forEach((v, k) => {
        if (k % STRIDE === 2) expect(bundled[f]![k]).toBe(v);
        else expect(bundled[f]![k]).toBeCloseTo(v, 10);
      });
    // The plans' counts add up to the rows built.
    expect([1, 2, 3, 4].reduce((s, f) => s + bundled[f]![STRIDE + 2]!, 0)).toBe(2000);
  });
});

/**
 * Features of few bins as an operator's table has them, none exclusive of another: a usage figure, two
 * flags (one with missing values), a count of care calls 0-9 and a plan of 5 codes.
 */
function fewBins(n: number, seed: number): { X: FeatureMatrix; y: Uint8Array } {
  const random = createRandom(seed, 1);
  const names = ['usage', 'roaming', 'autopay', 'care_calls', 'plan'];
  const columns = names.map(() => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const usage = random.next();
    const roaming = random.next() < 0.3 ? 1 : 0;
    const autopay = random.next() < 0.05 ? Number.NaN : random.next() < 0.6 ? 1 : 0;
    const care = random.int(10);
    const plan = random.int(5);
    columns[0]![i] = Math.round(usage * 5000) / 10;
    columns[1]![i] = roaming;
    columns[2]![i] = autopay;
    columns[3]![i] = care;
    columns[4]![i] = plan;
    const z = -1.5 + 2 * (usage - 0.5) + 0.8 * roaming - 0.7 * (autopay || 0) + 0.25 * care - 0.2 * plan;
    y[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { nRows: n, names, columns }, y };
}

describe('planHistograms, crossed features', () => {
  const { X } = fewBins(3000, 4);
  const binned = binFeatures(X, 256, 1);
  const bins = Int32Array.from(binned.edges, valueBins);
  const n = X.nRows;

  it('crosses the features of few bins into one unit whose codes combine their bins', () => {
    const layout = planHistograms(binned.codes, bins, n, true);
    // With the missing bin: usage 256 bins, the flags 3 each, care calls 11, the plan 6. Usage stays
    // alone; first fit from the most bins: care calls, the plan and roaming make 11 · 6 · 3 = 198
    // combinations, and autopay's 3 more would make 594, too many for a byte, so it stays alone.
    expect(Array.from(bins)).toEqual([255, 2, 2, 10, 5]);
    const units = Array.from(layout.allUnits, (u) =>
      Array.from(layout.crossed.subarray(layout.crossedStart[u]!, layout.crossedStart[u + 1]!)),
    );
    expect(units.map((g) => g.map((f) => X.names[f]).join(' '))).toEqual(['', '', 'roaming care_calls plan']);
    const u = layout.allUnits[2]!;
    // A row's code: roaming's bin, then care calls', then the plan's, as the digits of one number.
    const code = layout.unitCodes[u]!;
    for (const i of [0, 1, 2, 500, 2999])
      expect(code[i]).toBe((binned.codes[1]![i]! * 11 + binned.codes[3]![i]!) * 6 + binned.codes[4]![i]!);
    // The slot holds the features' own bins; the combinations are counted aside while building.
    expect(layout.unitBins[u]).toBe(3 + 11 + 6);
    expect(layout.combinations[u]).toBe(3 * 11 * 6);
    expect(layout.slotBins).toBe(256 + 3 + 3 + 11 + 6);
    // A node fills the combinations in one pass from 198 rows on (2 passes saved, 198 combinations).
    expect([197, 198].map((rows) => crossedPass(layout, u, rows))).toEqual([false, true]);
  });

  it.each([
    [800, 'one pass over the combinations'],
    [60, 'a pass per feature'],
  ])(
    "yields each crossed feature's histogram as feature by feature, and the sibling's by subtraction: a child of %i rows, %s",
    (childRows) => {
      const random = createRandom(9, 2);
      const rows = Uint32Array.from({ length: n }, (_, i) => (i * 13) % n);
      const gh = Float64Array.from({ length: 2 * n }, (_, k) =>
        k % 2 === 0 ? random.next() - 0.5 : random.next(),
      );
      const build = (sharing: boolean) => {
        const layout = planHistograms(binned.codes, bins, n, sharing);
        const size = layout.slotBins * STRIDE;
        // Slot 1 holds leftovers of an earlier node: a build clears what it fills.
        const d = { layout, valueBins: bins, rows, gh, pool: new Float64Array(2 * size).fill(7) };
        const all = layout.allUnits;
        // The parent in slot 0, then the child in slot 1, subtracted: slot 0 is the sibling's.
        for (const [start, end, into, from] of [
          [100, 2100, 0, -1],
          [100, 100 + childRows, 1, 0],
        ] as const)
          for (let j = 0; j < all.length; j += 4)
            buildGroup(d, all, j, Math.min(all.length, j + 4), start, end, into, from);
        return [0, 1].map((slot) =>
          Array.from(bins, (b, f) => {
            const base = slot * size + layout.offsets[f]! * STRIDE;
            return Array.from(d.pool.subarray(base, base + (b + 1) * STRIDE));
          }),
        );
      };
      const crossed = build(true);
      const alone = build(false);
      for (const slot of [0, 1])
        for (let f = 0; f < 5; f++)
          alone[slot]![f]!.forEach((v, k) => {
            if (k % STRIDE === 2) expect(crossed[slot]![f]![k]).toBe(v);
            else expect(crossed[slot]![f]![k]).toBeCloseTo(v, 10);
          });
      // Each of the child's rows is in one of roaming's bins, and the sibling holds the rest.
      const rowsIn = (h: number[]) => h.filter((_, k) => k % STRIDE === 2).reduce((a, b) => a + b, 0);
      expect(rowsIn(crossed[1]![1]!)).toBe(childRows);
      expect(rowsIn(crossed[0]![1]!)).toBe(2000 - childRows);
    },
  );
});

describe('fitBoost with bundled features', () => {
  it('fits the same model as without bundling on a table with one-hot columns', async () => {
    const { X, y } = table(4000, 5);
    const params = { trees: 40, maxLeaves: 15, minLeaf: 10, earlyStopping: 0, threads: 1 };
    const bundled = await fitBoost(X, y, params);
    const alone = await fitBoost(X, y, params, { bundle: false });
    expect(bundled.model.trees.length).toBe(40);
    // A default bin summed in another order can tip an exact tie between two columns that split a
    // node's rows the same way (plan_b or plan_c once plan_a and plan_d are split off): the same
    // partition, so the same predictions. Leaf values are Float32 and may move by an ulp.
    expect(bundled.model.trees.map((t) => t.feature.length)).toEqual(
      alone.model.trees.map((t) => t.feature.length),
    );
    const p = predictBoost(bundled.model, X);
    const q = predictBoost(alone.model, X);
    for (let i = 0; i < X.nRows; i++) expect(p[i]).toBeCloseTo(q[i]!, 6);
    // The one-hot columns are split on (so bundles were built and searched).
    expect(bundled.stats.importances.plan_c! + bundled.stats.importances.north!).toBeGreaterThan(0.05);
  });

  it('fits the same model with features of few bins crossed as feature by feature', async () => {
    const { X, y } = fewBins(4000, 6);
    const params = { trees: 40, maxLeaves: 15, minLeaf: 10, earlyStopping: 0, threads: 1 };
    const crossed = await fitBoost(X, y, params);
    const alone = await fitBoost(X, y, params, { bundle: false });
    expect(crossed.model.trees.map((t) => Array.from(t.feature))).toEqual(
      alone.model.trees.map((t) => Array.from(t.feature)),
    );
    const p = predictBoost(crossed.model, X);
    const q = predictBoost(alone.model, X);
    for (let i = 0; i < X.nRows; i++) expect(p[i]).toBeCloseTo(q[i]!, 6);
    expect(crossed.stats.importances.care_calls! + crossed.stats.importances.roaming!).toBeGreaterThan(0.1);
  });

  it('grows the same bundled and crossed trees with 1 and 2 threads', async () => {
    const { X: narrow, y } = table(3000, 7);
    // Four noise columns more, so a node has more units than one group and workers take some, and
    // columns of few bins to cross with the flag.
    const random = createRandom(7, 2);
    const noise = Array.from({ length: 4 }, () => Float64Array.from({ length: 3000 }, () => random.next()));
    const few = fewBins(3000, 8).X;
    const X = {
      ...narrow,
      names: [...narrow.names, 'n0', 'n1', 'n2', 'n3', ...few.names.slice(1)],
      columns: [...narrow.columns, ...noise, ...few.columns.slice(1)],
    };
    const binned = binFeatures(X, 256, 1);
    const layout = planHistograms(binned.codes, Int32Array.from(binned.edges, valueBins), 3000, true);
    expect(layout.crossed.length).toBeGreaterThan(2);
    const params = { trees: 20, maxLeaves: 15, earlyStopping: 0 };
    const one = await fitBoost(X, y, { ...params, threads: 1 }, { parallelCells: 1 });
    const two = await fitBoost(X, y, { ...params, threads: 2 }, { parallelCells: 1 });
    expect(two.stats.workerGroups).toBeGreaterThan(0);
    expect(JSON.stringify(boostToJSON(two.model))).toBe(JSON.stringify(boostToJSON(one.model)));
  });
});
