import { describe, expect, it } from 'vitest';
import {
  countDrift,
  createRandom,
  driftLevel,
  driftReference,
  driftSummary,
  PSI_EMPTY_SHARE,
  psi,
} from '../../src/index.js';

/**
 * PSI written out independently: deciles of the expected sample by sorting it, shares by filtering
 * each sample, the usual 0.0001 floor for empty bins, and the sum of (a − e)·ln(a/e).
 */
function referencePsi(expected: number[], actual: number[]): number {
  const sorted = [...expected].sort((a, b) => a - b);
  const cuts = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => {
    const pos = (k * (sorted.length - 1)) / 10;
    const lo = Math.floor(pos);
    return sorted[lo]! + (sorted[lo + 1]! - sorted[lo]!) * (pos - lo);
  });
  const bounds = [Number.NEGATIVE_INFINITY, ...cuts, Number.POSITIVE_INFINITY];
  const share = (xs: number[], b: number) =>
    Math.max(xs.filter((x) => x > bounds[b]! && x <= bounds[b + 1]!).length / xs.length, 0.0001);
  let total = 0;
  for (let b = 0; b < 10; b++) {
    const e = share(expected, b);
    const a = share(actual, b);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

describe('population stability index', () => {
  it('is Σ (a − e)·ln(a/e): 0.1695 for shares 0.5/0.5 scored as 0.3/0.7', () => {
    expect(psi([0.5, 0.5], [30, 70])).toBeCloseTo(-0.2 * Math.log(0.6) + 0.2 * Math.log(1.4), 12);
    expect(psi([0.5, 0.5], [30, 70])).toBeCloseTo(0.16946, 5);
    expect(psi([0.25, 0.25, 0.5], [25, 25, 50])).toBe(0);
  });

  it('counts an empty bin as a share of 0.0001 on either side', () => {
    expect(PSI_EMPTY_SHARE).toBe(1e-4);
    // A bin empty in training holding 1% of the scored rows.
    const e = [0.5, 0.5, 0];
    const value = psi(e, [49, 50, 1]);
    const expected = (0.49 - 0.5) * Math.log(0.49 / 0.5) + 0 + (0.01 - 1e-4) * Math.log(0.01 / 1e-4);
    expect(value).toBeCloseTo(expected, 12);
    expect(value).toBeCloseTo(0.0458, 4);
  });

  it.each([
    ['the same distribution', 0, 0],
    ['a shift of half a standard deviation', 0.5, 1],
    ['a doubled spread', 'spread', 2],
  ] as const)('matches an independent computation on %s', (_, shift, stream) => {
    const random = createRandom(11, stream);
    const train = Array.from({ length: 5000 }, () => random.normal());
    const scored = Array.from({ length: 4000 }, () => {
      const z = random.normal();
      return shift === 'spread' ? 2 * z : z + shift;
    });
    const X = { nRows: train.length, names: ['x'], columns: [Float64Array.from(train)] };
    const ref = driftReference(X, Float64Array.from(train), 3);
    const counts = countDrift(
      ref,
      { nRows: scored.length, names: ['x'], columns: [Float64Array.from(scored)] },
      Float64Array.from(scored),
    );
    const summary = driftSummary(ref, counts, { warn: 0.1, retrain: 0.25 });
    expect(summary.features[0]!.psi).toBeCloseTo(referencePsi(train, scored), 10);
    expect(summary.score.psi).toBeCloseTo(referencePsi(train, scored), 10);
  });
});

describe('drift levels and the summary', () => {
  // prettier-ignore
  it.each([
    [0, 'stable'],
    [0.1, 'stable'],
    [0.1001, 'warning'],
    [0.25, 'warning'],
    [0.26, 'retrain'],
  ] as const)('PSI %d is %s (warn above 0.1, retrain above 0.25)', (value, level) => {
    expect(driftLevel(value, { warn: 0.1, retrain: 0.25 })).toBe(level);
  });

  it('sorts features by PSI, highest first, and asks for retraining when one is at the retrain level', () => {
    const col = (ones: number) => Float64Array.from({ length: 10 }, (_, k) => (k < ones ? 1 : 0));
    const X = { nRows: 10, names: ['calm', 'moved', 'gone'], columns: [col(5), col(5), col(10)] };
    const scores = col(5);
    const ref = driftReference(X, scores, 1);
    // moved: 0.5/0.5 scored as 0.3/0.7; gone: a value training never saw on a tenth of the rows.
    const scored = { ...X, columns: [col(5), col(7), col(9)] };
    const s = driftSummary(ref, countDrift(ref, scored, scores), { warn: 0.1, retrain: 0.25 });
    expect(s.features.map((f) => [f.feature, f.level])).toEqual([
      ['gone', 'retrain'],
      ['moved', 'warning'],
      ['calm', 'stable'],
    ]);
    expect(s.features[1]!.psi).toBeCloseTo(0.16946, 5);
    expect(s.features[0]!.psi).toBeCloseTo(-0.1 * Math.log(0.9) + 0.0999 * Math.log(0.1 / 1e-4), 12);
    expect(s.score).toEqual({ psi: 0, level: 'stable' });
    expect(s.retrain).toBe(true);
    expect(Object.keys(s)).toEqual(['available', 'thresholds', 'score', 'features', 'retrain']);
    expect(s.thresholds).toEqual({ warn: 0.1, retrain: 0.25 });
  });
});
