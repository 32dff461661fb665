import { describe, expect, it } from 'vitest';
import { calibrate, calibratorName, fitCalibrator, jeffreysFloor } from '../../src/model/calibrate.js';
import { crossCalibrate, fitChosenCalibrator } from '../../src/model/calibration-choice.js';
import { logLoss } from '../../src/model/metrics.js';
import { createRandom } from '../../src/random.js';

/**
 * n rows whose true churn probability p is spread over (0.01, 0.6), each labelled by a draw of it,
 * with the model's score for each made from p by `score`.
 */
function rows(n: number, seed: number, score: (p: number) => number) {
  const r = createRandom(seed);
  const p = Float64Array.from({ length: n }, () => 0.01 + 0.59 * r.next() ** 2);
  const y = Uint8Array.from(p, (v) => (r.next() < v ? 1 : 0));
  return { p, y, scores: Float64Array.from(p, score) };
}

describe('fitChosenCalibrator', () => {
  it("keeps a calibrated model's own probabilities, off exactly 0 and 1", () => {
    const { y, scores } = rows(5000, 1, (p) => p);
    // A stayer scored 0 and a churner scored 1, as a model sure of them would.
    const stayer = y.indexOf(0);
    const churner = y.indexOf(1);
    scores[stayer] = 0;
    scores[churner] = 1;
    const fit = fitChosenCalibrator(scores, y);
    expect(calibratorName(fit.calibrator)).toBe('unchanged');
    expect(fit.calibrator).toEqual({ method: 'platt', a: 1, b: 0, clip: jeffreysFloor(5000) });
    const out = calibrate(fit.calibrator, scores);
    expect(out[stayer]).toBeCloseTo(jeffreysFloor(5000), 15);
    expect(out[churner]).toBeCloseTo(1 - jeffreysFloor(5000), 15);
    const other = Math.max(stayer, churner) + 1;
    expect(out[other]).toBeCloseTo(scores[other]!, 12);
  });

  it('fits a map to a squashed score, and the map does better on new rows than the score', () => {
    // A forest's way: probabilities pulled toward the middle.
    const squash = (p: number) => 0.3 + 0.4 * p;
    const train = rows(8000, 2, squash);
    const test = rows(8000, 3, squash);
    const fit = fitChosenCalibrator(train.scores, train.y);
    expect(['platt', 'isotonic']).toContain(calibratorName(fit.calibrator));
    const after = logLoss(calibrate(fit.calibrator, test.scores), test.y);
    expect(after).toBeLessThan(logLoss(test.scores, test.y) - 0.01);
  });

  it('takes isotonic regression for a bend Platt scaling cannot follow, given the rows for it', () => {
    // Log-odds of the score are not linear in the truth's: only a free monotone map recovers it.
    const bend = (p: number) => (p < 0.2 ? p / 4 : 0.05 + (p - 0.2) * 2);
    const { y, scores } = rows(20_000, 4, bend);
    expect(fitChosenCalibrator(scores, y).calibrator.method).toBe('isotonic');
    // The same bend on fewer rows than isotonic regression needs: Platt at most.
    const few = rows(900, 4, bend);
    expect(fitChosenCalibrator(few.scores, few.y).calibrator.method).toBe('platt');
  });

  it('keeps the candidate of least out-of-sample log-loss among the three', () => {
    for (const [seed, score] of [
      [5, (p: number) => 0.2 + 0.5 * p],
      [7, (p: number) => p],
      [8, (p: number) => Math.min(1, p * 1.3)],
    ] as const) {
      const { y, scores } = rows(6000, seed, score);
      // Recomputed by hand: each method fitted on the even rows and measured on the odd, and back.
      const even = Int32Array.from({ length: 3000 }, (_, k) => 2 * k);
      const odd = Int32Array.from({ length: 3000 }, (_, k) => 2 * k + 1);
      const take = (at: Int32Array) => ({
        s: Float64Array.from(at, (i) => scores[i]!),
        y: Uint8Array.from(at, (i) => y[i]!),
      });
      const outOfSample = (method: 'platt' | 'isotonic') => {
        const out = new Float64Array(6000);
        for (const [fitOn, applyTo] of [
          [even, odd],
          [odd, even],
        ] as const) {
          const f = take(fitOn);
          const p = calibrate(fitCalibrator(f.s, f.y, method).calibrator, take(applyTo).s);
          applyTo.forEach((row, k) => {
            out[row] = p[k]!;
          });
        }
        return logLoss(out, y);
      };
      const unchanged = logLoss(
        scores.map((v) => Math.min(1 - jeffreysFloor(6000), Math.max(jeffreysFloor(6000), v))),
        y,
      );
      const losses = { unchanged, platt: outOfSample('platt'), isotonic: outOfSample('isotonic') };
      const least = Math.min(...Object.values(losses));
      const chosen = calibratorName(fitChosenCalibrator(scores, y).calibrator) as keyof typeof losses;
      expect(losses[chosen], `seed ${seed}: ${JSON.stringify(losses)}`).toBe(least);
    }
  });

  it('leaves one class alone: the identity', () => {
    const scores = Float64Array.from({ length: 50 }, (_, i) => i / 50);
    expect(fitChosenCalibrator(scores, new Uint8Array(50)).calibrator).toEqual({ method: 'identity' });
  });
});

describe('crossCalibrate', () => {
  it('measures the training procedure: every row calibrated by a fit on the other half', () => {
    const { y, scores } = rows(4000, 6, (p) => p);
    const cross = crossCalibrate(scores, y);
    expect(cross.method).toBe('unchanged');
    expect(cross.fitRows).toBe(2000);
    // Unchanged on both halves: every row is its own score, clipped at the half's floor.
    for (let i = 0; i < 4000; i += 97) expect(cross.calibrated[i]).toBeCloseTo(scores[i]!, 12);
  });
});
