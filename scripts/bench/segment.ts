/**
 * Segmentation speed: fitSegments with the default config (k chosen in 4..10, 8 restarts, silhouette
 * on 3,000 rows, k-means fitted on a 50,000-row sample) and assignSegments over every row.
 *
 *   npx tsx scripts/bench/segment.ts [ROWS=1000000] [SEED=1]
 *
 * Rows are drawn from 5 seeded behavioural blobs with log-normal volumes (no files involved).
 */
import {
  assignSegments,
  createRandom,
  DEFAULT_CONFIG,
  DEFAULT_SEGMENT_FEATURES,
  fitSegments,
  makeFrame,
  segmentOptionsFromConfig,
} from '../../src/index.js';

const n = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
const L = Math.log;
// Per blob: log-means of the six volumes, then active_days, night_share, weekend_share, tenure_months.
// biome-ignore format: column-aligned table
const BLOBS = [
  [L(60), L(50), L(10), L(20000), L(70), L(15), 28, 0.15, 0.3, 30],
  [L(900), L(700), L(20), L(300), L(45), L(80), 29, 0.1, 0.25, 80],
  [L(30), L(20), L(5), L(150), L(10), L(6), 8, 0.1, 0.3, 2],
  [L(200), L(150), L(400), L(4000), L(25), L(40), 25, 0.6, 0.5, 12],
  [L(700), L(500), L(60), L(15000), L(120), L(60), 30, 0.2, 0.3, 70],
];
const SD = [0.4, 0.4, 0.4, 0.4, 0.3, 0.4, 3, 0.05, 0.05, 8];
// The default behavioural features, in their order (the planted centres above follow it).
const NAMES = DEFAULT_SEGMENT_FEATURES;

const r = createRandom(seed);
const cols = NAMES.map(() => new Float64Array(n));
for (let i = 0; i < n; i++) {
  const b = BLOBS[r.int(BLOBS.length)]!;
  for (let j = 0; j < NAMES.length; j++) {
    const v = b[j]! + SD[j]! * r.normal();
    cols[j]![i] = j < 6 ? Math.exp(v) : Math.max(0, v);
  }
}
const frame = makeFrame(Object.fromEntries(NAMES.map((name, j) => [name, cols[j]!])));

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const fit = fitSegments(frame, segmentOptionsFromConfig(DEFAULT_CONFIG.segments, seed));
const t1 = performance.now();
const cpuFit = process.cpuUsage(cpu0);
const again = assignSegments(fit.model, frame);
const t2 = performance.now();

const same = again.every((s, i) => s === fit.assignment[i]);
console.log(`rows ${n.toLocaleString('en')}, features ${NAMES.length}, k chosen ${fit.report.k}`);
console.log(
  `silhouette by k: ${fit.report.silhouetteByK.map((s) => `${s.k}:${s.silhouette.toFixed(3)}`).join(' ')}`,
);
console.log(
  `fitSegments ${((t1 - t0) / 1000).toFixed(2)} s (fit sample ${fit.report.fitRows}, ${fit.report.silhouetteByK.length} k values x ${DEFAULT_CONFIG.segments.restarts} restarts)`,
);
console.log(
  `assignSegments ${((t2 - t1) / 1000).toFixed(2)} s = ${(((n / (t2 - t1)) * 1000) / 1e6).toFixed(1)} M rows/s, same as training: ${same}`,
);
console.log(`names: ${fit.model.names.join(' | ')}`);
console.log(
  `fit CPU time ${((cpuFit.user + cpuFit.system) / 1e6).toFixed(2)} s (wall time above includes waiting for a busy machine)`,
);
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
