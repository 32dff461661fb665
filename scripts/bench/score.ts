/**
 * Scoring benchmark: a generated operator of N subscribers (default 1,000,000; 4 billing months, CDRs
 * for the scored month), scored with the shipped model stage by stage — seconds per stage and peak RSS.
 * Then the forest's prediction time on the scored month's feature matrix beside scikit-learn's
 * predict_proba on the same matrix (../shared/bench/sklearn_rf.py, same trees and min leaf, trained on
 * the same 200,000-row sample; missing values written as -999 for both, since scikit-learn 1.2's forest
 * takes no NaN).
 *
 *   npx tsx scripts/bench/score.ts [--subscribers 1000000] [--dir DIR] [--model FILE]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { formatMonth } from '../../src/calendar.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { LISTS } from '../../src/contract.js';
import { buildFeatures, toFeatureMatrix } from '../../src/features/index.js';
import { u8 } from '../../src/frame.js';
import { claimOutputDir, readBilling, writeScoredFiles } from '../../src/io/index.js';
import { assignLifecycle } from '../../src/lifecycle/index.js';
import { fitForest, predictForestParallel } from '../../src/model/forest.js';
import { auc } from '../../src/model/metrics.js';
import type { FeatureMatrix } from '../../src/model/types.js';
import { DEFAULT_MODEL_PATH } from '../../src/paths.js';
import { loadModel } from '../../src/pipeline/model.js';
import { scoredMonth } from '../../src/pipeline/score.js';
import { lifecycleSettingsOf, listSettingsOf, lockRuleOf } from '../../src/pipeline/settings.js';
import { createRandom } from '../../src/random.js';
import { retentionKpis, summarize } from '../../src/report/index.js';
import { assignSegments } from '../../src/segment/index.js';
import { buildTargetLists, scoresFrame } from '../../src/targets/index.js';
import { createFileSinks, generateOperator } from '../generate/index.js';
import { builtCdrReader } from './built.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000000' },
    dir: { type: 'string' },
    model: { type: 'string', default: DEFAULT_MODEL_PATH },
  },
});
const subscribers = Number(values.subscribers);
const dir = resolve(values.dir ?? join(tmpdir(), `retain-score-bench-${subscribers}`));

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 100);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const stages: [string, number][] = [];
async function stage<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await f();
  const s = (performance.now() - t) / 1000;
  stages.push([name, s]);
  process.stderr.write(`${name.padEnd(28)} ${s.toFixed(2)} s   rss ${mb(process.memoryUsage().rss)}\n`);
  return out;
}

if (!existsSync(join(dir, 'done'))) {
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating ${subscribers} subscribers x 4 months into ${dir}\n`);
  const sinks = createFileSinks({ out: dir, format: 'csv', gzip: false, cdr: true, truth: true });
  await generateOperator({ subscribers, months: 4, seed: 11, start: '2025-01', cdrMonths: 1 }, sinks);
  createWriteStream(join(dir, 'done')).end('');
}
const files = readdirSync(dir).sort();
const billingFiles = files.filter((f) => f.startsWith('billing-')).map((f) => join(dir, f));
const cdrFiles = files.filter((f) => f.startsWith('cdr-')).map((f) => join(dir, f));
const config = DEFAULT_CONFIG;
const started = performance.now();

const model = await stage('load model', () => loadModel(readFileSync(values.model!, 'utf8'), values.model!));
const { table: billing } = await stage('read billing', () => readBilling(billingFiles, { config }));
// As retain score reads CDRs: split across worker threads, from the build (`npm run build` first), so
// the workers start from compiled JavaScript as in production.
const { readCdrFiles } = await builtCdrReader();
const { aggregates: cdr, reports } = await stage('read + aggregate CDRs (2 threads)', () =>
  readCdrFiles(cdrFiles, { config, rejects: null, threads: 2 }),
);
const cdrRows = reports.reduce((n, r) => n + r.rows, 0);
const month = scoredMonth(billing);
const built = await stage('features', () => buildFeatures(billing, cdr, config, { months: [month] }));
const schema = {
  version: built.schema.version,
  features: model.file.featureSchema.features.map((f) => ({ ...f, description: '' })),
};
const X = toFeatureMatrix(built.frame, schema as typeof built.schema);
const probability = await stage('forest predict (2 threads)', () => model.predict(X));
const segment = await stage('segments', () => assignSegments(model.segments!, built.frame));
const staged = await stage('lifecycle', () =>
  assignLifecycle(
    { n: built.frame.n, cols: { ...built.frame.cols, churn_probability: probability, segment } },
    lifecycleSettingsOf(config),
    { seed: 1 },
  ),
);
const lists = await stage('target lists', () =>
  buildTargetLists(staged, listSettingsOf(config), {
    capacity: null,
    listDate: 0,
    segmentNames: model.segments!.names,
  }),
);
const summary = await stage('KPIs + summary', () =>
  summarize({
    staged,
    targets: lists,
    kpis: retentionKpis(billing, month, lockRuleOf(config)),
    segmentNames: model.segments!.names,
    modelId: model.file.id,
    inputs: [],
  }),
);
const outDir = join(dir, 'out');
// Written as `retain score` writes: checked, locked, built in a temporary, checksummed in retain-run.json.
await stage('write outputs', async () => {
  await using out = await claimOutputDir(outDir, {
    label: '--out',
    cwd: dir,
    protect: [],
    onNotice: console.warn,
  });
  await out.write(async (tmp) => {
    const scores = scoresFrame(staged, model.segments!.names);
    await writeScoredFiles(
      tmp,
      { scores, lists: LISTS.map((l) => [l, lists.lists[l]] as const), summary },
      { format: 'csv', bom: false },
    );
    return {
      command: 'score',
      month: formatMonth(month),
      model_id: model.file.id,
      table_format: 'csv',
      inputs: [],
      shard: null,
    };
  });
});
const total = (performance.now() - started) / 1000;
clearInterval(sampler);
console.log(
  `retain score: ${built.frame.n} subscribers of ${formatMonth(month)}, ${billing.n} billing rows, ${cdrRows} CDR rows: ` +
    `${total.toFixed(1)} s in all, peak RSS ${mb(peak)}`,
);
for (const [name, s] of stages) console.log(`  ${name.padEnd(28)} ${s.toFixed(2)} s`);
console.log(`  warning list ${summary.lists.warning}, eligible ${summary.eligible}`);

// Prediction against scikit-learn, on the same matrix and the same trees/min leaf.
const truth = new Map<string, number>();
const truthFile = join(dir, `truth-${formatMonth(month)}.csv`);
Papa.parse<Record<string, string>>(readFileSync(truthFile, 'utf8'), {
  header: true,
  skipEmptyLines: true,
  step: (r) => {
    truth.set(r.data.subscriber_id!, Number(r.data.churned_next));
  },
});
const ids = built.frame.cols.subscriber_id as { codes: Int32Array; dictionary: readonly string[] };
const status = u8(built.frame, 'status');
const rows = Int32Array.from({ length: built.frame.n }, (_, i) => i).filter(
  (i) => truth.has(ids.dictionary[ids.codes[i]!]!) && status[i] !== 4,
);
const y = Uint8Array.from(rows, (r) => truth.get(ids.dictionary[ids.codes[r]!]!)!);
const filled = (m: FeatureMatrix, take: Int32Array): FeatureMatrix => ({
  nRows: take.length,
  names: m.names,
  columns: m.columns.map((c) => Float64Array.from(take, (r) => (Number.isNaN(c[r]!) ? -999 : c[r]!))),
});
const all = filled(X, rows);
const rnd = createRandom(3);
const sample = Int32Array.from({ length: Math.min(200_000, rows.length) }, () => rnd.int(all.nRows));
const train = filled(all, sample);
const yTrain = Uint8Array.from(sample, (r) => y[r]!);
const params = model.file.training.params as { trees: number; minLeaf: number };
let t = performance.now();
const fit = await fitForest(train, yTrain, {
  trees: params.trees,
  minLeaf: params.minLeaf,
  threads: 2,
  seed: 1,
});
const oursTrain = (performance.now() - t) / 1000;
t = performance.now();
const ours = await predictForestParallel(fit.model, all, 2);
const oursPredict = (performance.now() - t) / 1000;
const csvOf = (m: FeatureMatrix, labels: Uint8Array, path: string) => {
  const out = createWriteStream(path);
  out.write(`${m.names.map((_, j) => `f${j}`).join(',')},label\n`);
  let buf = '';
  for (let i = 0; i < m.nRows; i++) {
    for (let j = 0; j < m.columns.length; j++) buf += `${m.columns[j]![i]},`;
    buf += `${labels[i]}\n`;
    if (buf.length > 1 << 20) {
      out.write(buf);
      buf = '';
    }
  }
  out.end(buf);
  return new Promise<void>((r) => out.once('finish', () => r()));
};
await csvOf(train, yTrain, join(dir, 'sk-train.csv'));
await csvOf(all, y, join(dir, 'sk-score.csv'));
console.log(
  `forest predict (${params.trees} trees, min leaf ${params.minLeaf}, trained on ${train.nRows} rows): ` +
    `train ${oursTrain.toFixed(2)} s (2 threads); predict ${all.nRows} rows in ${oursPredict.toFixed(2)} s, AUC ${auc(ours, y).toFixed(4)}`,
);
t = performance.now();
try {
  const peer = execFileSync(
    '/usr/bin/python3',
    [
      resolve('../shared/bench/sklearn_rf.py'),
      join(dir, 'sk-train.csv'),
      join(dir, 'sk-score.csv'),
      'label',
      String(params.trees),
      '2',
      String(params.minLeaf),
    ],
    { encoding: 'utf8' },
  );
  console.log(`peer: ${peer.trim()}`);
} catch (err) {
  console.log(`peer skipped: ${(err as Error).message.split('\n')[0]} (needs Debian's python3-sklearn)`);
}
