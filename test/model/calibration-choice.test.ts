import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibrator, jeffreysFloor } from '../../src/model/calibrate.js';
import { crossCalibrate, fitChosenCalibrator } from '../../src/model/calibration-choice.js';
import { calibrateTraining } from '../../src/pipeline/calibration.js';
import { createRandom } from '../../src/random.js';

/** n rows whose true churn probability spreads over (0.01, 0.6), labelled by a draw of it, scored by `score`. */
function rows(n: number, seed: number, score: (p: number) => number) {
  const r = createRandom(seed);
  const p = Float64Array.from({ length: n }, () => 0.01 + 0.59 * r.next() ** 2);
  const y = Uint8Array.from(p, (v) => (r.next() < v ? 1 : 0));
  return { y, scores: Float64Array.from(p, score) };
}

describe('fitChosenCalibrator', () => {
  it('fits what the data size calls for: isotonic from a thousand rows, Platt below', () => {
    for (const n of [900, 5000]) {
      const { y, scores } = rows(n, n, (p) => 0.3 + 0.4 * p);
      expect(fitChosenCalibrator(scores, y)).toEqual(fitCalibrator(scores, y));
      expect(fitChosenCalibrator(scores, y).calibrator.method).toBe(n < 1000 ? 'platt' : 'isotonic');
    }
  });

  it('keeps the model’s own probabilities off 0 and 1 when the rows hold one class', () => {
    // A forest of one tree scores many rows 0; rows with no churner teach nothing of churners.
    const scores = Float64Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0 : i % 4 === 1 ? 1 : i / 40));
    for (const label of [0, 1]) {
      const fit = fitChosenCalibrator(scores, new Uint8Array(40).fill(label));
      expect(fit.calibrator).toEqual({ method: 'platt', a: 1, b: 0, clip: jeffreysFloor(40) });
      const out = calibrate(fit.calibrator, scores);
      expect(Math.min(...out)).toBeCloseTo(jeffreysFloor(40), 15);
      expect(Math.max(...out)).toBeCloseTo(1 - jeffreysFloor(40), 15);
      expect(out.every((v) => v > 0 && v < 1)).toBe(true);
      expect(out[2]).toBeCloseTo(scores[2]!, 12);
    }
    // The rule it replaces gave the identity, which leaves the zeros at zero.
    expect(fitCalibrator(scores, new Uint8Array(40)).calibrator).toEqual({ method: 'identity' });
  });
});

describe('crossCalibrate', () => {
  it('names both halves’ methods when they differ, and calibrates every row by the other half', () => {
    // Churners only among the odd rows: the even half holds one class, the odd half both.
    const n = 400;
    const scores = Float64Array.from({ length: n }, (_, i) => 0.1 + (0.8 * (i + 0.5)) / n);
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 2 === 1 && i % 3 === 0 ? 1 : 0));
    const cross = crossCalibrate(scores, y);
    expect(cross.method).toBe('unchanged/platt');
    expect(cross.fitRows).toBe(200);
    // Odd rows were calibrated by the even half's fit: the scores themselves.
    for (let i = 1; i < n; i += 2) expect(cross.calibrated[i]).toBeCloseTo(scores[i]!, 12);
  });
});

describe('calibrateTraining', () => {
  it('with no rows to fit on keeps the model’s own probabilities off 0 and 1', () => {
    const oob = new Float64Array(30).fill(Number.NaN);
    const result = calibrateTraining(null, { oob, y: new Uint8Array(30) });
    expect(result.json.fittedOn).toBeNull();
    const out = calibrate(result.calibrator, Float64Array.from([0, 0.25, 1]));
    expect(out[0]).toBeGreaterThan(0);
    expect(out[1]).toBeCloseTo(0.25, 12);
    expect(out[2]).toBeLessThan(1);
  });
});
