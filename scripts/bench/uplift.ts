/**
 * Uplift targeting against risk targeting on generated operators with a known heterogeneous call
 * effect (persuadables, sure things, lost causes, sleeping dogs): revenue saved at the same capacity
 * by the top of the warning band ordered by revenue at risk, by expected saving (the uplift model,
 * negative savings not called), and by the truth (the oracle order). Several seeds, mean ± sd.
 * See uplift-case.ts for one case.
 *
 *   npx tsx scripts/bench/uplift.ts [--seeds 1,2,3,4,5] [--subscribers 30000] [--months 5]
 *                                   [--capacity 0.3] [--trees 50] [--dir DIR]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runUpliftCase, type UpliftCaseResult } from './uplift-case.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3,4,5' },
    subscribers: { type: 'string', default: '30000' },
    months: { type: 'string', default: '5' },
    capacity: { type: 'string', default: '0.3' },
    trees: { type: 'string', default: '50' },
    dir: { type: 'string' },
  },
});

const dir = resolve(values.dir ?? mkdtempSync(join(tmpdir(), 'retain-uplift-bench-')));
const results: UpliftCaseResult[] = [];
const amount = (v: number) => Math.round(v).toLocaleString('en-US');
process.stdout.write(
  '| seed | band (held-out half) | calls | risk | uplift | truth | uplift dropped | learner kept (held-out Qini two-model / class-transformation) |\n|---|---|---|---|---|---|---|---|\n',
);
for (const seed of values.seeds.split(',').map(Number)) {
  const started = performance.now();
  const r = await runUpliftCase({
    subscribers: Number(values.subscribers),
    months: Number(values.months),
    seed,
    dir: join(dir, `seed-${seed}`),
    capacityShare: Number(values.capacity),
    trees: Number(values.trees),
  });
  results.push(r);
  const q = (m: string) =>
    r.selection.trials.find((t) => t.method === m)?.qiniCoefficient.toFixed(1) ?? 'n/a';
  process.stdout.write(
    `| ${seed} | ${r.candidates} | ${r.capacity} | ${amount(r.risk)} | ${amount(r.uplift)} | ${amount(r.truth)} | ` +
      `${r.upliftDropped} | ${r.selection.chosen} (${q('two-model')} / ${q('class-transformation')}) |\n`,
  );
  process.stderr.write(`seed ${seed}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function meanSd(xs: readonly number[]): string {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${amount(m)} ± ${amount(sd)}`;
}
process.stdout.write(
  `\nrevenue saved over the horizon, mean ± sd over ${results.length} seeds:\n` +
    `  risk   ${meanSd(results.map((r) => r.risk))}\n` +
    `  uplift ${meanSd(results.map((r) => r.uplift))}\n` +
    `  truth  ${meanSd(results.map((r) => r.truth))}\n` +
    `  uplift − risk ${meanSd(results.map((r) => r.uplift - r.risk))}; uplift ahead in ${results.filter((r) => r.uplift > r.risk).length} of ${results.length}\n`,
);
