/**
 * Calibration before and after, on data the calibrator never saw: Brier, log-loss, expected
 * calibration error (10 equal-frequency bins) and the share of probabilities at exactly 0.
 *
 * - The public tables in table mode (../shared/data, SOURCES.md): IBM Telco and Iranian with the
 *   stratified 70/30 hold-out of `retain train --table` (seed 7), BigML on its hold-out of the 80 file
 *   and on the published 20 file scored by the final model (raw score against calibrated).
 * - A generated operator in billing mode: the validation month of training, then the scored month
 *   against the simulation's truth (its outcome lies beyond the data).
 *
 * Both with retain's default forest but for the trees (min leaf 5).
 *
 *   npx tsx scripts/bench/calibration.ts [--trees 300] [--subscribers 20000] [--months 7] [--dir DIR]
 *                                        [--only tables|operator]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { formatMonth } from '../../src/calendar.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createCdrAggregator } from '../../src/features/index.js';
import { applyTableEncoding, type TableEncoding } from '../../src/features/table.js';
import { dict, f64 } from '../../src/frame.js';
import { readBilling, readCdr, readRawTable } from '../../src/io/index.js';
import { calibrate } from '../../src/model/calibrate.js';
import { type CalibrationQuality, calibrationQuality } from '../../src/model/calibration-check.js';
import { serializeModel } from '../../src/model/persist.js';
import type { CalibrationCheck } from '../../src/pipeline/calibration.js';
import { loadModel } from '../../src/pipeline/model.js';
import { scoreSubscribers } from '../../src/pipeline/score.js';
import { trainSubscriberModel } from '../../src/pipeline/train.js';
import { trainTableModel } from '../../src/pipeline/train-table.js';
import { createFileSinks, generateOperator } from '../generate/index.js';

const { values } = parseArgs({
  options: {
    trees: { type: 'string', default: '300' },
    subscribers: { type: 'string', default: '20000' },
    months: { type: 'string', default: '7' },
    dir: { type: 'string' },
    only: { type: 'string' },
  },
});
const trees = Number(values.trees);
const shared = resolve(import.meta.dirname, '../../../shared/data');
const run = {
  engine: 'forest' as const,
  forest: { trees, minLeaf: 5 },
  seed: 7,
  trainedAt: new Date(0).toISOString(),
  command: 'scripts/bench/calibration.ts',
  packageVersion: '0',
};

const rows: string[] = [];
const fmt = (q: CalibrationQuality) =>
  `${q.brier.toFixed(4)} | ${q.logLoss.toFixed(4)} | ${q.ece.toFixed(4)} | ${(100 * q.atZero).toFixed(1)}%`;
function row(what: string, method: string, before: CalibrationQuality, after: CalibrationQuality): void {
  rows.push(`| ${what} | ${before.rows} | ${method} | ${fmt(before)} | ${fmt(after)} |`);
  process.stderr.write(`${rows[rows.length - 1]}\n`);
}
const checked = (what: string, c: CalibrationCheck | null) => {
  if (c) row(what, `${c.method} (${c.fitRows} ${c.fittedOn})`, c.before, c.after);
};

const isYes = (v: string | null) => ['yes', 'true', '1'].includes((v ?? '').trim().toLowerCase());

if (values.only === 'operator') {
  // tables skipped
} else if (existsSync(shared)) {
  for (const [name, file, id] of [
    ['IBM Telco 70/30', 'ibm-telco/Telco-Customer-Churn.csv', 'customerID'],
    ['Iranian 70/30', 'iranian-churn/Customer_Churn.csv', undefined],
    ['BigML 80: hold-out 30%', 'bigml-churn/churn-bigml-80.csv', undefined],
  ] as const) {
    const raw = await readRawTable(join(shared, file));
    const t = await trainTableModel({ ...run, raw, label: 'Churn', ...(id ? { id } : {}), testShare: 0.3 });
    checked(name, t.report.calibration);
    if (!file.includes('bigml')) continue;
    // The published 20% scored by the final model: its raw score against the calibrated one.
    const model = loadModel(serializeModel(t.content), 'bigml.model.json');
    const test = await readRawTable(join(shared, 'bigml-churn/churn-bigml-20.csv'));
    const { X } = applyTableEncoding(model.file.tableEncoding as TableEncoding, test);
    const y = Uint8Array.from(test.columns[test.names.indexOf('Churn')]!, (v) => (isYes(v) ? 1 : 0));
    const score = await model.predict(X);
    const cal = calibrate(model.calibrator, score);
    row(
      'BigML 80 → 20 (final model)',
      model.calibrator.method,
      calibrationQuality(score, y),
      calibrationQuality(cal, y),
    );
  }
} else {
  process.stderr.write(`${shared} is missing: public tables skipped\n`);
}

// A generated operator, with the simulation's truth for the scored month.
if (values.only !== 'tables') await operator();
console.log(`calibration before → after (forest, ${trees} trees), on rows the calibrator did not see`);
console.log(
  '| data | rows | calibrator (fitted on) | Brier | log-loss | ECE | at 0 | Brier | log-loss | ECE | at 0 |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);

async function operator(): Promise<void> {
  const subscribers = Number(values.subscribers);
  const months = Number(values.months);
  const dir = resolve(values.dir ?? join(tmpdir(), `retain-calibration-bench-${subscribers}x${months}`));
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    process.stderr.write(`generating ${subscribers} subscribers x ${months} months into ${dir}\n`);
    const sinks = createFileSinks({ out: dir, format: 'csv', gzip: false, cdr: true, truth: true });
    await generateOperator({ subscribers, months, seed: 5, start: '2025-01', cdrMonths: months }, sinks);
  }
  const files = readdirSync(dir).sort();
  const { table: billing } = await readBilling(
    files.filter((f) => f.startsWith('billing-')).map((f) => join(dir, f)),
    { config: DEFAULT_CONFIG },
  );
  const aggregator = createCdrAggregator(DEFAULT_CONFIG);
  for (const f of files.filter((f) => f.startsWith('cdr-')))
    await readCdr(join(dir, f), aggregator, { config: DEFAULT_CONFIG });
  const cdr = aggregator.finish();
  const trained = await trainSubscriberModel({ ...run, billing, cdr, config: DEFAULT_CONFIG });
  const name = `operator ${subscribers}×${months}`;
  checked(`${name}: validation ${trained.report.validation?.testMonth}`, trained.report.calibration);
  const model = loadModel(serializeModel(trained.content), 'operator.model.json');
  const scored = await scoreSubscribers({
    billing,
    cdr,
    model,
    modelSource: 'operator.model.json',
    config: DEFAULT_CONFIG,
    seed: 1,
    capacity: null,
  });
  const truth = new Map<string, number>();
  const truthText = readFileSync(join(dir, `truth-${formatMonth(scored.month)}.csv`), 'utf8');
  Papa.parse<Record<string, string>>(truthText, {
    header: true,
    skipEmptyLines: true,
    step: (r) => {
      truth.set(r.data.subscriber_id!, Number(r.data.churned_next));
    },
  });
  const ids = dict(scored.staged, 'subscriber_id');
  const idOf = (i: number) => ids.dictionary[ids.codes[i]!]!;
  const known = Int32Array.from({ length: scored.staged.n }, (_, i) => i).filter((i) => truth.has(idOf(i)));
  const y = Uint8Array.from(known, (i) => truth.get(idOf(i))!);
  const calibrated = f64(scored.staged, 'churn_probability');
  const names = model.file.featureSchema.features.map((f) => f.name);
  const columns = names.map((n) => {
    const c = scored.staged.cols[n] as Float64Array | Int32Array | Uint8Array;
    return Float64Array.from(known, (i) => c[i]!);
  });
  const raw = await model.predict({ nRows: known.length, names, columns });
  const after = Float64Array.from(known, (i) => calibrated[i]!);
  const what = `${name}: scored ${formatMonth(scored.month)} vs truth`;
  row(what, model.calibrator.method, calibrationQuality(raw, y), calibrationQuality(after, y));
}
