import { describe, expect, it } from 'vitest';
import {
  assignLifecycle,
  type ControlSettings,
  comparisonPower,
  controlDraw,
  controlSettingsOf,
  createRandom,
  criticalValue,
  DEFAULT_CONFIG,
  lifecycleSettingsOf,
  newcombe,
  parseConfig,
  parseMonth,
  sizeControlGroup,
  u8,
} from '../../src/index.js';
import { scoredFrame } from './scored-frame.js';

const withEvaluation = (
  e: Partial<ControlSettings>,
  share: ControlSettings['controlShare'] = 'auto',
): ControlSettings => ({ ...controlSettingsOf(DEFAULT_CONFIG), controlShare: share, ...e });

/** A warning band in list order: churn probabilities spread around a mean of 0.2. */
function band(size: number, seed: number): Float64Array {
  const rng = createRandom(seed, 1);
  return Float64Array.from({ length: size }, () => 0.1 + 0.2 * rng.next());
}

describe('sizing the control group by power', () => {
  const aim = withEvaluation({ minEffect: 0.05 });
  const p = band(3000, 1);
  const mean = p.reduce((s, v) => s + v, 0) / p.length;

  it('takes the smallest control group that reaches the power', () => {
    const s = sizeControlGroup({ probability: p, capacity: null }, aim);
    expect(s).toMatchObject({ basis: 'power', band: 3000, reachesPower: true });
    expect(s.expectedChurn).toBeCloseTo(mean, 12);
    expect(s.called).toBe(3000 - s.control);
    expect(s.share).toBe(s.control / 3000);
    expect(comparisonPower(3000 - s.control, s.control, mean, 0.05, 0.05)).toBeGreaterThanOrEqual(0.8);
    expect(comparisonPower(3000 - s.control + 1, s.control - 1, mean, 0.05, 0.05)).toBeLessThan(0.8);
  });

  it('with a capacity compares only the top of the band, and needs a larger share for it', () => {
    const capped = sizeControlGroup({ probability: p, capacity: 1000 }, aim);
    const whole = sizeControlGroup({ probability: p, capacity: null }, aim);
    expect(capped.called).toBe(1000);
    expect(capped.share).toBeGreaterThan(whole.share);
    const compared = (capped.control * 1000) / (3000 - capped.control);
    const k = Math.round(1000 + compared);
    expect(capped.expectedChurn).toBeCloseTo(p.slice(0, k).reduce((s, v) => s + v, 0) / k, 12);
    expect(capped.power).toBeCloseTo(comparisonPower(1000, compared, capped.expectedChurn, 0.05, 0.05), 12);
  });

  it('takes the largest share allowed, and says so, when no control group reaches the power', () => {
    const s = sizeControlGroup(
      { probability: band(200, 2), capacity: null },
      withEvaluation({ maxControlShare: 0.3 }),
    );
    expect(s).toMatchObject({ control: 60, share: 0.3, reachesPower: false });
    expect(s.power).toBeLessThan(0.8);
  });

  // The Must-show figure: the picked size detects the configured effect in about 80% of campaigns.
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['the whole band called', null],
    ['a capacity of 1,200',   1200],
  ])('detects the configured effect in 72 to 88 percent of 300 simulated campaigns: %s', (_, capacity) => {
    const size = 3000;
    const s = sizeControlGroup({ probability: p, capacity }, aim);
    const ids = Array.from({ length: size }, (_, i) => String(i).padStart(10, '0'));
    const month = parseMonth('2025-06');
    const z = criticalValue(0.05);
    let detected = 0;
    for (let k = 0; k < 300; k++) {
      const rng = createRandom(k, 9);
      const control = ids.map((id) => controlDraw(k, month, id) < s.share);
      // The band is in list order: the first `capacity` not held out are called; held-out
      // subscribers ranked above the last called one are compared (as evaluate does).
      let called = 0;
      let last = size;
      for (let i = 0; i < size && (capacity === null || called < capacity); i++) {
        if (control[i]) continue;
        called++;
        last = i;
      }
      const counts = { xt: 0, nt: 0, xc: 0, nc: 0 };
      for (let i = 0; i <= Math.min(last, size - 1); i++) {
        const y = rng.next() < p[i]! - (control[i] ? 0 : 0.05) ? 1 : 0;
        if (control[i]) {
          counts.nc++;
          counts.xc += y;
        } else {
          counts.nt++;
          counts.xt += y;
        }
      }
      const d = newcombe(counts.xt, counts.nt, counts.xc, counts.nc, z)!;
      if (d.high < 0 || d.low > 0) detected++;
    }
    expect(detected / 300).toBeGreaterThan(0.72);
    expect(detected / 300).toBeLessThan(0.88);
  });
});

describe('--control-share auto in the lifecycle', () => {
  // 4,000 subscribers at risk: decile 1 (400 of them) is the warning band.
  const rows = Array.from({ length: 4000 }, (_, i) => ({
    id: String(i).padStart(6, '0'),
    prob: 0.05 + (i % 97) / 200,
  }));
  const aim = withEvaluation({ minEffect: 0.1 });
  const settings = { ...lifecycleSettingsOf(DEFAULT_CONFIG), control: aim };

  it('draws about the sized share of the band, the same for the same seed', () => {
    const staged = assignLifecycle(scoredFrame(rows), settings, { seed: 5 });
    const again = assignLifecycle(scoredFrame(rows), settings, { seed: 5 });
    expect(Array.from(u8(again, 'control'))).toEqual(Array.from(u8(staged, 'control')));
    const stage = u8(staged, 'stage');
    const inBand = Array.from(stage).filter((s) => s === 3).length;
    const prob = Float64Array.from(rows.map((r) => r.prob).filter((_, i) => stage[i] === 3)).sort(
      (a, b) => b - a,
    );
    const sizing = sizeControlGroup({ probability: prob, capacity: null }, aim);
    const drawn = Array.from(u8(staged, 'control')).filter((c) => c === 1).length;
    expect(inBand).toBe(sizing.band);
    expect(sizing.share).toBeGreaterThan(0.1);
    // A binomial draw: within four standard deviations of the expected size.
    const sd = Math.sqrt(inBand * sizing.share * (1 - sizing.share));
    expect(Math.abs(drawn - sizing.control)).toBeLessThan(4 * sd);
  });

  it('is accepted by the config, as is a share, and anything else is named', () => {
    expect(parseConfig({ targets: { control_share: 'auto' } }).ok).toBe(true);
    const bad = parseConfig({ targets: { control_share: 'half' }, evaluation: { power: 1.2 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems.map((q) => q.path)).toEqual(['targets.control_share', 'evaluation.power']);
  });
});
