/**
 * The rows a tree was not grown on get its leaf values by the binned walk: the validation loss each
 * round records is the loss of the model cut at that round, predicted from the raw values.
 */
import { describe, expect, it } from 'vitest';
import { fitBoost, logLossOfScores, predictBoostRaw } from '../../../src/model/boost/index.js';
import type { FeatureMatrix } from '../../../src/model/types.js';
import { createRandom } from '../../../src/random.js';

/** Three features, a fifth of the first one missing (where churn is likelier), 15% churn. */
function table(rows: number, seed: number): { X: FeatureMatrix; y: Uint8Array } {
  const random = createRandom(seed, 1);
  const names = ['spend_change', 'care_calls', 'tenure'];
  const columns = names.map(() => new Float64Array(rows));
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const missing = random.next() < 0.2;
    columns[0]![i] = missing ? Number.NaN : random.normal();
    columns[1]![i] = random.int(8);
    columns[2]![i] = Math.round(random.next() * 1000) / 10;
    const z =
      -2.2 + (missing ? 0.8 : -0.6 * columns[0]![i]!) + 0.3 * columns[1]![i]! - 0.01 * columns[2]![i]!;
    y[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { nRows: rows, names, columns }, y };
}

describe('the binned walk of rows a tree was not grown on', () => {
  const train = table(6000, 1);
  const valid = table(2500, 2);

  it.each([
    ['every row', {}],
    ['a draw of rows', { rowShare: 0.6 }],
    ['a sample by gradient', { gradientSampleFrom: 1000 }],
  ])('gives each round the validation loss of the model cut there, with %s', async (_, extra) => {
    const params = { trees: 30, maxLeaves: 15, minLeaf: 10, earlyStopping: 0, threads: 1, ...extra };
    const { model, stats } = await fitBoost(train.X, train.y, params, { validation: valid });
    expect(stats.validationLoss).toHaveLength(30);
    // The model keeps the trees up to the best round.
    expect(model.trees.length).toBeGreaterThan(12);
    for (const round of [1, 12, model.trees.length]) {
      const cut = { ...model, trees: model.trees.slice(0, round) };
      expect(stats.validationLoss[round - 1]).toBe(logLossOfScores(predictBoostRaw(cut, valid.X), valid.y));
    }
  });
});
