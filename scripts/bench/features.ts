/**
 * Feature benchmark: generates one month for N subscribers (default 200,000, about 10 million CDR
 * events) with the project generator, reads billing and CDRs with the io readers, aggregates CDRs
 * and builds the feature frame. Reports seconds per step, CDR rows/s and peak RSS, and times
 * DuckDB's CDR aggregation (../shared/bench/duckdb_cdr.mjs) on the same CSV file in the same run
 * when DuckDB's Node API is installed in /tmp/duck.
 *
 *   npx tsx scripts/bench/features.ts [--subscribers 200000] [--dir DIR] [--seed 7] [--no-read-only]
 *     [--time-order] [--threads N]
 *
 * CDRs are read as retain score reads them: on --threads worker threads (default: all cores), each
 * aggregating a range of the file, merged exactly. That step runs the built package (`npm run build`
 * first), so its worker threads start from compiled JavaScript as in production, not through tsx.
 *
 * The generator writes each subscriber's events together; `--time-order` sorts the CDR file by
 * start time first (with the system's `sort`), as a mediation system writes it: the aggregator's
 * worst case, since consecutive events then hit subscribers at random.
 * A second pass reading the CDR file into a sink that does nothing separates the reader's cost
 * from the aggregator's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { usableCores } from '../../src/cores.js';
import { buildFeatures } from '../../src/features/index.js';
import { readBilling, readCdr } from '../../src/io/index.js';
import { builtCdrReader } from './built.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '200000' },
    dir: { type: 'string' },
    seed: { type: 'string', default: '7' },
    'no-read-only': { type: 'boolean', default: false },
    'time-order': { type: 'boolean', default: false },
    threads: { type: 'string', default: '0' },
  },
});
const threads = Number(values.threads) || usableCores();
const { readCdrFiles } = await builtCdrReader();
const subscribers = Number(values.subscribers);
const root = resolve(import.meta.dirname, '../..');
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'retain-features-'));
const duckNodePath = '/tmp/duck/node_modules';

const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
/** CPU seconds (user + system) of this process since `c0`: steadier than wall time on a busy machine. */
const cpu = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return `${((c.user + c.system) / 1e6).toFixed(2)} s CPU`;
};

function fileNamed(prefix: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.csv'));
  return name === undefined ? undefined : join(dir, name);
}

if (fileNamed('cdr-') === undefined) {
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      join(root, 'scripts/generate.ts'),
      ...['--subscribers', String(subscribers), '--months', '1', '--seed', values.seed, '--out', dir],
      '--no-truth',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`generated in ${seconds(t0).toFixed(1)} s`);
}
const billingPath = fileNamed('billing-')!;
let cdrPath = fileNamed('cdr-')!;
if (values['time-order']) {
  const sorted = join(dir, 'time-order.csv');
  if (!existsSync(sorted)) {
    const sh = `(head -n 1 "$0"; tail -n +2 "$0" | LC_ALL=C sort -t, -k2,2 -S 1G) > "$1"`;
    execFileSync('sh', ['-c', sh, cdrPath, sorted], { stdio: 'inherit' });
  }
  cdrPath = sorted;
}
const cdrMb = statSync(cdrPath).size / 1e6;
console.log(`data: ${dir} (CDR ${cdrMb.toFixed(0)} MB)`);

let t0 = performance.now();
let c0 = process.cpuUsage();
const { table } = await readBilling([billingPath]);
const billingSeconds = seconds(t0);
console.log(
  `billing read: ${table.n} rows in ${billingSeconds.toFixed(2)} s, ${cpu(c0)} (peak RSS ${peakMb()} MB)`,
);

let readOnlySeconds = Number.NaN;
if (!values['no-read-only']) {
  let events = 0;
  t0 = performance.now();
  c0 = process.cpuUsage();
  await readCdr(cdrPath, { add: () => void events++ }, { countSubscribers: false });
  readOnlySeconds = seconds(t0);
  console.log(
    `CDR read only (one thread, no-op sink): ${events} rows in ${readOnlySeconds.toFixed(2)} s, ${cpu(c0)}`,
  );
}

t0 = performance.now();
c0 = process.cpuUsage();
// As retain score and train read: split across worker threads when the file allows it.
const read = await readCdrFiles([cdrPath], { config: DEFAULT_CONFIG, rejects: null, threads });
const cdr = read.aggregates;
const report = read.reports[0]!;
const cdrSeconds = seconds(t0);
const rows = cdr.counts.events;
console.log(
  `CDR read + aggregate (${threads} threads): ${rows} rows, ${cdr.frame.n} subscriber-months in ${cdrSeconds.toFixed(2)} s, ${cpu(c0)} ` +
    `(${(rows / cdrSeconds / 1e6).toFixed(2)} M rows/s, ${(cdrMb / cdrSeconds).toFixed(0)} MB/s; ` +
    `rejected ${report.rejected}; peak RSS ${peakMb()} MB)`,
);
if (!Number.isNaN(readOnlySeconds))
  console.log(`  reading alone on one thread: ${readOnlySeconds.toFixed(2)} s`);

t0 = performance.now();
c0 = process.cpuUsage();
const { frame, stats } = buildFeatures(table, cdr, DEFAULT_CONFIG);
const buildSeconds = seconds(t0);
console.log(
  `build features: ${frame.n} rows x ${Object.keys(frame.cols).length} columns in ${buildSeconds.toFixed(2)} s, ${cpu(c0)} ` +
    `(orphan CDR subscriber-months ${stats.cdrOrphans.subscriberMonths}; peak RSS ${peakMb()} MB)`,
);

const duckScript = resolve(root, '../shared/bench/duckdb_cdr.mjs');
if (existsSync(join(duckNodePath, '@duckdb/node-api')) && existsSync(duckScript)) {
  t0 = performance.now();
  const out = execFileSync(process.execPath, [duckScript, cdrPath], {
    env: { ...process.env, NODE_PATH: duckNodePath },
    encoding: 'utf8',
  }).trim();
  const wall = seconds(t0);
  const duckSeconds = Number(/seconds=([\d.]+)/.exec(out)?.[1]);
  console.log(`duckdb: ${out} (wall ${wall.toFixed(2)} s)`);
  console.log(
    `ratio retain CDR read + aggregate / duckdb: ${(cdrSeconds / duckSeconds).toFixed(2)}x ` +
      `(goal <= 2x); one-thread reading alone ${(readOnlySeconds / duckSeconds).toFixed(2)}x`,
  );
} else {
  console.log('duckdb: not installed (npm install --prefix /tmp/duck @duckdb/node-api)');
}
