/**
 * `retain score` end to end beside DuckDB's bare aggregation of the same CDR file, same run.
 *
 * Generates an operator (default 80,000 subscribers at the start, 10 months, CDRs for the last month
 * only: about 4.4 million CDR events in the scored month), then runs, interleaved, `retain score` of the
 * last month through the built CLI (with the billing months the shipped model's history reads) and
 * `duckdb_cdr.mjs` of the shared benches on that month's CDR file. Prints each run's per-phase seconds
 * (as the CLI logs them), retain's total and peak RSS, DuckDB's seconds and the ratio, then the
 * best-of-runs ratio. Checks that every retain run wrote the same scores and lists.
 *
 *   npm run build
 *   npx tsx scripts/bench/score-vs-duckdb.ts [--subscribers 80000] [--months 10] [--billing-months 7]
 *     [--runs 3] [--dir DIR] [--shared ../shared] [--duckdb-modules DIR] [--threads 0] [--model FILE]
 *
 * --model scores with that model file instead of the shipped one (a boosted model walks and explains
 * at another cost than the shipped forest). Each phase line gives its wall seconds and, when the CLI
 * logs them, the CPU seconds of the whole process (every thread) in that phase.
 *
 * DuckDB's Node API is installed outside the project (see the shared benches' README); its
 * node_modules folder is given by --duckdb-modules, else NODE_PATH, else /tmp/duck/node_modules.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { createFileSinks, generateOperator } from '../generate/index.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '80000' },
    months: { type: 'string', default: '10' },
    'billing-months': { type: 'string', default: '7' },
    seed: { type: 'string', default: '11' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0' },
    dir: { type: 'string' },
    shared: { type: 'string' },
    'duckdb-modules': { type: 'string' },
    model: { type: 'string' },
  },
});
const repo = resolve(import.meta.dirname, '../..');
const subscribers = Number(values.subscribers);
const months = Number(values.months);
const runs = Number(values.runs);
const dir = resolve(values.dir ?? join(tmpdir(), `retain-score-duckdb-${subscribers}x${months}`));
const shared = resolve(values.shared ?? join(repo, '../shared'));
const duckScript = join(shared, 'bench/duckdb_cdr.mjs');
const duckModules = values['duckdb-modules'] ?? process.env.NODE_PATH ?? '/tmp/duck/node_modules';
const cli = join(repo, 'bin/retain');
if (!existsSync(join(repo, 'dist/cli/main.js')))
  throw new Error('run npm run build first: the CLI runs dist/');
if (!existsSync(duckScript)) throw new Error(`${duckScript} not found: give --shared DIR`);

if (!existsSync(join(dir, 'done'))) {
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating ${subscribers} subscribers x ${months} months into ${dir}\n`);
  const sinks = createFileSinks({ out: dir, format: 'csv', gzip: false, cdr: true, truth: false });
  const seed = Number(values.seed);
  await generateOperator({ subscribers, months, seed, start: '2025-01', cdrMonths: 1 }, sinks);
  writeFileSync(join(dir, 'done'), '');
}
const files = readdirSync(dir).sort();
const billing = files
  .filter((f) => f.startsWith('billing-'))
  .slice(-Number(values['billing-months']))
  .map((f) => join(dir, f));
const cdr = join(dir, files.filter((f) => f.startsWith('cdr-')).at(-1)!);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface RetainRun {
  phases: Map<string, number>;
  /** CPU seconds of each phase (every thread), when the CLI logs them. */
  cpu: Map<string, number>;
  /** Seconds from spawn to exit. */
  wall: number;
  /** The CLI's own total (from the timer's start). */
  logged: number;
  peakRssMiB: number;
  digest: string;
  subscribers: number;
  /** CDR events read. */
  events: number;
}

/** A digest of the folder's data files (the run record holds times and is left out). */
function digestOf(out: string): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(out).sort())
    if (f.endsWith('.csv')) hash.update(f).update(readFileSync(join(out, f)));
  return hash.digest('hex').slice(0, 16);
}

