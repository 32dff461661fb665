/** Boosting's refit in a worker thread, keeping rounds decided while it runs (src/model/boost/refit.ts). */
import { describe, expect, it } from 'vitest';
import { InputError, InternalError } from '../../../src/errors.js';
import { boostToJSON, fitBoost, LIMIT } from '../../../src/model/boost/index.js';
import { startBoostRefit } from '../../../src/model/boost/refit.js';
import { generate } from '../forest-data.js';

const data = generate(2500, { signal: 4, noise: 6, seed: 29 });
// Row and feature draws, so a round's trees depend on the seed's draw for that round.
const params = { maxLeaves: 15, rowShare: 0.8, featureShare: 0.7, earlyStopping: 0, seed: 4, threads: 1 };
const fitted = async (trees: number) =>
  JSON.stringify(boostToJSON((await fitBoost(data.X, data.y, { ...params, trees })).model));

describe('fitBoost with a round limit', () => {
  it('keeps the decided rounds and records them as its trees: the model a fit of that many trees grows', async () => {
    const limit = new Int32Array(new SharedArrayBuffer(4 * LIMIT.size));
    limit[LIMIT.most] = 12;
    limit[LIMIT.decided] = 1;
    const progress: [number, number][] = [];
    const fit = await fitBoost(
      data.X,
      data.y,
      { ...params, trees: 60 },
      { roundLimit: limit, onProgress: (d, t) => progress.push([d, t]) },
    );
    expect(fit.model.trees).toHaveLength(12);
    expect(fit.model.params.trees).toBe(12);
    expect(JSON.stringify(boostToJSON(fit.model))).toBe(await fitted(12));
    expect(progress.at(-1)).toEqual([12, 12]);
  });
});

describe('startBoostRefit', () => {
  it('gives the sequential model whether the rounds are kept before or after the worker grew them', async () => {
    const early = startBoostRefit(data.X, data.y, { ...params, trees: 80 });
    early.keep(9);
    // Kept only once the worker has reported more than 20 rounds grown.
    let grown: () => void = () => {};
    const past20 = new Promise<void>((resolve) => {
      grown = resolve;
    });
    const late = startBoostRefit(data.X, data.y, { ...params, trees: 80 }, (done) => {
      if (done > 20) grown();
    });
    late.allow(25);
    try {
      await past20;
      late.keep(9);
      const expected = await fitted(9);
      for (const refit of [early, late]) {
        const { model, stats } = await refit.fitted;
        expect(JSON.stringify(boostToJSON(model))).toBe(expected);
        expect(stats.rounds).toBe(9);
      }
      expect((await early.fitted).stats.grown).toBe(9);
      // It grew past the rounds it kept, and no further than it was allowed.
      expect((await late.fitted).stats.grown).toBeGreaterThan(20);
      expect((await late.fitted).stats.grown).toBeLessThanOrEqual(25);
    } finally {
      await Promise.all([early.stop(), late.stop()]);
    }
  });

  it('grows no more rounds than it is allowed until told how many to keep', async () => {
    const grown: number[] = [];
    let atSix: () => void = () => {};
    const six = new Promise<void>((resolve) => {
      atSix = resolve;
    });
    const refit = startBoostRefit(data.X, data.y, { ...params, trees: 80 }, (done) => {
      grown.push(done);
      if (done === 6) atSix();
    });
    try {
      refit.allow(6);
      await six;
      // Time enough for many more rounds, were it not waiting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(Math.max(...grown)).toBe(6);
      refit.allow(4);
      refit.allow(11);
      refit.keep(11);
      const { model, stats } = await refit.fitted;
      expect(stats.grown).toBe(11);
      expect(JSON.stringify(boostToJSON(model))).toBe(await fitted(11));
      expect(() => refit.allow(20)).toThrow(InternalError);
    } finally {
      await refit.stop();
    }
  });

  it('keeps at most the trees it was started with', async () => {
    const refit = startBoostRefit(data.X, data.y, { ...params, trees: 7 });
    try {
      refit.keep(40);
      const { model } = await refit.fitted;
      expect(JSON.stringify(boostToJSON(model))).toBe(await fitted(7));
      expect(() => refit.keep(3)).toThrow(InternalError);
    } finally {
      await refit.stop();
    }
  });

  it('stops a worker that grew every round and waits for a count never given', async () => {
    let grewAll: () => void = () => {};
    const three = new Promise<void>((resolve) => {
      grewAll = resolve;
    });
    const refit = startBoostRefit(data.X, data.y, { ...params, trees: 3 }, (done) => {
      if (done === 3) grewAll();
    });
    refit.allow(10);
    await three;
    await refit.stop();
    await expect(refit.fitted).rejects.toThrow(InternalError);
  });

  it('reports bad input from the worker as an InputError, and refuses early stopping', async () => {
    const y = Uint8Array.from(data.y);
    y[7] = 2;
    const refit = startBoostRefit(data.X, y, { ...params, trees: 5 });
    try {
      refit.keep(5);
      await expect(refit.fitted).rejects.toThrow(InputError);
      await expect(refit.fitted).rejects.toThrow(/label 2 at row 7/);
    } finally {
      await refit.stop();
    }
    expect(() => startBoostRefit(data.X, data.y, { ...params, earlyStopping: 5 })).toThrow(InternalError);
  });
});
