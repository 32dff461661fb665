import { describe, expect, it } from 'vitest';
import {
  calibrate,
  calibrateTraining,
  calibratorFromJSON,
  createRandom,
  type HeldOut,
} from '../../src/index.js';

/** Scores that overstate the risk: the true rate is the score squared. */
function overstated(n: number, seed: number): { scores: Float64Array; y: Uint8Array } {
  const random = createRandom(seed);
  const scores = Float64Array.from({ length: n }, () => random.next());
  const y = Uint8Array.from(scores, (s) => (random.next() < s * s ? 1 : 0));
  return { scores, y };
}

const noOob = (n: number) => new Float64Array(n).fill(Number.NaN);

describe('calibrateTraining', () => {
  const train = overstated(4000, 1);
  const test = overstated(2000, 2);
  const held: HeldOut = { oob: train.scores, yTrain: train.y, scores: test.scores, y: test.y };

  it('fits the stored calibrator on the final model’s out-of-bag scores and measures on the hold-out', () => {
    const final = overstated(6000, 3);
    const r = calibrateTraining(held, { oob: final.scores, y: final.y });
    expect(r.json.fittedOn).toBe('out-of-bag');
    expect(r.json.rows).toBe(6000);
    expect(calibratorFromJSON(r.json)).toEqual(r.calibrator);
    expect(r.calibrator.method).toBe('isotonic');
    expect(r.check?.fittedOn).toBe('out-of-bag');
    expect(r.check?.fitRows).toBe(4000);
    expect(r.check!.after.ece).toBeLessThan(r.check!.before.ece);
    expect(r.check!.after.brier).toBeLessThan(r.check!.before.brier);
    // A score of 0.5 is really a 25% risk.
    expect(calibrate(r.calibrator, Float64Array.of(0.5))[0]).toBeCloseTo(0.25, 1);
  });

  it('without out-of-bag scores, fits on the hold-out and measures on its halves, both ways', () => {
    const r = calibrateTraining({ ...held, oob: noOob(4000) }, { oob: noOob(6000), y: new Uint8Array(6000) });
    expect(r.json.fittedOn).toBe('hold-out');
    expect(r.json.rows).toBe(2000);
    expect(r.check?.fittedOn).toBe('hold-out halves');
    expect(r.check?.fitRows).toBe(1000);
    // Every hold-out row is measured once.
    expect(r.check?.after.rows).toBe(2000);
    expect(r.check!.after.ece).toBeLessThan(r.check!.before.ece);
  });

  it('without a validation step or out-of-bag scores: the model’s own, kept off 0 and 1; nothing measured', () => {
    const r = calibrateTraining(null, { oob: noOob(10), y: new Uint8Array(10) });
    const clip = 0.5 / 11;
    expect(r.calibrator).toEqual({ method: 'platt', a: 1, b: 0, clip });
    expect(r.json).toMatchObject({ method: 'platt', a: 1, b: 0, fittedOn: null, rows: 0 });
    expect(r.check).toBeNull();
  });
});
