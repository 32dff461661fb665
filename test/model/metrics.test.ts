import { describe, expect, it } from 'vitest';
import {
  auc,
  brier,
  calibrationByDecile,
  createRandom,
  liftAt,
  logLoss,
  modelMetrics,
  prAuc,
} from '../../src/index.js';

const f = (xs: number[]) => Float64Array.from(xs);
const u = (xs: number[]) => Uint8Array.from(xs);

// Reference numbers from scikit-learn 1.2.1 (Debian python3-sklearn): roc_auc_score,
// average_precision_score, brier_score_loss and log_loss on these exact vectors.
const SKLEARN = [
  {
    name: 'sklearn doc example',
    y: [0, 0, 1, 1],
    s: [0.1, 0.4, 0.35, 0.8],
    auc: 0.75,
    ap: 0.8333333333333333,
    brier: 0.158125,
    logLoss: 0.47228795380917615,
  },
  {
    name: 'ties across classes',
    y: [0, 1, 0, 1, 1, 0, 0, 1, 0, 0],
    s: [0.2, 0.2, 0.5, 0.5, 0.9, 0.1, 0.5, 0.7, 0.2, 0.05],
    auc: 0.8333333333333334,
    ap: 0.775,
    brier: 0.15825,
    logLoss: 0.4753855826384291,
  },
  {
    name: 'three-way tie',
    y: [1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0],
    s: [0.91, 0.12, 0.33, 0.33, 0.47, 0.62, 0.08, 0.33, 0.55, 0.74, 0.02, 0.19],
    auc: 0.90625,
    ap: 0.875,
    brier: 0.12229166666666667,
    logLoss: 0.3882161682208228,
  },
];

/** O(n²) definition of AUC, to check the O(n log n) one on random data. */
function bruteAuc(s: Float64Array, y: Uint8Array): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('metrics against scikit-learn', () => {
  it.each(SKLEARN)('$name', (c) => {
    const s = f(c.s);
    const y = u(c.y);
    expect(auc(s, y)).toBeCloseTo(c.auc, 12);
    expect(prAuc(s, y)).toBeCloseTo(c.ap, 12);
    expect(brier(s, y)).toBeCloseTo(c.brier, 12);
    expect(logLoss(s, y)).toBeCloseTo(c.logLoss, 12);
  });

  it('matches the pairwise definition of AUC on coarse (heavily tied) random scores', () => {
    const r = createRandom(3);
    const n = 500;
    const y = new Uint8Array(n);
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = r.next() < 0.3 ? 1 : 0;
      s[i] = Math.round((r.next() + 0.3 * y[i]!) * 10) / 10;
    }
    const expected = bruteAuc(s, y);
    expect(expected).toBeGreaterThan(0.6);
    expect(auc(s, y)).toBeCloseTo(expected, 12);
  });
});

describe('auc and prAuc', () => {
  it.each([
    { name: 'perfect', s: [0.1, 0.2, 0.8, 0.9], y: [0, 0, 1, 1], auc: 1, ap: 1 },
    { name: 'reversed', s: [0.9, 0.8, 0.2, 0.1], y: [0, 0, 1, 1], auc: 0, ap: 5 / 12 },
    { name: 'all tied', s: [0.5, 0.5, 0.5, 0.5], y: [0, 1, 0, 1], auc: 0.5, ap: 0.5 },
    { name: 'any score scale', s: [-3, 10, 2, 7], y: [0, 1, 0, 1], auc: 1, ap: 1 },
  ])('$name', (c) => {
    expect(auc(f(c.s), u(c.y))).toBeCloseTo(c.auc, 12);
    expect(prAuc(f(c.s), u(c.y))).toBeCloseTo(c.ap, 12);
  });

  it('gives NaN when only one class is present (undefined, not an error)', () => {
    expect(auc(f([0.1, 0.9]), u([1, 1]))).toBeNaN();
    expect(prAuc(f([0.1, 0.9]), u([0, 0]))).toBeNaN();
    expect(liftAt(f([0.1, 0.9]), u([0, 0]))).toBeNaN();
  });

  it('rejects labels other than 0/1 and mismatched lengths', () => {
    expect(() => auc(f([0.1, 0.9]), u([0, 2]))).toThrow(/label at row 1 is 2/);
    expect(() => brier(f([0.1]), u([0, 1]))).toThrow(RangeError);
  });
});

