/**
 * What calibration and reasons add to scoring: on a generated operator's scored month, the seconds of
 * the forest's prediction beside those of calibrating and of the reasons as scoring computes them
 * (contributions on worker threads, then wording), and of the contributions alone on one thread,
 * for every subscriber and for the riskiest tenth only.
 *
 *   npm run generate -- --subscribers 200000 --months 4 --seed 1 --out DIR --cdr-months 2 --no-truth
 *   npm run build && npx tsx scripts/bench/reasons.ts --dir DIR [--model FILE] [--threads 2]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { buildFeatures, toFeatureMatrix } from '../../src/features/index.js';
import { readBilling } from '../../src/io/index.js';
import { calibrate } from '../../src/model/calibrate.js';
import { topDrivers } from '../../src/model/drivers.js';
import { DEFAULT_MODEL_PATH } from '../../src/paths.js';
import { loadModel } from '../../src/pipeline/model.js';
import { subscriberReasons } from '../../src/pipeline/reasons.js';
import { scoredMonth } from '../../src/pipeline/score.js';
import { factGroups, REASONS_PER_SUBSCRIBER, reasonsColumn, reasonText } from '../../src/targets/reasons.js';
import { builtCdrReader } from './built.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    model: { type: 'string', default: DEFAULT_MODEL_PATH },
    threads: { type: 'string', default: '2' },
  },
});
if (!values.dir) throw new Error('--dir DIR: a generated operator (see the command above)');
const dir = resolve(values.dir);
const threads = Number(values.threads);

/** Wall seconds, and CPU seconds of every thread of the process (the figure a busy machine distorts least). */
async function timed<T>(name: string, f: () => T | Promise<T>): Promise<[T, string]> {
  const t = performance.now();
  const c = process.cpuUsage();
  const out = await f();
  const cpu = process.cpuUsage(c);
  const text = `${((performance.now() - t) / 1000).toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`;
  process.stderr.write(`${name.padEnd(48)} ${text}\n`);
  return [out, text];
}

const model = loadModel(readFileSync(values.model!, 'utf8'), values.model!, threads);
if (model.explainer === null) throw new Error(`${values.model} has no node covers: retrain it`);
const files = readdirSync(dir).sort();
const config = DEFAULT_CONFIG;
const { table: billing } = await readBilling(
  files.filter((f) => f.startsWith('billing-')).map((f) => join(dir, f)),
  { config },
);
const month = scoredMonth(billing);
const { readCdrFiles } = await builtCdrReader();
const { aggregates: cdr } = await readCdrFiles(
  files.filter((f) => f.startsWith('cdr-')).map((f) => join(dir, f)),
  { config, rejects: null, threads },
);
const built = buildFeatures(billing, cdr, config, { months: [month] });
const schema = {
  version: built.schema.version,
  features: model.file.featureSchema.features.map((f) => ({ ...f, description: '' })),
};
const X = toFeatureMatrix(built.frame, schema as typeof built.schema);
const trees = model.explainer.roots.length;
process.stderr.write(`${X.nRows} subscribers, ${X.columns.length} features, ${trees} trees\n`);

const [raw, predictS] = await timed(`predict (${threads} threads)`, () => model.predict(X));
const [, calibrateS] = await timed(`calibrate (${model.calibrator.method})`, () =>
  calibrate(model.calibrator, raw),
);
const groups = factGroups(X.names);
const [drivers, driversS] = await timed('contributions + top 3, every subscriber (1 thread)', () =>
  topDrivers(model.explainer!, X, REASONS_PER_SUBSCRIBER, groups),
);
const [column, wordsS] = await timed('wording, every subscriber', () =>
  reasonsColumn(drivers, (i, _g, f) => reasonText(X.names[f]!, X.columns[f]![i]!)),
);
const [, oneCallS] = await timed(`reasons as scoring gives them (${threads} threads)`, () =>
  subscriberReasons(model.explainer!, X, threads),
);
const sorted = Float64Array.from(raw).sort();
const cut = sorted[Math.floor(sorted.length * 0.9)]!;
const riskiest = Int32Array.from({ length: X.nRows }, (_, i) => i).filter((i) => raw[i]! >= cut);
const [, tenthS] = await timed(`contributions + top 3, riskiest tenth (${riskiest.length})`, () =>
  topDrivers(model.explainer!, X, REASONS_PER_SUBSCRIBER, groups, riskiest),
);
console.log(
  `${X.nRows} subscribers × ${X.columns.length} features, ${trees} trees, ${column.dictionary.length} distinct reason texts\n` +
    `  predict (${threads} threads)                   ${predictS}\n` +
    `  calibrate                             ${calibrateS}\n` +
    `  reasons, every subscriber (${threads} threads) ${oneCallS}\n` +
    `    contributions + top 3 on 1 thread   ${driversS}\n` +
    `    wording                             ${wordsS}\n` +
    `  contributions, riskiest tenth only    ${tenthS}`,
);
