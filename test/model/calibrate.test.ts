import { describe, expect, it } from 'vitest';
import {
  calibrate,
  calibratorFromJSON,
  calibratorToJSON,
  chooseMethod,
  createRandom,
  expectedCalibrationError,
  fitCalibrator,
  fitForest,
  groupScores,
  ModelError,
  poolAdjacentViolators,
  predictForest,
} from '../../src/index.js';
import { generate } from './forest-data.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

/** Isotonic regression at point i by the min-max formula: max over j ≤ i of min over k ≥ i of mean(y[j..k]). */
function minMax(w: Float64Array, k: Float64Array, i: number): number {
  let best = -Infinity;
  for (let j = 0; j <= i; j++) {
    let low = Infinity;
    let sw = 0;
    let sk = 0;
    for (let m = j; m < w.length; m++) {
      sw += w[m]!;
      sk += k[m]!;
      if (m >= i) low = Math.min(low, sk / sw);
    }
    best = Math.max(best, low);
  }
  return best;
}

describe('groupScores', () => {
  it('groups rows by distinct score, ascending, leaving NaN out', () => {
    const g = groupScores(f64([0.3, 0.1, Number.NaN, 0.3, 0.1, 0.2]), u8([1, 0, 1, 0, 0, 1]));
    expect(Array.from(g.x)).toEqual([0.1, 0.2, 0.3]);
    expect(Array.from(g.w)).toEqual([2, 1, 2]);
    expect(Array.from(g.k)).toEqual([0, 1, 1]);
    expect([g.rows, g.positives]).toEqual([5, 2]);
  });
});

describe('isotonic calibration', () => {
  it('pools adjacent violators into the least-squares monotone fit (the min-max formula)', () => {
    const random = createRandom(5);
    const n = 80;
    const scores = Float64Array.from({ length: n }, () => Math.round(random.next() * 40) / 40);
    const y = Uint8Array.from(scores, (s) => (random.next() < s ? 1 : 0));
    const g = groupScores(scores, y);
    const blocks = poolAdjacentViolators(g);
    // Each distinct score's fitted value is its block's rate.
    const fitted: number[] = [];
    for (const b of blocks) {
      let left = b.w;
      while (left > 0) {
        fitted.push(b.k / b.w);
        left -= g.w[fitted.length - 1]!;
      }
    }
    expect(fitted).toHaveLength(g.x.length);
    fitted.forEach((v, i) => {
      expect(v).toBeCloseTo(minMax(g.w, g.k, i), 12);
    });
    for (let b = 1; b < blocks.length; b++)
      expect(blocks[b]!.k / blocks[b]!.w).toBeGreaterThan(blocks[b - 1]!.k / blocks[b - 1]!.w);
  });

  it('interpolates between block means and gives the end blocks the Jeffreys estimate', () => {
    // Blocks: {0.1: 0 of 1}, {0.2, 0.3: 1 of 2}, {0.4: 1 of 1}.
    const fit = fitCalibrator(f64([0.1, 0.2, 0.3, 0.4]), u8([0, 1, 0, 1]), 'isotonic');
    expect(fit.calibrator).toEqual({
      method: 'isotonic',
      x: f64([0.1, 0.25, 0.4]),
      p: f64([0.25, 0.5, 0.75]),
    });
    const p = calibrate(fit.calibrator, f64([0, 0.1, 0.175, 0.25, 0.4, 0.9, Number.NaN]));
    expect(Array.from(p)).toEqual([0.25, 0.25, 0.375, 0.5, 0.75, 0.75, Number.NaN]);
  });

  it('never returns 0 or 1, and keeps the order of scores between knots', () => {
    const random = createRandom(9);
    const n = 5000;
    // A forest-like score: many exact zeros among which 0.5% still churn.
    const scores = Float64Array.from({ length: n }, (_, i) => (i < 2000 ? 0 : random.next()));
    const y = Uint8Array.from(scores, (s, i) => (random.next() < (i < 2000 ? 0.005 : s) ? 1 : 0));
    const fit = fitCalibrator(scores, y);
    expect(fit.calibrator.method).toBe('isotonic');
    const p = calibrate(fit.calibrator, scores);
    expect(Math.min(...p)).toBeGreaterThan(0);
    expect(Math.max(...p)).toBeLessThan(1);
    // The zeros' churners are counted: their probability is their observed rate, not 0.
    const zerosRate = y.subarray(0, 2000).reduce((s, v) => s + v, 0) / 2000;
    expect(p[0]).toBeCloseTo(zerosRate, 2);
    const inside = f64([0.3, 0.31, 0.32, 0.5, 0.51]);
    const q = calibrate(fit.calibrator, inside);
    for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThan(q[i - 1]!);
  });

  it('an end block without churners gets half a churner: 0.5 / (rows + 1)', () => {
    const scores = f64([0, 0, 0, 0, 0.5, 0.5, 0.9, 0.9]);
    const y = u8([0, 0, 0, 0, 0, 1, 1, 1]);
    const c = fitCalibrator(scores, y, 'isotonic').calibrator;
    expect(calibrate(c, f64([0]))[0]).toBe(0.5 / 5);
    expect(calibrate(c, f64([0.9]))[0]).toBe(2.5 / 3);
  });
});

