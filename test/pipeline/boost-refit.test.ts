/** Boosting's refit after or beside its validation fit: the same model either way. */
import { describe, expect, it } from 'vitest';
import {
  fitValidated,
  planBoostRefit,
  REFIT_BESIDE_CELLS,
  refitRounds,
  stratifiedSplit,
} from '../../src/index.js';
import { generate } from '../model/forest-data.js';

const data = generate(3000, { signal: 5, noise: 5, seed: 31 });
const boost = { maxLeaves: 15, featureShare: 0.8, seed: 5 };

describe('planBoostRefit', () => {
  it('beside on two threads: the validation fit gets one thread, and the refit is the one fitted after', async () => {
    const params = (threads: number) => ({ forest: {}, boost: { ...boost, threads } });
    const cells = { least: 1, most: 3000 * 10 };
    const after = planBoostRefit(data.X, data.y, params(2), {
      beside: false,
      cells,
    });
    const beside = planBoostRefit(data.X, data.y, params(2), {
      beside: true,
      cells,
    });
    const single = planBoostRefit(data.X, data.y, params(1), {
      beside: true,
      cells,
    });
    try {
      expect(after.validation.boost.threads).toBe(2);
      expect(beside.validation.boost.threads).toBe(1);
      expect(single.validation.boost.threads).toBe(1);
      // Tables outside the bounds are refitted after: the validation fit keeps its two threads.
      for (const out of [
        { least: 3000 * 10 + 1, most: 1e9 },
        { least: 1, most: 3000 * 10 - 1 },
      ]) {
        const plan = planBoostRefit(data.X, data.y, params(2), {
          beside: true,
          cells: out,
        });
        expect(plan.validation.boost.threads).toBe(2);
        await plan.stop();
      }
      const [a, b, c] = await Promise.all([after.refit(17), beside.refit(17), single.refit(17)]);
      expect(JSON.stringify(b.json)).toBe(JSON.stringify(a.json));
      expect(JSON.stringify(c.json)).toBe(JSON.stringify(a.json));
      expect((a.json as { trees: unknown[] }).trees).toHaveLength(17);
    } finally {
      await Promise.all([after.stop(), beside.stop(), single.stop()]);
    }
  });
});

describe('fitValidated with boosting alone', () => {
  it('trains the same model on one thread and on two (refit beside), and tells the refit as the fit phase', async () => {
    // Large enough for the refit to start beside the validation fit on two threads.
    const data = generate(Math.ceil(REFIT_BESIDE_CELLS.least / 10) + 500, { signal: 5, noise: 5, seed: 31 });
    expect(data.X.columns).toHaveLength(10);
    const split = stratifiedSplit(data.y, 0.3, 5);
    const fits = [];
    for (const threads of [1, 2]) {
      const progress: [string, number, number][] = [];
      const phases: string[] = [];
      const fitted = await fitValidated(
        {
          engine: 'boost',
          forest: {},
          boost: { ...boost, maxLeaves: 7, threads },
          seed: 5,
          trainedAt: '2025-08-01T00:00:00.000Z',
          command: 'test',
          packageVersion: '0.0.0',
          onProgress: (phase, done, total) => progress.push([phase, done, total]),
          onPhase: (phase) => phases.push(phase),
        },
        data.X,
        data.y,
        split,
      );
      const rounds = fitted.trials[0]!.rounds!;
      const kept = refitRounds(rounds, 2000);
      expect((fitted.fit.json as { trees: unknown[] }).trees).toHaveLength(kept);
      expect(phases).toEqual(['validate', 'fit']);
      const fitProgress = progress.filter((p) => p[0] === 'fit');
      expect(fitProgress.at(-1)).toEqual(['fit', kept, kept]);
      expect(fitProgress.every(([, done, total]) => done <= total && total === kept)).toBe(true);
      // Told forward only: the bar is drawn full once.
      const done = fitProgress.map(([, d]) => d);
      expect(done).toEqual([...new Set(done)].sort((a, b) => a - b));
      fits.push(fitted);
    }
    const [one, two] = fits;
    expect(JSON.stringify(two!.fit.json)).toBe(JSON.stringify(one!.fit.json));
    expect(two!.trials.map((t) => t.metrics)).toEqual(one!.trials.map((t) => t.metrics));
  });
});

describe('sampling by gradient in a validated fit', () => {
  it('is decided by every row for the validation fit too, so its metrics describe the model written', async () => {
    const split = stratifiedSplit(data.y, 0.3, 5);
    const fitted = async (gradientSampleFrom: number) =>
      fitValidated(
        {
          engine: 'boost',
          forest: {},
          boost: { ...boost, maxLeaves: 7, trees: 40, gradientSampleFrom, threads: 1 },
          seed: 5,
          trainedAt: '2025-08-01T00:00:00.000Z',
          command: 'test',
          packageVersion: '0.0.0',
        },
        data.X,
        data.y,
        split,
      );
    // 2,100 validation-fit rows, 3,000 in all: a threshold between them samples both fits.
    const [between, always, never] = await Promise.all([fitted(2500), fitted(1), fitted(3001)]);
    const trees = (f: typeof between) => JSON.stringify((f.fit.json as { trees: unknown[] }).trees);
    expect(trees(between)).toBe(trees(always));
    expect(between.trials.map((t) => t.metrics)).toEqual(always.trials.map((t) => t.metrics));
    expect(between.trials[0]!.metrics).not.toEqual(never.trials[0]!.metrics);
    expect(trees(between)).not.toBe(trees(never));
  });
});

describe('a refit started beside and abandoned', () => {
  it('stops without an unhandled rejection when the validation fit fails before asking for it', async () => {
    const data = generate(2000, { signal: 5, noise: 5, seed: 37 });
    const plan = planBoostRefit(
      data.X,
      data.y,
      { forest: {}, boost: { threads: 2 } },
      { beside: true, cells: { least: 1, most: 1e9 } },
    );
    expect(plan.validation.boost.threads).toBe(1);
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      await plan.stop();
      // Rejections are reported after the microtasks of this turn: give them a few turns.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', note);
    }
    expect(unhandled).toEqual([]);
  });
});
