/** fitValidated: engines measured on the validation rows, the better kept and refitted on every row. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AUTO_WITHOUT_VALIDATION,
  calibratedLogLoss,
  createRandom,
  DEFAULT_MODEL_PATH,
  fitValidated,
  getEngine,
  loadPredictor,
  type RawTable,
  refitRounds,
  stratifiedSplit,
  trainTableModel,
} from '../../src/index.js';
import { parseModel, serializeModel } from '../../src/model/persist.js';
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

  it('under auto measures boost on the split and the forest out of bag, keeps the lower calibrated log-loss, refits boost on every row', async () => {
    const phases: string[] = [];
    const started: string[] = [];
    const fitted = await fitValidated(
      {
        ...run,
        engine: 'auto',
        onProgress: (phase, done, total) => done === total && phases.push(phase),
        onPhase: (phase) => started.push(phase),
      },
      data.X,
      data.y,
      split,
    );
    expect(fitted.trials.map((t) => t.engine)).toEqual(['forest', 'boost']);
    const [forest, boost] = fitted.trials;
    expect(fitted.engine).toBe(boost!.calibratedLogLoss < forest!.calibratedLogLoss ? 'boost' : 'forest');
    expect(fitted.validation).toBe(fitted.trials.find((t) => t.engine === fitted.engine)!.metrics);
    expect(fitted.validationScores).toHaveLength(split.test.length);
    // Boosting's validation fit, then the one forest on every row, then boosting's refit (one phase).
    expect(phases).toEqual(['validate', 'fit', 'fit']);
    expect(started).toEqual(['validate', 'fit']);
    // The forest was measured by its out-of-bag scores on the validation rows: no forest on split.train.
    expect(forest!.metrics.n).toBe(split.test.length);
    // On a smooth logistic signal boosting wins clearly.
    expect(fitted.engine).toBe('boost');
    const json = fitted.fit.json as { trees: unknown[] };
    // The refit keeps the best validation round's count of trees.
    expect(json.trees).toHaveLength(boost!.rounds!);
    expect(fitted.outOfBag).toBeNull();
  });

  it('measures the forest out of bag: one forest on every row, its validation scores the hold-out rows’ out-of-bag scores', async () => {
    const phases: string[] = [];
    const fitted = await fitValidated(
      { ...run, engine: 'forest', onProgress: (phase, done, total) => done === total && phases.push(phase) },
      data.X,
      data.y,
      split,
    );
    expect(fitted.engine).toBe('forest');
    expect(phases).toEqual(['fit']);
    expect(fitted.trials).toHaveLength(1);
    expect(fitted.outOfBag?.n).toBe(3000);
    expect(fitted.validationScores).toEqual(Float64Array.from(split.test, (r) => fitted.fit.oobScores[r]!));
    expect(fitted.held!.oob).toEqual(Float64Array.from(split.train, (r) => fitted.fit.oobScores[r]!));
    expect(fitted.trials[0]!.metrics.auc).toBeGreaterThan(0.7);
  });

  it('fits an engine without out-of-bag scores on split.train to measure it, besides the final fit', async () => {
    const small = generate(300, { signal: 3, noise: 1, seed: 5 });
    const smallSplit = stratifiedSplit(small.y, 0.3, 3);
    const phases: string[] = [];
    const fitted = await fitValidated(
      {
        ...run,
        forest: { trees: 5, threads: 1 },
        engine: 'ml-random-forest',
        onProgress: (phase, done, total) => done === total && phases.push(phase),
      },
      small.X,
      small.y,
      smallSplit,
    );
    expect(fitted.engine).toBe('ml-random-forest');
    expect(phases).toEqual(['fit', 'validate']);
    expect(fitted.validationScores).toHaveLength(smallSplit.test.length);
    expect(fitted.trials[0]!.metrics.n).toBe(smallSplit.test.length);
    expect(fitted.outOfBag).toBeNull();
  });

  it.each([
    ['a calibrated score', 1],
    ['a miscalibrated score of the same ranking', 3],
  ])('calibratedLogLoss judges %s by its ranking, not its scale', (_, power) => {
    const raw = data.X.columns[0]!.map((v) => 1 / (1 + Math.exp(-v)));
    const scores = raw.map((p) => p ** power);
    const calibrated = calibratedLogLoss(Float64Array.from(raw), data.y);
    expect(calibratedLogLoss(Float64Array.from(scores), data.y)).toBeCloseTo(calibrated, 2);
  });

  it('without a split measures nothing, and auto falls back to one engine', async () => {
    const fitted = await fitValidated({ ...run, engine: 'auto' }, data.X, data.y, null);
    expect(fitted.engine).toBe(AUTO_WITHOUT_VALIDATION);
    expect(fitted.trials).toEqual([]);
    expect(fitted.validation).toBeNull();
  });

  it.each([
    [100, 2000, 100],
    [0, 2000, 1],
    [2500, 2000, 2000],
  ])('refits %i validated rounds, at most %i trees, as %i rounds', (best, cap, expected) => {
    expect(refitRounds(best, cap)).toBe(expected);
  });
});

describe('the seed, decided once', () => {
  const data = generate(600, { signal: 4, noise: 4, seed: 5 });

  it.each(['forest', 'boost'] as const)(
    'reaches the %s engine from the training settings, and its model does not repeat it',
    async (engine) => {
      const fitWith = (seed: number) => fitValidated({ ...run, engine, seed }, data.X, data.y, null);
      const [a, b, again] = [await fitWith(3), await fitWith(4), await fitWith(3)];
      expect(JSON.stringify(a.fit.json)).toBe(JSON.stringify(again.fit.json));
      expect(JSON.stringify(a.fit.json)).not.toBe(JSON.stringify(b.fit.json));
      expect(a.fit.json).toHaveProperty('params.trees');
      expect(a.fit.json).not.toHaveProperty('params.seed');
      expect(a.fit.params).not.toHaveProperty('seed');
    },
  );

  it('is written once in a model file: training.seed', async () => {
    const random = createRandom(8);
    const n = 400;
    const x = Array.from({ length: n }, () => random.int(50));
    const raw: RawTable = {
      names: ['usage', 'Churn'],
      columns: [x.map(String), x.map((v) => (random.next() < v / 60 ? 'Yes' : 'No'))],
      rowCount: n,
    };
    const { content } = await trainTableModel({
      ...run,
      engine: 'forest',
      seed: 11,
      raw,
      label: 'Churn',
      testShare: 0.3,
    });
    const text = serializeModel(content);
    expect(text.match(/"seed"/g)).toHaveLength(1);
    expect(parseModel(text, 'm.json').training.seed).toBe(11);
  });

  it.each(['forest', 'boost'] as const)(
    'a %s model written before, with the seed among its parameters, still loads and predicts the same',
    async (engine) => {
      const { fit } = await fitValidated({ ...run, engine }, data.X, data.y, null);
      const json = fit.json as { params: Record<string, unknown> };
      const old = { ...json, params: { ...json.params, seed: run.seed } };
      const scores = await loadPredictor(engine, old, 1)(data.X);
      expect(Array.from(scores)).toEqual(Array.from(fit.predict(data.X)));
      expect(getEngine(engine).fromJSON(old)).toHaveProperty('params.trees', json.params.trees);
      expect(getEngine(engine).fromJSON(old)).not.toHaveProperty('params.seed');
    },
  );

  it('the shipped model still loads, by the loader of its own engine', () => {
    const shipped = parseModel(readFileSync(DEFAULT_MODEL_PATH, 'utf8'), 'shipped');
    expect(getEngine(shipped.engine).fromJSON(shipped.forest)).not.toHaveProperty('params.seed');
  });
});