describe('Platt scaling', () => {
  it('recovers a known logistic distortion of the score', () => {
    const random = createRandom(3);
    const n = 20000;
    const scores = Float64Array.from({ length: n }, () => 0.02 + 0.96 * random.next());
    const logit = (p: number) => Math.log(p / (1 - p));
    const truth = (s: number) => 1 / (1 + Math.exp(-(2 * logit(s) - 1)));
    const y = Uint8Array.from(scores, (s) => (random.next() < truth(s) ? 1 : 0));
    const c = fitCalibrator(scores, y, 'platt').calibrator;
    if (c.method !== 'platt') throw new Error('expected platt');
    expect(c.a).toBeCloseTo(2, 1);
    expect(c.b).toBeCloseTo(-1, 1);
    expect(c.clip).toBe(0.5 / (n + 1));
  });

  it('leaves calibrated scores about where they are, and clips at 0.5 / (rows + 1)', () => {
    const random = createRandom(4);
    const n = 600;
    const scores = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : random.next()));
    const y = Uint8Array.from(scores, (s) => (random.next() < s ? 1 : 0));
    const fit = fitCalibrator(scores, y);
    expect(fit.calibrator.method).toBe('platt');
    const p = calibrate(fit.calibrator, f64([0, 0.2, 0.5, 0.8, 1]));
    expect(p[0]).toBeGreaterThanOrEqual(0.5 / (n + 1));
    expect(p[4]).toBeLessThanOrEqual(1 - 0.5 / (n + 1));
    expect(p[2]).toBeCloseTo(0.5, 1);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]!);
  });
});

describe('choosing the method by data size', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    [999,    300, 'platt'],
    [1000,   300, 'isotonic'],
    [1000,   49,  'platt'],
    [1000,   50,  'isotonic'],
    [1000,   951, 'platt'],
    [200000, 40,  'platt'],
  ] as const)('%i rows with %i churners: %s', (rows, positives, method) => {
    expect(chooseMethod(rows, positives)).toBe(method);
  });

  it('one class only: nothing to learn, the identity', () => {
    expect(fitCalibrator(f64([0.1, 0.2]), u8([0, 0])).calibrator).toEqual({ method: 'identity' });
  });
});

describe('calibrating a forest on its out-of-bag scores', () => {
  it('brings held-out probabilities closer to the truth, with none left at 0', async () => {
    const train = generate(6000, { seed: 21, intercept: -3 });
    const test = generate(6000, { seed: 22, intercept: -3 });
    const { model, stats } = await fitForest(train.X, train.y, {
      trees: 60,
      minLeaf: 5,
      seed: 1,
      threads: 1,
    });
    const raw = predictForest(model, test.X);
    const c = fitCalibrator(stats.oobScores, train.y).calibrator;
    const cal = calibrate(c, raw);
    const gap = (p: Float64Array) => p.reduce((s, v, i) => s + Math.abs(v - test.p[i]!), 0) / p.length;
    expect(raw.some((v) => v === 0)).toBe(true);
    expect(cal.some((v) => v === 0)).toBe(false);
    expect(gap(cal)).toBeLessThan(gap(raw));
    expect(expectedCalibrationError(cal, test.y)).toBeLessThan(expectedCalibrationError(raw, test.y));
  });
});

describe('the calibrator in the model file', () => {
  it.each([
    { method: 'identity' },
    { method: 'platt', a: 1.5, b: -0.25, clip: 1e-4 },
    { method: 'isotonic', x: [0, 0.2, 0.7], p: [0.01, 0.1, 0.4] },
  ])('round-trips %o', (json) => {
    expect(calibratorToJSON(calibratorFromJSON(JSON.parse(JSON.stringify(json))))).toEqual(json);
  });

  it('reads a model without one as the identity', () => {
    expect(calibratorFromJSON(undefined)).toEqual({ method: 'identity' });
    expect(calibratorFromJSON(null)).toEqual({ method: 'identity' });
  });

  it.each([
    [{ method: 'spline' }, /method "spline" is unknown/],
    [{ method: 'platt', a: 1, b: null, clip: 0.01 }, /finite numbers a and b/],
    [{ method: 'isotonic', x: [0, 1], p: [0.5] }, /same non-zero length/],
    [{ method: 'isotonic', x: [0, 1], p: [0, 0.5] }, /strictly between 0 and 1/],
    [{ method: 'isotonic', x: [0, 0], p: [0.1, 0.5] }, /knots 0 and 1 do not increase/],
  ])('refuses %o', (json, message) => {
    expect(() => calibratorFromJSON(json)).toThrow(ModelError);
    expect(() => calibratorFromJSON(json)).toThrow(message);
  });
});
