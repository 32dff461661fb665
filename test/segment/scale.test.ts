import { describe, expect, it } from 'vitest';
import { createRandom, fitScaler, InputError, makeFrame, SKEW_THRESHOLD } from '../../src/index.js';

function column(n: number, draw: (i: number) => number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => draw(i));
}

const r = createRandom(42);
const n = 2000;
const frame = makeFrame({
  // A volume in the fixed list, even when drawn symmetric.
  data_mb: column(n, () => 500 + 50 * r.normal()),
  // Not a listed volume but strongly right-skewed (exponential): logged by skewness.
  longest_silent_run: column(n, () => -Math.log(1 - r.next()) * 3),
  // Symmetric share: kept linear.
  night_share: column(n, () => 0.3 + 0.05 * r.normal()),
  // Skewed but with negatives: log1p is not defined for it, kept linear.
  spend_change: column(n, () => Math.exp(r.normal()) - 1.5),
  tenure_months: Int32Array.from({ length: n }, (_, i) => i % 48),
});

describe('fitScaler', () => {
  const features = ['data_mb', 'longest_silent_run', 'night_share', 'spend_change', 'tenure_months'];
  const scaler = fitScaler(frame, features);

  it('logs listed volumes and skewed non-negative features only', () => {
    expect(SKEW_THRESHOLD).toBe(1);
    expect(scaler.log).toEqual([true, true, false, false, false]);
  });

  it('standardises to mean 0 and standard deviation 1 on the training rows', () => {
    features.forEach((name, j) => {
      const c = frame.cols[name] as Float64Array | Int32Array;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const v = scaler.log[j] ? Math.log1p(c[i]!) : c[i]!;
        const z = (v - scaler.means[j]!) / scaler.stds[j]!;
        s += z;
        s2 += z * z;
      }
      expect(s / n).toBeCloseTo(0, 9);
      expect(s2 / n).toBeCloseTo(1, 9);
    });
  });

  it('skips NaN when learning, and a constant or empty feature gets std 1', () => {
    const f = makeFrame({
      a: new Float64Array([1, Number.NaN, 3, Number.NaN]),
      flat: new Float64Array([4, 4, 4, 4]),
      none: new Float64Array(4).fill(Number.NaN),
    });
    const s = fitScaler(f, ['a', 'flat', 'none']);
    expect(s.means).toEqual([2, 4, 0]);
    expect(s.stds).toEqual([1, 1, 1]);
    expect(s.log).toEqual([false, false, false]);
  });

  it.each([1e155, 1e200, -1e200, 1.7e308])(
    'describes a feature holding %s among small values as the same values in smaller units would be',
    (huge) => {
      // The plain squares overflow: without care the standard deviation is infinite and unused.
      const values = Float64Array.from({ length: 100 }, (_, i) => (i === 5 ? huge : i % 3));
      const f = makeFrame({ b: values, small: values.map((v) => v / Math.abs(huge)) });
      const s = fitScaler(f, ['b', 'small']);
      expect(s.log).toEqual([huge > 0, huge > 0]);
      if (huge < 0) {
        // Kept linear: its mean and spread are the small copy's, scaled back up.
        expect(s.means[0]! / Math.abs(huge)).toBeCloseTo(s.means[1]!, 12);
        expect(s.stds[0]! / Math.abs(huge)).toBeCloseTo(s.stds[1]!, 12);
      }
      for (const j of [0, 1]) expect(Number.isFinite(s.means[j]!) && Number.isFinite(s.stds[j]!)).toBe(true);
      expect(s.stds[0]).not.toBe(1);
    },
  );

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(scaler))).toEqual(scaler);
  });

  it('names a missing or text column', () => {
    expect(() => fitScaler(frame, ['arpu'])).toThrow(/"arpu"/);
    const text = makeFrame({ plan: { kind: 'dict', codes: new Int32Array([0]), dictionary: ['gold'] } });
    expect(() => fitScaler(text, ['plan'])).toThrow(InputError);
  });
});
