import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_PATH,
  type FeatureMatrix,
  factGroups,
  loadModel,
  REASONS_PER_SUBSCRIBER,
} from '../../src/index.js';
import { subscriberReasons, subscriberReasonsOf } from '../../src/pipeline/reasons.js';

/** Rows of the model's features: seeded values over a wide range, one in seven missing. */
function matrix(names: readonly string[], nRows: number, seed: number): FeatureMatrix {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const columns = names.map(() =>
    Float64Array.from({ length: nRows }, () => (next() < 1 / 7 ? Number.NaN : (next() - 0.3) * 200)),
  );
  return { nRows, names, columns };
}

describe('a loaded model scoring and explaining in one walk', () => {
  const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8');

  // 60,000 rows: past the row count from which the drivers are found on worker threads.
  it.each([
    [1, 3000],
    [2, 60_000],
  ])(
    'gives predict’s scores bit for bit and the reasons alone would give (%i threads, %i rows)',
    async (threads, rows) => {
      const model = loadModel(text, DEFAULT_MODEL_PATH, threads);
      const X = matrix(
        model.file.featureSchema.features.map((f) => f.name),
        rows,
        rows,
      );
      const { scores, drivers } = await model.predictExplained(
        X,
        REASONS_PER_SUBSCRIBER,
        factGroups(X.names),
      );
      expect(scores).toEqual(await model.predict(X));
      expect(drivers).not.toBeNull();
      expect(subscriberReasonsOf(drivers!, X)).toEqual(await subscriberReasons(model.explainer!, X, threads));
    },
    120_000,
  );

  it('refuses features in another order than the model’s', async () => {
    const model = loadModel(text, DEFAULT_MODEL_PATH, 1);
    const names = model.file.featureSchema.features.map((f) => f.name);
    const X = matrix([names[1]!, names[0]!, ...names.slice(2)], 10, 1);
    await expect(model.predictExplained(X, 3, factGroups(X.names))).rejects.toThrow(/column 0/);
  });
});
