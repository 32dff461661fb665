/** Boosting on worker threads: the same model bit for bit whatever the thread count. */
import { describe, expect, it } from 'vitest';
import { boostToJSON, fitBoost, predictBoost, predictBoostParallel } from '../../src/index.js';
import { generate, slice } from './forest-data.js';

describe('fitBoost on worker threads', () => {
  it('grows the same trees with 1, 2 and 3 threads: identical JSON, importances and validation curve', async () => {
    const data = generate(4000, { signal: 4, noise: 9, seed: 23 });
    const train = slice(data, 0, 3000);
    const valid = slice(data, 3000, 4000);
    // Row and feature draws, odd feature counts per group, and every node shared with the workers.
    const params = { trees: 40, maxLeaves: 20, rowShare: 0.7, featureShare: 0.8, earlyStopping: 0, seed: 3 };
    const runs = [];
    for (const threads of [1, 2, 3]) {
      const progress: number[] = [];
      const fit = await fitBoost(
        train.X,
        train.y,
        { ...params, threads },
        { validation: valid, parallelCells: 1, onProgress: (done) => progress.push(done) },
      );
      expect(fit.stats.threads).toBe(threads);
      // The workers did build histograms (the calling thread claims groups too).
      if (threads > 1) expect(fit.stats.workerGroups).toBeGreaterThan(0);
      else expect(fit.stats.workerGroups).toBe(0);
      expect(progress).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      runs.push(fit);
    }
    const [one, two, three] = runs.map((r) => r!);
    const json = JSON.stringify(boostToJSON(one!.model));
    expect(JSON.stringify(boostToJSON(two!.model))).toBe(json);
    expect(JSON.stringify(boostToJSON(three!.model))).toBe(json);
    expect(two!.stats.importances).toEqual(one!.stats.importances);
    expect(three!.stats.validationLoss).toEqual(one!.stats.validationLoss);
  });

  it('predicts the same probabilities on worker threads as in-process', async () => {
    const data = generate(3000, { seed: 5 });
    const { model } = await fitBoost(data.X, data.y, { trees: 30, earlyStopping: 0, threads: 1 });
    const inProcess = predictBoost(model, data.X);
    expect(await predictBoostParallel(model, data.X, 2, 1)).toEqual(inProcess);
    expect(await predictBoostParallel(model, data.X, 3, 1)).toEqual(inProcess);
  });
});
