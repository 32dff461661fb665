/** Gradient boosting on data with a known signal: quality, the loss curve, early stopping, missing values. */
import { describe, expect, it } from 'vitest';
import {
  auc,
  type BoostModel,
  baseScore,
  fitBoost,
  logLoss,
  predictBoost,
  resolveBoostParams,
  UsageError,
} from '../../src/index.js';
import { generate, slice } from './forest-data.js';

/** The model cut to its first k trees. */
const firstTrees = (model: BoostModel, k: number): BoostModel => ({
  ...model,
  trees: model.trees.slice(0, k),
});

/** Log-loss of predicting the training churn rate for everyone. */
function constantLoss(y: Uint8Array): number {
  const rate = y.reduce((s, v) => s + v, 0) / y.length;
  return logLoss(new Float64Array(y.length).fill(rate), y);
}

describe('fitBoost', () => {
  const data = generate(9000, { signal: 4, noise: 6, seed: 11 });
  const train = slice(data, 0, 5000);
  const valid = slice(data, 5000, 6500);
  const test = slice(data, 6500, 9000);

  it('beats a constant by far and reaches near-Bayes AUC on a logistic signal', async () => {
    const { model, stats } = await fitBoost(train.X, train.y, { threads: 1 }, { validation: valid });
    const p = predictBoost(model, test.X);
    const bayes = auc(test.p, test.y);
    expect(auc(p, test.y)).toBeGreaterThan(bayes - 0.015);
    expect(logLoss(p, test.y)).toBeLessThan(0.8 * constantLoss(test.y));
    // Probabilities, never exactly 0 or 1.
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(stats.rounds).toBeGreaterThan(20);
    // The signal features carry nearly all the gain.
    const signal = ['signal0', 'signal1', 'signal2', 'signal3'].reduce(
      (s, n) => s + stats.importances[n]!,
      0,
    );
    expect(signal).toBeGreaterThan(0.85);
    expect(Object.values(stats.importances).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('starts from the log-odds of the churn rate and lowers the training log-loss every few rounds', async () => {
    const { model, stats } = await fitBoost(train.X, train.y, { trees: 60, earlyStopping: 0, threads: 1 });
    expect(stats.rounds).toBe(60);
    expect(model.baseScore).toBe(baseScore(train.y));
    const losses = [0, 10, 20, 30, 40, 50, 60].map((k) =>
      logLoss(predictBoost(firstTrees(model, k), train.X), train.y),
    );
    expect(losses[0]).toBeCloseTo(constantLoss(train.y), 12);
    for (let k = 1; k < losses.length; k++) expect(losses[k]!).toBeLessThan(losses[k - 1]!);
    expect(losses[6]!).toBeLessThan(0.85 * losses[0]!);
  });

  it('stops early once the validation loss stops improving and keeps the best round', async () => {
    // Large steps and leaves on few rows overfit within a few dozen rounds.
    const small = slice(data, 0, 800);
    const params = {
      trees: 500,
      learningRate: 0.5,
      maxLeaves: 31,
      minLeaf: 2,
      earlyStopping: 10,
      threads: 1,
    };
    const { model, stats } = await fitBoost(small.X, small.y, params, { validation: valid });
    const curve = stats.validationLoss;
    const best = curve.indexOf(Math.min(...curve)) + 1;
    expect(stats.grown).toBeLessThan(100);
    expect(stats.grown).toBe(curve.length);
    expect(stats.rounds).toBe(best);
    expect(stats.grown - stats.rounds).toBe(10);
    expect(model.trees).toHaveLength(best);
    // The kept model is the best round's: its validation loss is the curve's minimum.
    expect(logLoss(predictBoost(model, valid.X), valid.y)).toBeCloseTo(curve[best - 1]!, 12);
  });

  it('with early stopping off grows and keeps every round, given validation rows, and records their loss', async () => {
    // The overfitting set-up above: the best round comes early, yet every round is kept.
    const small = slice(data, 0, 800);
    const params = { trees: 60, learningRate: 0.5, maxLeaves: 31, minLeaf: 2, earlyStopping: 0, threads: 1 };
    const best: number[] = [];
    const { model, stats } = await fitBoost(small.X, small.y, params, {
      validation: valid,
      onBest: (rounds) => best.push(rounds),
    });
    const curve = stats.validationLoss;
    expect(curve).toHaveLength(60);
    expect(curve.indexOf(Math.min(...curve)) + 1).toBeLessThan(40);
    expect(stats.rounds).toBe(60);
    expect(model.trees).toHaveLength(60);
    // A refit beside it is allowed each round as it is grown.
    expect(best).toEqual(Array.from({ length: 60 }, (_, t) => t + 1));
  });

  it('holds out a stratified share to stop on when no validation set is given', async () => {
    const { stats } = await fitBoost(train.X, train.y, { validationShare: 0.2, threads: 1 });
    expect(stats.heldOutRows).toBe(1000);
    expect(stats.fitRows).toBe(4000);
    expect(stats.validationLoss.length).toBe(stats.grown);
    const off = await fitBoost(train.X, train.y, { trees: 5, earlyStopping: 0, threads: 1 });
    expect(off.stats.heldOutRows).toBe(0);
    expect(off.stats.fitRows).toBe(5000);
  });

  it('learns where missing values go: NaN rows that all churn follow the churners', async () => {
    // Churn iff x > 0.5 (with 5% label noise); a fifth of the rows have x missing, and all of them churn.
    const n = 4000;
    const x = new Float64Array(n);
    const z = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const u = ((i * 7919) % n) / n;
      z[i] = ((i * 104729) % 1000) / 1000;
      if (i % 5 === 0) {
        x[i] = Number.NaN;
        y[i] = 1;
      } else {
        x[i] = u;
        y[i] = u > 0.5 !== (i % 20 === 1) ? 1 : 0;
      }
    }
    const X = { nRows: n, names: ['x', 'z'], columns: [x, z] };
    const { model } = await fitBoost(X, y, { trees: 30, earlyStopping: 0, threads: 1 });
    const root = model.trees[0]!;
    expect(root.feature[0]).toBe(0);
    expect(root.threshold[0]).toBeGreaterThan(0.49);
    expect(root.threshold[0]).toBeLessThan(0.51);
    // Right is where x > 0.5, the churners.
    expect(root.missingLeft[0]).toBe(0);
    const probe = {
      nRows: 3,
      names: ['x', 'z'],
      columns: [Float64Array.of(Number.NaN, 0.2, 0.8), Float64Array.of(0.5, 0.5, 0.5)],
    };
    const [missing, low, high] = predictBoost(model, probe);
    expect(missing!).toBeGreaterThan(0.9);
    expect(low!).toBeLessThan(0.2);
    expect(missing!).toBeGreaterThan(high!);
  });

  it('builds the same trees with histogram subtraction as with both children built', async () => {
    const params = {
      trees: 25,
      maxLeaves: 31,
      minLeaf: 5,
      rowShare: 0.8,
      featureShare: 0.7,
      earlyStopping: 0,
      threads: 1,
    };
    const sub = await fitBoost(train.X, train.y, params);
    const both = await fitBoost(train.X, train.y, params, { subtract: false });
    expect(sub.model.trees.length).toBe(25);
    expect(sub.model.trees).toEqual(both.model.trees);
    expect(sub.stats.nodes).toBeGreaterThan(25 * 40);
  });

  it.each([
    [{ learningRate: 0 }, /learningRate: 0 is not a number in \(0, 1\]/],
    [{ maxLeaves: 1 }, /maxLeaves: 1 is not an integer from 2/],
    [{ rowShare: 1.5 }, /rowShare: 1.5 is not a share/],
    [{ earlyStopping: -1 }, /earlyStopping: -1/],
    [{ leaves: 8 }, /unknown boost parameter leaves/],
  ])('rejects bad parameters %j, naming the value', (params, message) => {
    expect(() => resolveBoostParams(params as never)).toThrow(UsageError);
    expect(() => resolveBoostParams(params as never)).toThrow(message);
  });
});

describe('the L2 penalty follows the rows’ mean hessian', () => {
  const data = generate(3000, { signal: 4, noise: 2, seed: 5 });
  const params = {
    trees: 8,
    earlyStopping: 0,
    learningRate: 0.3,
    maxLeaves: 4,
    minLeaf: 20,
    lambda: 5,
    threads: 1,
  };

  /** The leaf row i of X reaches in `tree`. */
  function leafOf(tree: BoostModel['trees'][number], i: number): number {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      const v = data.X.columns[tree.feature[node]!]![i]!;
      const left = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= tree.threshold[node]!;
      node = left ? tree.left[node]! : tree.right[node]!;
    }
    return node;
  }

  /**
   * Tree k's leaf values recomputed from its rows' gradients after the first k trees, with the penalty
   * `lambdaOf(mean hessian)`: −rate · G / (H + λ), as Float32. Returns the penalty and the largest
   * relative difference from the model's leaves.
   */
  function recompute(model: BoostModel, k: number, lambdaOf: (meanH: number) => number) {
    const n = data.X.nRows;
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    let hSum = 0;
    for (let i = 0; i < n; i++) {
      let s = model.baseScore;
      for (let t = 0; t < k; t++) s += model.trees[t]!.value[leafOf(model.trees[t]!, i)]!;
      const p = 1 / (1 + Math.exp(-s));
      g[i] = p - data.y[i]!;
      h[i] = p * (1 - p);
      hSum += h[i]!;
    }
    const lambda = lambdaOf(hSum / n);
    const tree = model.trees[k]!;
    const G = new Map<number, number>();
    const H = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const leaf = leafOf(tree, i);
      G.set(leaf, (G.get(leaf) ?? 0) + g[i]!);
      H.set(leaf, (H.get(leaf) ?? 0) + h[i]!);
    }
    let worst = 0;
    for (const [leaf, gl] of G) {
      const want = Math.fround((-params.learningRate * gl) / (H.get(leaf)! + lambda));
      worst = Math.max(worst, Math.abs(tree.value[leaf]! - want) / Math.abs(want));
    }
    return { lambda, worst, leaves: G.size };
  }

  it("scales lambda by the rows' mean hessian over the first round's, tree by tree", async () => {
    const { model } = await fitBoost(data.X, data.y, params);
    expect(model.params.lambdaScaling).toBe('hessian');
    const p0 = 1 / (1 + Math.exp(-model.baseScore));
    const scaled = (meanH: number) => (params.lambda * meanH) / (p0 * (1 - p0));
    for (const k of [0, 3, 7]) {
      const r = recompute(model, k, scaled);
      expect(r.leaves).toBeGreaterThan(1);
      expect(r.worst).toBeLessThan(1e-6);
      // The same leaves under the fixed penalty do not match once the model has learned.
      if (k > 0) expect(recompute(model, k, () => params.lambda).worst).toBeGreaterThan(1e-3);
    }
    // As the rows grow confident their hessians fall, and the penalty with them.
    expect(recompute(model, 7, scaled).lambda).toBeLessThan(0.9 * params.lambda);
  });

  it("keeps lambda as given with lambdaScaling 'fixed'", async () => {
    const { model } = await fitBoost(data.X, data.y, { ...params, lambdaScaling: 'fixed' });
    expect(model.params.lambdaScaling).toBe('fixed');
    for (const k of [0, 3, 7]) expect(recompute(model, k, () => params.lambda).worst).toBeLessThan(1e-6);
  });

  it('refuses an unknown scaling, naming the choices', () => {
    expect(() => resolveBoostParams({ lambdaScaling: 'rows' as never })).toThrow(
      /lambdaScaling: "rows" is not one of hessian, fixed/,
    );
  });
});
