/**
 * Segmentation speed and quality: fitSegments with the default config (k chosen in 4..10) and
 * assignSegments over every row, then the silhouette of the fitted segments on a fixed evaluation
 * sample (the same rows whatever the fit did, so runs of different versions compare).
 *
 *   npx tsx scripts/bench/segment.ts [--rows 1000000] [--seed 1]
 *       generated subscribers from 5 seeded behavioural blobs with log-normal volumes; the evaluation
 *       sample is 5,000 further rows drawn from the same blobs (held out from the fit)
 *   npx tsx scripts/bench/segment.ts --table FILE --label COL [--id COL] --model MODEL.json
 *       a wide table, encoded as `retain train --table` does, segmented on the features the model's
 *       segments use (the forest's top features, so no forest is fitted here)
 *   npx tsx scripts/bench/segment.ts --billing FILE[,FILE...] [--cdr FILE[,FILE...]]
 *       an operator's files: the latest labelled month, as `retain train` segments it
 *
 * Overrides to see what a setting changes: --restarts, --choice-sample, --fit-sample, --tolerance,
 * --screen (iterations each restart runs before they are compared; 0: every restart to the end).
 * The evaluation sample of a table or an operator is a fixed seeded draw of at most --eval-rows rows
 * (all of a small table), not held out from the fit.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  assignSegments,
  buildFeatures,
  createRandom,
  DEFAULT_CONFIG,
  DEFAULT_SEGMENT_FEATURES,
  type Frame,
  fitSegments,
  fitSegmentsParallel,
  fitTableEncoding,
  i32,
  makeFrame,
  readBilling,
  readCdrFiles,
  readCellTable,
  type SegmentModel,
  type SegmentOptions,
  STATUS,
  segmentOptionsFromConfig,
  silhouette,
  take,
  u8,
  where,
} from '../../src/index.js';
import { sampleRows } from '../../src/segment/sample.js';
import { scaleRows, scalerColumns } from '../../src/segment/scale.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    table: { type: 'string' },
    label: { type: 'string' },
    id: { type: 'string' },
    model: { type: 'string' },
    billing: { type: 'string' },
    cdr: { type: 'string' },
    restarts: { type: 'string' },
    'choice-sample': { type: 'string' },
    'fit-sample': { type: 'string' },
    tolerance: { type: 'string' },
    screen: { type: 'string' },
    'eval-rows': { type: 'string', default: '5000' },
  },
});
const seed = Number(values.seed);
const evalRows = Number(values['eval-rows']);

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

/** n generated subscribers on the default behavioural features (the planted centres follow their order). */
function blobs(n: number, blobSeed: number): Frame {
  const names = DEFAULT_SEGMENT_FEATURES;
  const r = createRandom(blobSeed);
  const cols = names.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const b = BLOBS[r.int(BLOBS.length)]!;
    for (let j = 0; j < names.length; j++) {
      const v = b[j]! + SD[j]! * r.normal();
      cols[j]![i] = j < 6 ? Math.exp(v) : Math.max(0, v);
    }
  }
  return makeFrame(Object.fromEntries(names.map((name, j) => [name, cols[j]!])));
}

/** The frame to segment, the features to use (undefined: the defaults) and the evaluation rows. */
async function input(): Promise<{ what: string; frame: Frame; features?: string[]; evaluation: Frame }> {
  if (values.table !== undefined) {
    if (values.label === undefined || values.model === undefined)
      throw new Error('--table needs --label and --model (a model trained on that table)');
    const raw = await readCellTable(values.table, { text: values.id ? [values.id] : [] });
    const { X } = fitTableEncoding(raw, { label: values.label, ...(values.id ? { id: values.id } : {}) });
    const model = JSON.parse(readFileSync(values.model, 'utf8')) as { segments: SegmentModel };
    const frame = makeFrame(Object.fromEntries(X.names.map((n, j) => [n, X.columns[j]!])));
    return { what: values.table, frame, features: [...model.segments.features], evaluation: frame };
  }
  if (values.billing !== undefined) {
    const config = DEFAULT_CONFIG;
    const { table } = await readBilling(values.billing.split(','), { config });
    const cdr = values.cdr
      ? (await readCdrFiles(values.cdr.split(','), { config, rejects: null, threads: 0 })).aggregates
      : null;
    const built = buildFeatures(table, cdr, config);
    // As retain train: labelled, not closed, latest labelled month.
    const f = built.frame;
    const labelled = u8(f, 'labelled');
    const status = u8(f, 'status');
    const month = i32(f, 'month');
    const kept = (i: number) => labelled[i] === 1 && status[i] !== STATUS.closed;
    let last = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < f.n; i++) if (kept(i) && month[i]! > last) last = month[i]!;
    const frame = take(
      f,
      where(f.n, (i) => kept(i) && month[i] === last),
    );
    return { what: `operator ${values.billing}`, frame, evaluation: frame };
  }
  const n = Number(values.rows);
  return {
    what: `generated blobs, ${n.toLocaleString('en')} rows`,
    frame: blobs(n, seed),
    evaluation: blobs(evalRows, seed + 1000),
  };
}