async function retainOnce(out: string): Promise<RetainRun> {
  const args = [cli, 'score', ...billing, '--cdr', cdr, '--out', out, '--log-format', 'json'];
  args.push('--threads', values.threads!);
  if (values.model !== undefined) args.push('--model', resolve(values.model));
  const t = performance.now();
  const { stderr } = await run(process.execPath, args, { maxBuffer: 1 << 26 });
  const wall = (performance.now() - t) / 1000;
  const records = stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const phases = new Map<string, number>();
  const cpu = new Map<string, number>();
  for (const r of records) {
    if (r.msg !== 'phase') continue;
    phases.set(r.phase as string, r.seconds as number);
    if (typeof r.cpuSeconds === 'number') cpu.set(r.phase as string, r.cpuSeconds);
  }
  const total = records.find((r) => r.msg === 'total');
  const written = records.find((r) => r.msg === 'scores and lists written');
  if (!total || !written) throw new Error(`retain score logged no total:\n${stderr}`);
  return {
    phases,
    cpu,
    wall,
    logged: total.seconds as number,
    peakRssMiB: total.peakRssMiB as number,
    digest: digestOf(out),
    subscribers: written.subscribers as number,
    events: records.find((r) => r.msg === 'cdr: read')?.rows as number,
  };
}

async function duckOnce(): Promise<{ seconds: number; wall: number }> {
  const t = performance.now();
  const { stdout } = await run(process.execPath, [duckScript, cdr], {
    env: { ...process.env, NODE_PATH: duckModules },
  });
  const wall = (performance.now() - t) / 1000;
  const m = /seconds=([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`duckdb_cdr.mjs printed no seconds: ${stdout}`);
  return { seconds: Number(m[1]), wall };
}

const outs = mkdtempSync(join(tmpdir(), 'retain-score-duckdb-out-'));
process.stderr.write(`${billing.length} billing files, ${cdr}; load average ${load()}\n`);
const results: { retain: RetainRun; duck: { seconds: number; wall: number }; load: string }[] = [];
for (let i = 0; i < runs; i++) {
  const before = load();
  const retain = await retainOnce(join(outs, `run-${i + 1}`));
  const duck = await duckOnce();
  results.push({ retain, duck, load: before });
  process.stderr.write(
    `run ${i + 1}: retain ${retain.wall.toFixed(2)} s, duckdb ${duck.seconds.toFixed(2)} s (load ${before})\n`,
  );
}

const phaseNames = [...results[0]!.retain.phases.keys()];
const cols = ['run', ...phaseNames, 'retain total', 'retain wall', 'peak RSS MiB', 'duckdb', 'duckdb wall'];
const rows = results.map(({ retain, duck }, i) => [
  String(i + 1),
  ...phaseNames.map((p) => {
    const wall = (retain.phases.get(p) ?? Number.NaN).toFixed(2);
    const cpu = retain.cpu.get(p);
    return cpu === undefined ? wall : `${wall}/${cpu.toFixed(2)}`;
  }),
  retain.logged.toFixed(2),
  retain.wall.toFixed(2),
  String(retain.peakRssMiB),
  duck.seconds.toFixed(2),
  duck.wall.toFixed(2),
  `${(retain.wall / duck.seconds).toFixed(2)}x`,
]);
cols.push('ratio');
const width = cols.map((c, j) => Math.max(c.length, ...rows.map((r) => r[j]!.length)));
const line = (r: string[]) => r.map((c, j) => c.padStart(width[j]!)).join('  ');
const r0 = results[0]!.retain;
console.log(
  `retain score: ${r0.subscribers} subscribers scored, ${billing.length} billing files, ` +
    `CDR file of ${r0.events} events; DuckDB: duckdb_cdr.mjs on the same CDR file`,
);
console.log(line(cols));
for (const r of rows) console.log(line(r));
const bestRetain = Math.min(...results.map((r) => r.retain.wall));
const bestDuck = Math.min(...results.map((r) => r.duck.seconds));
console.log(
  `best of ${runs}: retain ${bestRetain.toFixed(2)} s, duckdb ${bestDuck.toFixed(2)} s, ratio ${(bestRetain / bestDuck).toFixed(2)}x`,
);
console.log('ratio: retain wall (spawn to exit) over the seconds duckdb_cdr.mjs prints for its aggregation');
console.log('phases: wall seconds/CPU seconds of the whole process (every thread) in that phase');
console.log(`load average per run (1/5/15 min): ${results.map((r) => r.load).join(' | ')}; now ${load()}`);
const digests = new Set(results.map((r) => r.retain.digest));
console.log(
  digests.size === 1
    ? `every run wrote the same scores and lists (${[...digests][0]})`
    : `RUNS DIFFER: ${[...digests].join(', ')}`,
);
// The score folders were made by this bench, in its own temporary folder: removed once compared.
rmSync(outs, { recursive: true });
