/** The boosted model's JSON form: a lossless round trip through the model file, and checked on load. */
import { describe, expect, it } from 'vitest';
import {
  boostFromJSON,
  boostToJSON,
  fitBoost,
  getEngine,
  loadPredictor,
  ModelError,
  predictBoost,
} from '../../src/index.js';
import { generate } from './forest-data.js';

describe('boost model JSON', () => {
  const data = generate(2500, { seed: 9 });
  const fitted = fitBoost(data.X, data.y, { trees: 40, earlyStopping: 0, threads: 1 });

  it('predicts the same probabilities bit for bit after a round trip through JSON text', async () => {
    const { model } = await fitted;
    const text = JSON.stringify(getEngine('boost').toJSON(model));
    const back = getEngine('boost').fromJSON(JSON.parse(text));
    expect(getEngine('boost').predict(back, data.X)).toEqual(predictBoost(model, data.X));
    expect(JSON.stringify(boostToJSON(boostFromJSON(JSON.parse(text))))).toBe(text);
    const predictor = loadPredictor('boost', JSON.parse(text), 1);
    expect(await predictor(data.X)).toEqual(predictBoost(model, data.X));
  });

  it('reads a model written before lambdaScaling was a parameter as trained with lambda fixed', async () => {
    const { model } = await fitted;
    const json = JSON.parse(JSON.stringify(boostToJSON(model)));
    expect(boostFromJSON(json).params.lambdaScaling).toBe('hessian');
    delete json.params.lambdaScaling;
    expect(boostFromJSON(json).params.lambdaScaling).toBe('fixed');
  });

  it('reads a model written before sampling by gradient as fitted on every row', async () => {
    const { model } = await fitted;
    const json = JSON.parse(JSON.stringify(boostToJSON(model)));
    expect(boostFromJSON(json).params).toMatchObject({ topGradientShare: 0.2, otherGradientShare: 0.1 });
    delete json.params.topGradientShare;
    delete json.params.otherGradientShare;
    delete json.params.gradientSampleFrom;
    expect(boostFromJSON(json).params).toMatchObject({
      topGradientShare: 1,
      otherGradientShare: 0,
      gradientSampleFrom: 1_000_000,
    });
  });

  it('reads a model with a parameter a later build added, predicting as before', async () => {
    const { model } = await fitted;
    const json = JSON.parse(JSON.stringify(boostToJSON(model)));
    json.params.laterParameter = 3;
    const back = boostFromJSON(json);
    expect(back.params).toEqual(model.params);
    expect(predictBoost(back, data.X)).toEqual(predictBoost(model, data.X));
  });

  it.each([
    [
      (j: Record<string, unknown>) => ({ ...j, format: 'retain-forest' }),
      /format "retain-forest", expected "retain-boost"/,
    ],
    [(j: Record<string, unknown>) => ({ ...j, version: 2 }), /version 2 is not supported/],
    [(j: Record<string, unknown>) => ({ ...j, baseScore: 'x' }), /baseScore "x" is not a finite number/],
    [(j: Record<string, unknown>) => ({ ...j, trees: [] }), /trees must be a non-empty list/],
    [
      (j: Record<string, unknown>) => ({ ...j, params: { learningRate: 2 } }),
      /bad params: .*learningRate: 2/,
    ],
    [(j: Record<string, unknown>) => ({ ...j, params: 'fast' }), /params "fast" is not an object/],
    [(j: Record<string, unknown>) => ({ ...j, params: [1] }), /params \[1\] is not an object/],
  ])('refuses a damaged model (%#), saying what is wrong', async (damage, message) => {
    const { model } = await fitted;
    const json = JSON.parse(JSON.stringify(boostToJSON(model)));
    expect(() => boostFromJSON(damage(json))).toThrow(ModelError);
    expect(() => boostFromJSON(damage(json))).toThrow(message);
  });
});
