import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../../src/frame.js';
import { nodeCovers } from '../../src/model/contributions.js';
import type { FlatTree } from '../../src/model/grow.js';
import type { EngineName } from '../../src/model/types.js';
import { explainTraining } from '../../src/pipeline/calibration.js';
import {
  REFERENCE_ROWS,
  referenceRows,
  trainingDriftReference,
  walkTrainingReference,
} from '../../src/pipeline/drift.js';
import { type EngineFit, fitWithEngine } from '../../src/pipeline/engine-model.js';
import { generate } from '../model/forest-data.js';

/** n rows: `v` cycles through 0..9, `x` is the row number. */
function matrix(n: number): FeatureMatrix {
  return {
    nRows: n,
    names: ['v', 'x'],
    columns: [
      Float64Array.from({ length: n }, (_, i) => i % 10),
      Float64Array.from({ length: n }, (_, i) => i),
    ],
  };
}

/** A stump on `v <= 4.5`, and a predictor returning v / 10 that records the rows it was asked for. */
function fakeFit(asked: number[]): EngineFit {
  const tree: FlatTree = {
    feature: Int32Array.from([0, -1, -1]),
    threshold: Float64Array.from([4.5, 0, 0]),
    left: Int32Array.from([1, -1, -1]),
    right: Int32Array.from([2, -1, -1]),
    missingLeft: Uint8Array.from([0, 0, 0]),
    value: Float64Array.from([0, 0.2, 0.7]),
  };
  return {
    predict: (X) => {
      asked.push(X.nRows);
      return X.columns[0]!.map((v) => v / 10);
    },
    json: {},
    params: {},
    importances: {},
    oobScores: new Float64Array(0),
    ensemble: { trees: [tree], scale: 1, base: 0 },
    seconds: 0,
  };
}

const ascendingWithin = (rows: Int32Array, n: number) =>
  rows.every((r, k) => r >= 0 && r < n && (k === 0 || r > rows[k - 1]!));

describe('referenceRows', () => {
  it('keeps every row up to REFERENCE_ROWS', () => {
    expect(referenceRows(REFERENCE_ROWS, 1)).toBeUndefined();
    const given = Int32Array.from([3, 8, 9]);
    expect(referenceRows(10, 1, given)).toBe(given);
  });

  it('draws a seeded sample of REFERENCE_ROWS distinct rows, ascending, beyond that', () => {
    const n = REFERENCE_ROWS * 3;
    const a = referenceRows(n, 7)!;
    expect(a.length).toBe(REFERENCE_ROWS);
    expect(ascendingWithin(a, n)).toBe(true);
    expect(Array.from(referenceRows(n, 7)!)).toEqual(Array.from(a));
    expect(Array.from(referenceRows(n, 8)!)).not.toEqual(Array.from(a));
    // Spread over the whole table, not its first rows.
    expect(a[a.length - 1]!).toBeGreaterThan(n * 0.99);
  });

  it('samples among the given rows only', () => {
    const even = Int32Array.from({ length: REFERENCE_ROWS + 5000 }, (_, k) => 2 * k);
    const picked = referenceRows(even.length * 2, 1, even)!;
    expect(picked.length).toBe(REFERENCE_ROWS);
    expect(picked.every((r) => r % 2 === 0)).toBe(true);
    expect(ascendingWithin(picked, even.length * 2)).toBe(true);
  });
});

describe('trainingDriftReference and explainTraining on a large table', () => {
  const n = REFERENCE_ROWS * 2 + 12_345;

  it('predict and count only the sampled rows, with the shares of the whole table', () => {
    const asked: number[] = [];
    const ref = trainingDriftReference(matrix(n), fakeFit(asked), 1);
    expect(asked).toEqual([REFERENCE_ROWS]);
    expect(ref.rows).toBe(REFERENCE_ROWS);
    const v = ref.features[0]!;
    expect(v.bins).toEqual({ kind: 'values', values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    // Each value is a tenth of the table; a sample of 50,000 has a standard error of 0.0013.
    for (const share of v.shares.slice(0, 10)) expect(Math.abs(share - 0.1)).toBeLessThan(0.006);
    expect(v.shares.slice(10)).toEqual([0, 0]);
  });

  it('count every row of a small table', () => {
    const asked: number[] = [];
    expect(trainingDriftReference(matrix(1000), fakeFit(asked), 1).rows).toBe(1000);
    expect(asked).toEqual([1000]);
  });

  it('count node covers on the same sample: half the rows go left', () => {
    const json = explainTraining(fakeFit([]), matrix(n), 1)!;
    expect(json.rows).toBe(REFERENCE_ROWS);
    const covers = Buffer.from(json.trees[0]!, 'base64');
    const left = covers.readUInt32LE(4);
    expect(Math.abs(left / REFERENCE_ROWS - 0.5)).toBeLessThan(0.006);
    expect(explainTraining({ ...fakeFit([]), ensemble: null }, matrix(n), 1)).toBeNull();
  });
});

describe('walkTrainingReference: one walk gives the reference scores and the node covers', () => {
  // Above the in-process limit, so the walk runs on two worker threads.
  const data = generate(12_000, { noise: 4, seed: 5 });
  const params = { forest: { trees: 10, minLeaf: 5, threads: 1 }, boost: { trees: 12, threads: 1 } };

  it.each<EngineName>(['forest', 'boost'])(
    '%s: the scores are fit.predict bit for bit, the covers nodeCovers',
    async (engine) => {
      const fit = await fitWithEngine(engine, data.X, data.y, params);
      const ref = await walkTrainingReference(data.X, fit, 1, 2);
      const expected = fit.predict(data.X);
      expect(ref.scores.every((v, i) => Object.is(v, expected[i]))).toBe(true);
      const covers = nodeCovers(fit.ensemble!.trees, data.X);
      expect(ref.covers!.map((c) => Array.from(c))).toEqual(covers.map((c) => Array.from(c)));
    },
  );

  it('samples the rows trainingDriftReference takes, and predicts without covers for an engine without trees', async () => {
    const n = REFERENCE_ROWS + 5000;
    const asked: number[] = [];
    const ref = await walkTrainingReference(matrix(n), { ...fakeFit(asked), ensemble: null }, 1, 1);
    expect(asked).toEqual([REFERENCE_ROWS]);
    expect(ref.covers).toBeNull();
    const picked = referenceRows(n, 1)!;
    expect(Array.from(ref.X.columns[1]!)).toEqual(Array.from(picked));
    const walked = await walkTrainingReference(matrix(n), fakeFit([]), 1, 1);
    expect(walked.covers![0]![0]).toBe(REFERENCE_ROWS);
    expect(Array.from(walked.X.columns[1]!)).toEqual(Array.from(picked));
  });
});
