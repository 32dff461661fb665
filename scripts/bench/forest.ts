/**
 * Forest benchmark: our histogram forest against scikit-learn on the same seeded table, and
 * ml-random-forest on a small slice.
 *   npx tsx scripts/bench/forest.ts [--rows 200000] [--features 30] [--trees 100] [--threads 2]
 * Prediction on a large scored month instead (the former single-thread walk, ours single-thread and on
 * worker threads, and scikit-learn's predict_proba, all on the same matrix):
 *   npx tsx scripts/bench/forest.ts --predict-rows 1000000 [--rows 200000] [--features 60] [--min-leaf 100]
 * Every shape of the wide-table goal (2% and 12% churn, 30 and 66 features, each row count, and a balanced
 * 40,000 x 66 table): the whole `retain train --table --engine forest` (run `npm run build` first)
 * against scikit-learn's fit, in turns on the same CSV files:
 *   npx tsx scripts/bench/forest.ts --shapes [--shape-rows 40000,200000,1000000] [--shape-features 30,66]
 *     [--shape-churn 0.02,0.12] [--no-balanced] [--trees 100] [--large-trees 100] [--threads 2] [--test 50000]
 * One shape's table to a CSV, for a run by hand (e.g. 5,000,000 x 100):
 *   npx tsx scripts/bench/forest.ts --generate big.csv --rows 5000000 --features 100 --churn 0.12
 * scikit-learn comes from Debian's python3-sklearn (apt-get install -y python3-sklearn); without it the
 * peer line is skipped with a note.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type FeatureMatrix,
  type ForestModel,
  fitForest,
  forestToJSON,
  predictForest,
  predictForestParallel,
} from '../../src/index.js';
import { estimateMlSeconds, fitMlForest, predictMlForest } from '../../src/model/ml-engine.js';
import { benchShapes, generateShape, shapesFor } from './forest-shapes.js';
import { auc, tableRows, writeTableCsv } from './forest-table.js';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    rows: { type: 'string', default: '200000' },
    test: { type: 'string', default: '50000' },
    features: { type: 'string' },
    trees: { type: 'string', default: '100' },
    threads: { type: 'string', default: '2' },
    'ml-rows': { type: 'string', default: '5000' },
    'predict-rows': { type: 'string' },
    'min-leaf': { type: 'string', default: '100' },
    shapes: { type: 'boolean', default: false },
    'shape-rows': { type: 'string', default: '40000,200000,1000000' },
    'shape-features': { type: 'string', default: '30,66' },
    'shape-churn': { type: 'string', default: '0.02,0.12' },
    balanced: { type: 'boolean', default: true },
    'large-trees': { type: 'string' },
    generate: { type: 'string' },
    churn: { type: 'string', default: '0.12' },
  },
});

if (values.shapes) {
  const list = (v: string): number[] => (v === '' ? [] : v.split(',').map(Number));
  const shapes = shapesFor(
    list(values['shape-rows']),
    list(values['shape-features']),
    list(values['shape-churn']),
    values.balanced,
  );
  benchShapes(shapes, {
    trees: Number(values.trees),
    largeTrees: Number(values['large-trees'] ?? values.trees),
    threads: Number(values.threads),
    testRows: Number(values.test),
  });
  process.exit(0);
}
if (values.generate !== undefined) {
  const shape = {
    rows: Number(values.rows),
    features: Number(values.features ?? 30),
    churn: Number(values.churn),
  };
  generateShape(values.generate, shape);
  console.log(
    `${values.generate}: ${shape.rows} rows x ${shape.features} features, about ${shape.churn * 100}% churn`,
  );
  process.exit(0);
}

const rows = Number(values.rows);
const testRows = Number(values.test);
const predictRows = values['predict-rows'] === undefined ? 0 : Number(values['predict-rows']);
const nFeatures = Number(values.features ?? (predictRows > 0 ? 60 : 30));
const trees = Number(values.trees);
const threads = Number(values.threads);

/** The former walk (column arrays, node arrays per tree), kept to time against and compare bit for bit. */
function formerPredict(model: ForestModel, X: FeatureMatrix): Float64Array {
  const out = new Float64Array(X.nRows);
  const columns = X.columns;
  for (let start = 0; start < X.nRows; start += 4096) {
    const end = Math.min(X.nRows, start + 4096);
    for (const tree of model.trees) {
      const { feature, threshold, left, right, missingLeft, value } = tree;
      for (let i = start; i < end; i++) {
        let node = 0;
        let f = feature[0]!;
        while (f >= 0) {
          const v = columns[f]![i]!;
          const goLeft = v <= threshold[node]! || (missingLeft[node] === 1 && Number.isNaN(v));
          node = goLeft ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        out[i]! += value[node]!;
      }
    }
  }
  const scale = 1 / model.trees.length;
  for (let i = 0; i < X.nRows; i++) out[i]! *= scale;
  return out;
}

function timed<T>(run: () => T): [T, number] {
  const t0 = performance.now();
  const result = run();
  return [result, (performance.now() - t0) / 1000];
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

async function benchPredict(): Promise<void> {
  const minLeaf = Number(values['min-leaf']);
  // Values rounded to 3 decimals: the CSV handed to scikit-learn stays small and parses to the same doubles.
  const data = tableRows(nFeatures, -2.9, 1, true)(rows + predictRows);
  const cut = (a: number, b: number) => ({
    X: { nRows: b - a, names: data.X.names, columns: data.X.columns.map((c) => c.subarray(a, b)) },
    y: data.y.subarray(a, b),
  });
  const fitPart = cut(0, rows);
  const month = cut(rows, rows + predictRows);
  console.log(
    `predict: train ${rows} rows, score ${predictRows} rows x ${nFeatures} features, ${trees} trees, min leaf ${minLeaf}`,
  );
  const [fit, trainS] = await (async () => {
    const t0 = performance.now();
    const r = await fitForest(fitPart.X, fitPart.y, { trees, minLeaf, maxFeatures: 'sqrt', threads });
    return [r, (performance.now() - t0) / 1000] as const;
  })();
  console.log(`retain_forest train_s=${trainS.toFixed(2)} nodes=${fit.stats.nodes}`);
  const [former, formerS] = timed(() => formerPredict(fit.model, month.X));
  const [single, singleS] = timed(() => predictForest(fit.model, month.X));
  const t0 = performance.now();
  const parallel = await predictForestParallel(fit.model, month.X, threads);
  const parallelS = (performance.now() - t0) / 1000;
  const same = sameBits(former, single) && sameBits(former, parallel);
  console.log(
    `retain_forest predict former_s=${formerS.toFixed(2)} single_s=${singleS.toFixed(2)} threads=${threads} parallel_s=${parallelS.toFixed(2)} auc=${auc(single, month.y).toFixed(4)} identical=${same}`,
  );
  const script = resolve('../shared/bench/sklearn_rf.py');
  if (!existsSync(script)) {
    console.log('note: scikit-learn peer skipped (needs ../shared/bench/sklearn_rf.py)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'retain-bench-predict-'));
  try {
    writeTableCsv(join(dir, 'train.csv'), fitPart);
    writeTableCsv(join(dir, 'month.csv'), month);
    const args = [
      script,
      join(dir, 'train.csv'),
      join(dir, 'month.csv'),
      'label',
      String(trees),
      String(threads),
    ];
    const out = execFileSync('/usr/bin/python3', [...args, String(minLeaf)], { encoding: 'utf8' }).trim();
    console.log(out);
    const m = /predict_s=([\d.]+)/.exec(out);
    if (m)
      console.log(
        `ratio: sklearn/retain predict time = ${(Number(m[1]) / parallelS).toFixed(2)}x (parallel), ${(Number(m[1]) / singleS).toFixed(2)}x (single thread)`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (predictRows > 0) {
  await benchPredict();
  process.exit(0);
}

const all = tableRows(nFeatures, -2.9, 1)(rows + testRows);
const slice = (a: number, b: number) => ({
  X: { nRows: b - a, names: all.X.names, columns: all.X.columns.map((c) => c.subarray(a, b)) },
  y: all.y.subarray(a, b),
});
const train = slice(0, rows);
const test = slice(rows, rows + testRows);
let positives = 0;
for (const v of train.y) positives += v;
console.log(
  `table: ${rows} train + ${testRows} test rows x ${nFeatures} features, ${((100 * positives) / rows).toFixed(1)}% positive`,
);

const dir = mkdtempSync(join(tmpdir(), 'retain-bench-forest-'));
writeTableCsv(join(dir, 'train.csv'), train);
writeTableCsv(join(dir, 'test.csv'), test);

let t = performance.now();
const { model, stats } = await fitForest(train.X, train.y, {
  trees,
  minLeaf: 5,
  maxFeatures: 'sqrt',
  threads,
});
const trainSeconds = (performance.now() - t) / 1000;
t = performance.now();
const scores = predictForest(model, test.X);
const predictSeconds = (performance.now() - t) / 1000;
const ours = auc(scores, test.y);
const jsonMB = JSON.stringify(forestToJSON(model)).length / 1e6;
console.log(
  `retain_forest trees=${trees} threads=${threads} rows=${rows} train_s=${trainSeconds.toFixed(2)} predict_s=${predictSeconds.toFixed(2)} auc=${ours.toFixed(4)} nodes=${stats.nodes} json_mb=${jsonMB.toFixed(1)}`,
);

const sklearn = resolve('../shared/bench/sklearn_rf.py');
const peer = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import sklearn, pandas'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return existsSync(sklearn) ? sklearn : undefined;
})();
if (!peer) {
  console.log(
    'note: scikit-learn peer skipped (needs /usr/bin/python3 with python3-sklearn and ../shared/bench/sklearn_rf.py)',
  );
} else {
  const out = execFileSync(
    '/usr/bin/python3',
    [peer, join(dir, 'train.csv'), join(dir, 'test.csv'), 'label', String(trees), String(threads), '5'],
    { encoding: 'utf8' },
  ).trim();
  console.log(out);
  const m = /train_s=([\d.]+).*auc=([\d.]+)/.exec(out);
  if (m) {
    const skTrain = Number(m[1]);
    const skAuc = Number(m[2]);
    console.log(
      `ratio: sklearn/retain train time = ${(skTrain / trainSeconds).toFixed(2)}x; AUC difference retain - sklearn = ${(ours - skAuc).toFixed(4)}`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });

const mlRows = Math.min(Number(values['ml-rows']), rows);
const small = slice(0, mlRows);
console.log(
  `ml_random_forest: expected about ${Math.round(estimateMlSeconds(mlRows, nFeatures, 10))} s (estimateMlSeconds)`,
);
t = performance.now();
const ml = await fitMlForest(small.X, small.y, { trees: 10, minLeaf: 5 });
const mlSeconds = (performance.now() - t) / 1000;
const mlAuc = auc(predictMlForest(ml.model, test.X), test.y);
t = performance.now();
const same = await fitForest(small.X, small.y, { trees: 10, minLeaf: 5, threads: 1 });
const sameSeconds = (performance.now() - t) / 1000;
console.log(
  `ml_random_forest trees=10 rows=${mlRows} train_s=${mlSeconds.toFixed(2)} auc=${mlAuc.toFixed(4)} | retain_forest same data train_s=${sameSeconds.toFixed(2)} auc=${auc(predictForest(same.model, test.X), test.y).toFixed(4)}`,
);
