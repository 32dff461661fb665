import { describe, expect, it } from 'vitest';
import { brier, calibrationQuality, expectedCalibrationError, logLoss } from '../../src/index.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe('expected calibration error (equal-frequency bins)', () => {
  it('averages |mean probability − churn rate| over bins of equal size', () => {
    // Two bins of two rows: {0.1, 0.2} with 0 churners, {0.6, 0.8} with 2.
    const e = expectedCalibrationError(f64([0.8, 0.1, 0.6, 0.2]), u8([1, 0, 1, 0]), 2);
    expect(e).toBeCloseTo(0.5 * Math.abs(0.15 - 0) + 0.5 * Math.abs(0.7 - 1), 12);
  });

  it('shares a run of equal probabilities across the cut in proportion, whatever the row order', () => {
    const p = f64([0.2, 0.2, 0.2, 0.2, 0.9, 0.9]);
    const a = expectedCalibrationError(p, u8([1, 0, 0, 0, 1, 1]), 2);
    const b = expectedCalibrationError(p, u8([0, 0, 0, 1, 1, 1]), 2);
    expect(a).toBe(b);
    // Bin 1: three rows at 0.2 with churn 1/4 each; bin 2: one at 0.2 (1/4) and two at 0.9 (1 each).
    const bin1 = Math.abs(3 * 0.2 - 3 * 0.25);
    const bin2 = Math.abs(0.2 + 1.8 - (0.25 + 2));
    expect(a).toBeCloseTo((bin1 + bin2) / 6, 12);
  });

  it('is 0 for probabilities equal to the churn rate in every bin', () => {
    const p = f64(Array.from({ length: 20 }, (_, i) => (i < 10 ? 0.2 : 0.6)));
    const y = u8(Array.from({ length: 20 }, (_, i) => (i < 10 ? Number(i < 2) : Number(i < 16))));
    expect(expectedCalibrationError(p, y)).toBeCloseTo(0, 12);
  });
});

describe('calibrationQuality', () => {
  it('reports Brier, log-loss, ECE and the shares at exactly 0 and 1, leaving NaN out', () => {
    const p = f64([0, 0, 0.5, 1, Number.NaN]);
    const y = u8([0, 1, 1, 1, 0]);
    const q = calibrationQuality(p, y);
    expect(q.rows).toBe(4);
    expect(q.atZero).toBe(0.5);
    expect(q.atOne).toBe(0.25);
    expect(q.brier).toBe(brier(p, y));
    expect(q.logLoss).toBe(logLoss(p, y));
    expect(q.ece).toBe(expectedCalibrationError(p, y));
  });
});
