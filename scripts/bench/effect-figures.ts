/**
 * The figures behind evaluate's intervals and `--control-share auto`, on simulated campaigns with a
 * known effect:
 *
 * - power: for warning bands of several sizes and effects, the control group `--control-share auto`
 *   picks (lifecycle/control.ts), drawn as scoring draws it (controlDraw), and the share of campaigns
 *   whose 95% Newcombe interval excludes 0 when the calls lower churn by exactly evaluation.min_effect.
 *   The sizing aims at evaluation.power (80%).
 * - coverage: the share of campaigns whose 95% interval covers the true effect, intent to treat
 *   (Newcombe) and on those reached (Fieller), for the first 100 seeds and for all.
 *
 *   npx tsx scripts/bench/effect-figures.ts [--campaigns 1000]
 */
import { parseArgs } from 'node:util';
import { parseMonth } from '../../src/calendar.js';
import { type Config, DEFAULT_CONFIG } from '../../src/config.js';
import { ARM, criticalValue, estimateEffect, newcombe } from '../../src/effect/index.js';
import { controlDraw, sizeControlGroup } from '../../src/lifecycle/index.js';
import { controlSettingsOf } from '../../src/pipeline/settings.js';
import { createRandom } from '../../src/random.js';

const { values } = parseArgs({ options: { campaigns: { type: 'string', default: '1000' } } });
const campaigns = Number(values.campaigns);
const z = criticalValue(0.05);
const month = parseMonth('2025-06');

/**
 * A warning band in list order: churn probabilities spread evenly around `mean`, by ± 0.1 or less so
 * that none is below the effect (a call cannot lower churn under 0, which would shrink the true effect).
 */
function band(size: number, mean: number, effect: number, seed: number): Float64Array {
  const rng = createRandom(seed, 1);
  const spread = Math.min(0.1, mean - effect);
  return Float64Array.from({ length: size }, () => mean - spread + 2 * spread * rng.next());
}

function powerRow(size: number, mean: number, effect: number, capacity: number | null): string {
  const config: Config = {
    ...DEFAULT_CONFIG,
    targets: { ...DEFAULT_CONFIG.targets, control_share: 'auto' },
    evaluation: { ...DEFAULT_CONFIG.evaluation, min_effect: effect },
  };
  const p = band(size, mean, effect, size);
  const s = sizeControlGroup({ probability: p, capacity }, controlSettingsOf(config));
  const ids = Array.from({ length: size }, (_, i) => String(i).padStart(10, '0'));
  let detected = 0;
  for (let k = 0; k < campaigns; k++) {
    const rng = createRandom(k, 9);
    const control = ids.map((id) => controlDraw(k, month, id) < s.share);
    // The first `capacity` not held out are called; held-out subscribers ranked above the last one
    // called are compared, as evaluate does.
    let called = 0;
    let last = size - 1;
    for (let i = 0; i < size && (capacity === null || called < capacity); i++) {
      if (control[i]) continue;
      called++;
      last = i;
    }
    const c = { xt: 0, nt: 0, xc: 0, nc: 0 };
    for (let i = 0; i <= last; i++) {
      const y = rng.next() < p[i]! - (control[i] ? 0 : effect) ? 1 : 0;
      if (control[i]) {
        c.nc++;
        c.xc += y;
      } else {
        c.nt++;
        c.xt += y;
      }
    }
    const d = newcombe(c.xt, c.nt, c.xc, c.nc, z);
    if (d && (d.high < 0 || d.low > 0)) detected++;
  }
  const rate = detected / campaigns;
  const se = Math.sqrt((rate * (1 - rate)) / campaigns);
  return [
    String(size).padStart(6),
    mean.toFixed(2).padStart(5),
    (effect * 100).toFixed(1).padStart(6),
    (capacity === null ? 'none' : String(capacity)).padStart(8),
    `${(s.share * 100).toFixed(1)}%`.padStart(7),
    String(Math.round(s.control)).padStart(7),
    `${(s.power * 100).toFixed(1)}%`.padStart(9),
    `${(rate * 100).toFixed(1)}% ± ${(se * 100).toFixed(1)}`.padStart(14),
  ].join('  ');
}

function coverage(): void {
  // 3,000 called, 400 held out, 12% churn without a call, 70% reached, a call that reaches lowers
  // churn by 5 points: intent to treat −3.5 points, on those reached −5 (test/effect/campaign.test.ts).
  const settings = { alpha: 0.05, minEffect: 0.02, power: 0.8 };
  const itt: boolean[] = [];
  const reached: boolean[] = [];
  for (let seed = 0; seed < campaigns; seed++) {
    const rng = createRandom(seed, 7);
    const n = 3400;
    const arm = new Uint8Array(n);
    const churned = new Uint8Array(n);
    const hit = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      arm[i] = i < 3000 ? ARM.called : ARM.control;
      hit[i] = i < 3000 && rng.next() < 0.7 ? 1 : 0;
      churned[i] = rng.next() < 0.12 - (hit[i] ? 0.05 : 0) ? 1 : 0;
    }
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const e = estimateEffect(
      { arm, churned, value: new Float64Array(n).fill(600), reached: hit },
      all,
      settings,
    );
    itt.push(e.interval!.low <= -0.035 && -0.035 <= e.interval!.high);
    const r = e.reached?.interval;
    reached.push(r != null && r.low <= -0.05 && -0.05 <= r.high);
  }
  const count = (xs: boolean[]) => xs.filter(Boolean).length;
  console.log('\ncoverage of the 95% intervals (true effect −3.5 points, −5 on those reached)');
  console.log(
    `  intent to treat (Newcombe): ${count(itt.slice(0, 100))} of the first 100, ${count(itt)} of ${campaigns}`,
  );
  console.log(
    `  on those reached (Fieller): ${count(reached.slice(0, 100))} of the first 100, ${count(reached)} of ${campaigns}`,
  );
}

console.log(
  `power of the control group --control-share auto picks (${campaigns} campaigns each, 95% two-sided)`,
);
console.log('  band  churn  effect  capacity  share  control  predicted  detected');
for (const [size, mean, effect, capacity] of [
  [3000, 0.2, 0.05, null],
  [3000, 0.2, 0.05, 1200],
  [10000, 0.2, 0.02, null],
  [10000, 0.15, 0.03, 4000],
  [50000, 0.1, 0.01, null],
] as const)
  console.log(powerRow(size, mean, effect, capacity));
coverage();
