/** fitValidated: engines measured on the validation rows, the better kept and refitted on every row. */
import { describe, expect, it } from 'vitest';
import { AUTO_WITHOUT_VALIDATION, fitValidated, refitRounds, stratifiedSplit } from '../../src/index.js';
import { generate } from '../model/forest-data.js';

const run = {
  forest: { trees: 30, threads: 1 },
  boost: { threads: 1 },
  seed: 3,
  trainedAt: '2025-08-01T00:00:00.000Z',
  command: 'test',
  packageVersion: '0.0.0',
};

describe('fitValidated', () => {
  const data = generate(3000, { signal: 4, noise: 4, seed: 17 });
  const split = stratifiedSplit(data.y, 0.3, 3);

  it('under auto fits forest and boost on the split, keeps the lower validation log-loss, refits it on every row', async () => {
    const phases: string[] = [];
    const fitted = await fitValidated(
      { ...run, engine: 'auto', onProgress: (phase, done, total) => done === total && phases.push(phase) },
      data.X,
      data.y,
      split,
    );
    expect(fitted.trials.map((t) => t.engine)).toEqual(['forest', 'boost']);
    const [forest, boost] = fitted.trials;
    expect(fitted.engine).toBe(boost!.metrics.logLoss < forest!.metrics.logLoss ? 'boost' : 'forest');
    expect(fitted.validation).toBe(fitted.trials.find((t) => t.engine === fitted.engine)!.metrics);
    expect(fitted.validationScores).toHaveLength(split.test.length);
    expect(phases).toEqual(['validate', 'validate', 'fit']);
    // On a smooth logistic signal boosting wins clearly.
    expect(fitted.engine).toBe('boost');
    const json = fitted.fit.json as { trees: unknown[] };
    expect(json.trees).toHaveLength(refitRounds(boost!.rounds!, split.train.length, 3000));
    expect(fitted.outOfBag).toBeNull();
  });

  it('keeps the engine asked for, with its out-of-bag metrics for the forest', async () => {
    const fitted = await fitValidated({ ...run, engine: 'forest' }, data.X, data.y, split);
    expect(fitted.engine).toBe('forest');
    expect(fitted.trials).toHaveLength(1);
    expect(fitted.outOfBag?.n).toBe(3000);
  });

  it('without a split measures nothing, and auto falls back to one engine', async () => {
    const fitted = await fitValidated({ ...run, engine: 'auto' }, data.X, data.y, null);
    expect(fitted.engine).toBe(AUTO_WITHOUT_VALIDATION);
    expect(fitted.trials).toEqual([]);
    expect(fitted.validation).toBeNull();
  });

  it.each([
    [100, 700, 1000, 143],
    [1, 700, 1000, 1],
    [80, 1000, 1000, 80],
  ])(
    'refits %i validated rounds on %i rows as round(%i rounds · all / fitted) on %i rows',
    (rounds, fit, all, expected) => {
      expect(refitRounds(rounds, fit, all)).toBe(expected);
    },
  );
});