/** Mean silhouette of the model's segments on at most `evalRows` fixed rows of `frame`, in the model's scaled units. */
function evaluationSilhouette(model: SegmentModel, frame: Frame): { score: number; rows: number } {
  const rows = sampleRows(frame.n, evalRows, createRandom(20_240_601, 99));
  const sub = take(frame, rows);
  const x = scaleRows(model.scaler, scalerColumns(model.scaler, sub), sub.n);
  return { score: silhouette(x, assignSegments(model, sub), model.k), rows: sub.n };
}

const { what, frame, features, evaluation } = await input();
const overrides: Partial<SegmentOptions> = {
  ...(features ? { features } : {}),
  ...(values.restarts ? { restarts: Number(values.restarts) } : {}),
  ...(values['choice-sample'] ? { choiceSample: Number(values['choice-sample']) } : {}),
  ...(values['fit-sample'] ? { fitSample: Number(values['fit-sample']) } : {}),
  ...(values.tolerance ? { tolerance: Number(values.tolerance) } : {}),
  ...(values.screen ? { screenIterations: Number(values.screen) } : {}),
};
const options: SegmentOptions = { ...segmentOptionsFromConfig(DEFAULT_CONFIG.segments, seed), ...overrides };

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const fit = fitSegments(frame, options);
const t1 = performance.now();
const cpuFit = process.cpuUsage(cpu0);
const again = assignSegments(fit.model, frame);
const t2 = performance.now();
const evaluated = evaluationSilhouette(fit.model, evaluation);
// The same fit with the choice of k on two threads, as table training runs it.
const cpu3 = process.cpuUsage();
const t3 = performance.now();
const parallel = await fitSegmentsParallel(frame, options, 2);
const t4 = performance.now();
const cpuParallel = process.cpuUsage(cpu3);
const sameParallel =
  JSON.stringify(parallel.model) === JSON.stringify(fit.model) &&
  parallel.assignment.every((s, i) => s === fit.assignment[i]);

const same = again.every((s, i) => s === fit.assignment[i]);
const r = fit.report as typeof fit.report & { choiceRows?: number };
console.log(
  `${what}: ${frame.n.toLocaleString('en')} rows, features ${fit.model.features.length}, k chosen ${r.k}`,
);
console.log(`silhouette by k: ${r.silhouetteByK.map((s) => `${s.k}:${s.silhouette.toFixed(3)}`).join(' ')}`);
console.log(
  `fitSegments ${((t1 - t0) / 1000).toFixed(2)} s wall, ${((cpuFit.user + cpuFit.system) / 1e6).toFixed(2)} s CPU` +
    ` (choice sample ${r.choiceRows ?? r.fitRows}, fit sample ${r.fitRows}, silhouette sample ${r.silhouetteRows},` +
    ` ${r.silhouetteByK.length} k values x ${options.restarts} restarts, final iterations ${r.iterations})`,
);
console.log(
  `fitSegmentsParallel (2 threads) ${((t4 - t3) / 1000).toFixed(2)} s wall, ${((cpuParallel.user + cpuParallel.system) / 1e6).toFixed(2)} s CPU, same segments: ${sameParallel}`,
);
console.log(
  `assignSegments ${((t2 - t1) / 1000).toFixed(2)} s = ${(((frame.n / (t2 - t1)) * 1000) / 1e6).toFixed(1)} M rows/s, same as training: ${same}`,
);
console.log(`evaluation silhouette ${evaluated.score.toFixed(4)} on ${evaluated.rows} fixed rows`);
console.log(`sizes: ${fit.model.profiles.map((p) => p.size).join(' ')}`);
console.log(`names: ${fit.model.names.join(' | ')}`);
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