describe('liftAt', () => {
  const descending = f([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  it.each([
    {
      name: 'top two are the only churners',
      s: descending,
      y: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      share: 0.2,
      lift: 5,
    },
    { name: 'one of two at the top', s: descending, y: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1], share: 0.1, lift: 5 },
    { name: 'churners at the bottom', s: descending, y: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1], share: 0.2, lift: 0 },
    { name: 'whole population', s: descending, y: [0, 1, 0, 0, 0, 0, 1, 0, 0, 1], share: 1, lift: 1 },
    // k = 2, cut 0.5: one churner above, then one slot filled at the tied group's rate 1/3;
    // (1 + 1/3) / 2 over the base rate 3/10.
    {
      name: 'ties at the cut enter fractionally',
      s: f([0.9, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]),
      y: [1, 1, 0, 0, 0, 0, 0, 0, 0, 1],
      share: 0.2,
      lift: 4 / 3 / 2 / 0.3,
    },
  ])('$name', (c) => {
    expect(liftAt(c.s, u(c.y), c.share)).toBeCloseTo(c.lift, 12);
  });

  it('does not depend on the order of tied rows', () => {
    const a = liftAt(f([0.9, 0.5, 0.5, 0.5, 0.1]), u([0, 1, 0, 0, 1]), 0.4);
    const b = liftAt(f([0.5, 0.5, 0.1, 0.9, 0.5]), u([0, 0, 1, 0, 1]), 0.4);
    expect(a).toBeCloseTo(b, 12);
    expect(a).toBeCloseTo((0 + 1 / 3) / 2 / 0.4, 12);
  });

  it('rejects a share outside (0, 1]', () => {
    expect(() => liftAt(descending, u([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 0)).toThrow(RangeError);
  });
});

describe('calibrationByDecile and modelMetrics', () => {
  it('averages scores and outcomes per decile, riskiest first', () => {
    const s = f(Array.from({ length: 20 }, (_, i) => (20 - i) / 20));
    const y = u(Array.from({ length: 20 }, (_, i) => (i < 3 || i === 10 ? 1 : 0)));
    const cal = calibrationByDecile(s, y);
    expect(cal).toHaveLength(10);
    expect(cal[0]).toEqual({ decile: 1, n: 2, meanPredicted: expect.closeTo(0.975, 12), observedRate: 1 });
    expect(cal[1]).toEqual({ decile: 2, n: 2, meanPredicted: expect.closeTo(0.875, 12), observedRate: 0.5 });
    expect(cal[5]!.observedRate).toBe(0.5);
    expect(cal[9]).toEqual({ decile: 10, n: 2, meanPredicted: expect.closeTo(0.075, 12), observedRate: 0 });
  });

  it('skips NaN scores and bundles the metrics over the rest', () => {
    const c = SKLEARN[1]!;
    const s = f([...c.s, Number.NaN, Number.NaN]);
    const y = u([...c.y, 1, 0]);
    const m = modelMetrics(s, y);
    expect(m).toMatchObject({ n: 10, skipped: 2, positives: 4, negatives: 6, baseRate: 0.4 });
    expect(m.auc).toBeCloseTo(c.auc, 12);
    expect(m.prAuc).toBeCloseTo(c.ap, 12);
    expect(m.brier).toBeCloseTo(c.brier, 12);
    expect(m.logLoss).toBeCloseTo(c.logLoss, 12);
    // Top decile: k = 1, the single best score 0.9 is a churner: 1 / 0.4.
    expect(m.topDecileLift).toBeCloseTo(2.5, 12);
    expect(m.calibration.reduce((a, d) => a + d.n, 0)).toBe(10);
  });

  it('keeps brier and logLoss but no ranking metric for one class', () => {
    const m = modelMetrics(f([0.2, 0.4]), u([0, 0]));
    expect(m.auc).toBeNaN();
    expect(m.topDecileLift).toBeNaN();
    expect(m.brier).toBeCloseTo(0.1, 12);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
  });
});
