/**
 * The forest on the public churn tables, end to end through the wide-table encoding, against
 * scikit-learn's figures (SOURCES.md beside the public tables: 500 trees, min_samples_leaf=5,
 * max_features=sqrt; IBM and Iranian a stratified 70/30 split, BigML its published 80 → 20 split).
 *
 * Each table is measured three times (IBM, Iranian: three seeded splits, forest seed = split seed;
 * BigML: three forest seeds on its fixed split) and the mean AUC is asserted twice:
 *
 * 1. Against SOURCES.md, minus a tolerance from the split-to-split spread. Those figures come from
 *    one split (random_state=7). Over 20 stratified splits, sklearn's own AUC has mean 0.8457 and
 *    sd 0.0070 on IBM (0.855 is that split's 0.8545), mean 0.9835 and sd 0.0035 on Iranian. A mean of
 *    three other splits vs one split differs by sd·√(1 + 1/3); two of those is 0.016 (IBM) and
 *    0.008 (Iranian). BigML's split is fixed; its spread is the forest seed's (sd 0.0023 at 300
 *    trees, ours; sklearn 0.9247–0.9281 over five seeds, below its 0.930): 0.005.
 * 2. Against sklearn on the very same splits and encoding (the tight check that we are at least as
 *    good): each split's encoded train and test sets written to CSV and fed to sklearn 1.2.1's
 *    RandomForestClassifier(500, min_samples_leaf=5, max_features='sqrt'): per split the mean over
 *    random_state 1, 2, 3 (IBM, Iranian), on BigML's split random_state 1, 2, 3 themselves; the 11 blank TotalCharges as 0 since that version's forest refuses NaN. Tolerance
 *    0.003: the forest-seed sd on a fixed split is 0.0004 (IBM), 0.0005 (Iranian), 0.0023 (BigML).
 *
 * 300 trees instead of 500 keeps the file near 20 s on two cores; on these splits 500 trees moved
 * the mean AUC by less than 0.001.
 */
import { expect, it } from 'vitest';
import {
  applyTableEncoding,
  auc,
  fitForest,
  fitTableEncoding,
  liftAt,
  predictForest,
} from '../../src/index.js';
import {
  describeWithSharedData,
  loadSharedTable,
  stratifiedSplit,
  takeRows,
} from '../helpers/shared-data.js';

interface Case {
  name: string;
  train: string;
  /** A published test file; otherwise a stratified 70/30 split of `train`. */
  test?: string;
  id?: string;
  reference: { auc: number; lift: number };
  tolerance: number;
  /** sklearn's mean AUC on each of our three runs (see above). */
  sklearnSameRuns: [number, number, number];
}

const CASES: Case[] = [
  {
    name: 'IBM Telco',
    train: 'ibm-telco/Telco-Customer-Churn.csv',
    id: 'customerID',
    reference: { auc: 0.855, lift: 2.91 },
    tolerance: 0.016,
    sklearnSameRuns: [0.8388, 0.8574, 0.857],
  },
  {
    name: 'BigML 80 → 20',
    train: 'bigml-churn/churn-bigml-80.csv',
    test: 'bigml-churn/churn-bigml-20.csv',
    reference: { auc: 0.93, lift: 6.7 },
    tolerance: 0.005,
    sklearnSameRuns: [0.927, 0.9274, 0.9281],
  },
  {
    name: 'Iranian',
    train: 'iranian-churn/Customer_Churn.csv',
    reference: { auc: 0.985, lift: 6.07 },
    tolerance: 0.008,
    sklearnSameRuns: [0.9799, 0.9823, 0.98],
  },
];

const SEEDS = [1, 2, 3];
const TREES = 300;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function measure(c: Case, seed: number): Promise<{ auc: number; lift: number }> {
  const full = loadSharedTable(c.train);
  let trainRaw = full;
  let testRaw = c.test ? loadSharedTable(c.test) : full;
  if (!c.test) {
    const { y } = fitTableEncoding(full, { label: 'Churn', ...(c.id ? { id: c.id } : {}) });
    const split = stratifiedSplit(y, 0.3, seed);
    trainRaw = takeRows(full, split.train);
    testRaw = takeRows(full, split.test);
  }
  // Encoding learnt on the training rows only, applied to the test rows as scoring would.
  const fit = fitTableEncoding(trainRaw, { label: 'Churn', ...(c.id ? { id: c.id } : {}) });
  const { X } = applyTableEncoding(fit.encoding, testRaw);
  const yTest = fitTableEncoding(testRaw, { label: 'Churn' }).y;
  const { model } = await fitForest(fit.X, fit.y, { trees: TREES, threads: 2, seed });
  const p = predictForest(model, X);
  return { auc: auc(p, yTest), lift: liftAt(p, yTest, 0.1) };
}

describeWithSharedData('forest on the public churn tables', () => {
  it.each(CASES)('$name: AUC at least scikit-learn', async (c) => {
    const runs = [];
    for (const seed of SEEDS) runs.push(await measure(c, seed));
    const aucs = runs.map((r) => r.auc);
    const meanAuc = mean(aucs);
    const meanLift = mean(runs.map((r) => r.lift));
    console.log(
      `${c.name}: AUC ${meanAuc.toFixed(4)} (${aucs.map((a) => a.toFixed(4)).join(', ')}; ` +
        `sklearn same runs ${mean(c.sklearnSameRuns).toFixed(4)}, SOURCES.md ${c.reference.auc}), ` +
        `top-decile lift ${meanLift.toFixed(2)} (SOURCES.md ${c.reference.lift})`,
    );
    expect(meanAuc).toBeGreaterThanOrEqual(c.reference.auc - c.tolerance);
    expect(meanAuc).toBeGreaterThanOrEqual(mean(c.sklearnSameRuns) - 0.003);
    // Lift is far noisier than AUC (about 70 to 200 rows in the top tenth): only a sanity floor.
    expect(meanLift).toBeGreaterThan(c.reference.lift * 0.8);
  });
});
