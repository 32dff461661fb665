/**
 * Forest benchmark: our histogram forest against scikit-learn on the same seeded table, and
 * ml-random-forest on a small slice.
 *   npx tsx scripts/bench/forest.ts [--rows 200000] [--features 30] [--trees 100] [--threads 2]
 * Prediction on a large scored month instead (the former single-thread walk, ours single-thread and on
 * worker threads, and scikit-learn's predict_proba, all on the same matrix):
 *   npx tsx scripts/bench/forest.ts --predict-rows 1000000 [--rows 200000] [--features 60] [--min-leaf 100]
 * scikit-learn comes from Debian's python3-sklearn (apt-get install -y python3-sklearn); without it the
 * peer line is skipped with a note.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createRandom,
  type FeatureMatrix,
  type ForestModel,
  fitForest,
  forestToJSON,
  predictForest,
  predictForestParallel,
} from '../../src/index.js';
import { estimateMlSeconds, fitMlForest, predictMlForest } from '../../src/model/ml-engine.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    test: { type: 'string', default: '50000' },
    features: { type: 'string' },
    trees: { type: 'string', default: '100' },
    threads: { type: 'string', default: '2' },
    'ml-rows': { type: 'string', default: '5000' },
    'predict-rows': { type: 'string' },
    'min-leaf': { type: 'string', default: '100' },
  },
});

const rows = Number(values.rows);
const testRows = Number(values.test);
const predictRows = values['predict-rows'] === undefined ? 0 : Number(values['predict-rows']);
const nFeatures = Number(values.features ?? (predictRows > 0 ? 60 : 30));
const trees = Number(values.trees);
const threads = Number(values.threads);

/** Signal in the first third of the features (linear, a threshold and an interaction), the rest noise. */
function table(n: number, seed: number): { X: FeatureMatrix; y: Uint8Array } {
  const random = createRandom(seed, 5);
  const columns = Array.from({ length: nFeatures }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  const nSignal = Math.max(3, Math.floor(nFeatures / 3));
  for (let i = 0; i < n; i++) {
    let z = -2.9;
    for (let f = 0; f < nFeatures; f++) {
      const v = f % 2 === 0 ? random.normal() : Math.floor(random.next() * 10);
      columns[f]![i] = v;
      if (f < nSignal) z += (f % 2 === 0 ? 0.7 : -0.12) * v;
    }
    if (columns[0]![i]! > 1 && columns[1]![i]! < 3) z += 1.5;
    z += 0.6 * columns[2]![i]! * columns[4 % nFeatures]![i]!;
    y[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { nRows: n, names: columns.map((_, f) => `f${f}`), columns }, y };
}

function auc(scores: Float64Array, y: Uint8Array): number {
  const idx = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let n1 = 0;
  for (let k = 0; k < idx.length; ) {
    let j = k;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[k]!]) j++;
    for (let t = k; t <= j; t++) {
      if (y[idx[t]!] === 1) {
        rankSum += (k + j) / 2 + 1;
        n1++;
      }
    }
    k = j + 1;
  }
  const n0 = idx.length - n1;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n0 * n1);
}

function toCsv(t: { X: FeatureMatrix; y: Uint8Array }): string {
  const lines = [[...t.X.names, 'label'].join(',')];
  for (let i = 0; i < t.X.nRows; i++) lines.push([...t.X.columns.map((c) => c[i]), t.y[i]].join(','));
  return `${lines.join('\n')}\n`;
}

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

/** Writes a table as CSV piece by piece (a million rows do not fit one string). */
function writeCsv(path: string, t: { X: FeatureMatrix; y: Uint8Array }): void {
  const fd = openSync(path, 'w');
  writeSync(fd, `${[...t.X.names, 'label'].join(',')}\n`);
  for (let a = 0; a < t.X.nRows; a += 20000) {
    const lines: string[] = [];
    for (let i = a; i < Math.min(t.X.nRows, a + 20000); i++)
      lines.push([...t.X.columns.map((c) => c[i]), t.y[i]].join(','));
    writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
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
  const data = table(rows + predictRows, 1);
  // Values rounded to 3 decimals: the CSV handed to scikit-learn stays small and parses to the same doubles.
  for (const c of data.X.columns) for (let i = 0; i < c.length; i++) c[i] = Math.round(c[i]! * 1000) / 1000;
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
    writeCsv(join(dir, 'train.csv'), fitPart);
    writeCsv(join(dir, 'month.csv'), month);
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

const all = table(rows + testRows, 1);
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
writeFileSync(join(dir, 'train.csv'), toCsv(train));
writeFileSync(join(dir, 'test.csv'), toCsv(test));

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
