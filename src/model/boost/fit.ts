/**
 * Gradient boosting on the binary log-loss: start from the log-odds of the churn rate, then each round
 * fits one tree to the current gradients (on a seeded draw of rows and features) and adds it, shrunk by
 * the learning rate. With a validation set it stops once the validation log-loss has not improved for
 * `earlyStopping` rounds and keeps the best round; with early stopping off it grows and keeps every
 * round, and records the validation loss of each.
 */
import { InputError } from '../../errors.js';
import { takeColumn, takeMatrix } from '../../frame.js';
import { createRandom, type Random } from '../../random.js';
import { threadsFor } from '../../workers.js';
import { binFeatures, binOnEdges, valueBins } from '../bins.js';
import { checkFeatureNames, checkMatrix } from '../forest.js';
import type { FlatTree } from '../grow.js';
import { stratifiedSplit } from '../holdout.js';
import { NodeWalk } from '../node-walk.js';
import {
  type BoostParams,
  type FeatureMatrix,
  type FitOptions,
  trainedParams,
  type ValidationSet,
} from '../types.js';
import { addTreeToRows } from './binned-walk.js';
import { type HistogramBuilder, inProcessBuilder, threadedBuilder } from './builder.js';
import { planHistograms } from './bundle.js';
import { sampleByGradient, sampleCounts, warmUpRounds } from './gradient-sample.js';
import { STRIDE } from './histogram.js';
import { createLearnerScratch, growBoostTree, type LearnerData } from './learner.js';
import type { BoostModel } from './model.js';
import { baseScore, gradients, hessianAt, logLossOfScores } from './objective.js';
import { resolveBoostParams } from './params.js';

export interface BoostFitOptions extends FitOptions {
  /** Nodes of at least this many rows × features are shared with worker threads. */
  parallelCells?: number;
  /** Histogram subtraction (on by default; off only to show it changes nothing). */
  subtract?: boolean;
  /**
   * Exclusive feature bundling and crossing of features of few bins (bundle.ts) when every tree sees
   * every feature (on by default; off to compare).
   */
  bundle?: boolean;
  /**
   * Rounds decided by another thread while this fit runs (refit.ts): `[most, decided]` in shared
   * memory. Before each round the loop waits until `most` allows it; once `decided` is set, `most`
   * is final: the fit keeps that many trees and records them as the model's `trees`, which makes the
   * model the one a fit with `trees: most` grows.
   */
  roundLimit?: Int32Array;
}

/** Words of BoostFitOptions.roundLimit; a change to either is notified on `most`. */
export const LIMIT = { most: 0, decided: 1, size: 2 } as const;

/**
 * Whether round t (from 0) may be grown under the limit: waits while the limit does not allow it and
 * is not final; false once it is final and reached.
 */
function mayGrow(limit: Int32Array, t: number): boolean {
  for (;;) {
    const most = Atomics.load(limit, LIMIT.most);
    if (t < most) return true;
    if (Atomics.load(limit, LIMIT.decided) !== 0) return false;
    Atomics.wait(limit, LIMIT.most, most);
  }
}

/** Waits for the rounds to keep to be decided, and returns them. */
function decidedRounds(limit: Int32Array): number {
  // No limit allows a round past every one: this returns once the count is final.
  mayGrow(limit, Number.POSITIVE_INFINITY);
  return Atomics.load(limit, LIMIT.most);
}

export interface BoostStats {
  /** Boosting has no out-of-bag rows: all NaN (kept for the engines' common shape). */
  readonly oobScores: Float64Array;
  /** Split gain per feature over the kept trees, summing to 1. */
  readonly importances: Record<string, number>;
  readonly seconds: number;
  readonly threads: number;
  /** Groups of feature histograms that worker threads built (0 in-process). */
  readonly workerGroups: number;
  readonly nodes: number;
  /** Trees kept (the best validation round, or every round grown without validation). */
  readonly rounds: number;
  /** Rounds grown before stopping. */
  readonly grown: number;
  /** Validation log-loss after each round grown; empty without validation. */
  readonly validationLoss: readonly number[];
  /** Rows the trees were fitted on, and rows held out for early stopping (0 when given a set). */
  readonly fitRows: number;
  readonly heldOutRows: number;
}

/** Default node size (rows × features) from which worker threads help build histograms. */
export const PARALLEL_CELLS = 1 << 18;

/** Memory for the histograms of one fit's open leaves. */
const HISTOGRAM_BUDGET_BYTES = 512 * 2 ** 20;

function checkLabels(y: Uint8Array, nRows: number, what: string): void {
  if (y.length !== nRows) throw new InputError(`${what}: ${y.length} labels for ${nRows} rows`);
  for (let i = 0; i < y.length; i++)
    if (y[i]! > 1) throw new InputError(`${what}: label ${y[i]} at row ${i}, expected 0 or 1`);
}

/** The training rows and the validation set: given, held out here, or none. */
function splitValidation(
  X: FeatureMatrix,
  y: Uint8Array,
  p: Required<BoostParams>,
  given: ValidationSet | undefined,
): { X: FeatureMatrix; y: Uint8Array; valid: ValidationSet | null; heldOut: number } {
  if (given) {
    checkMatrix(given.X, 'boost validation');
    checkFeatureNames(X.names, given.X);
    checkLabels(given.y, given.X.nRows, 'boost validation');
    return { X, y, valid: given.X.nRows > 0 ? given : null, heldOut: 0 };
  }
  if (p.earlyStopping === 0) return { X, y, valid: null, heldOut: 0 };
  const { train, test } = stratifiedSplit(y, p.validationShare, p.seed);
  if (test.length === 0 || train.length < 2) return { X, y, valid: null, heldOut: 0 };
  return {
    X: takeMatrix(X, train),
    y: takeColumn(y, train),
    valid: { X: takeMatrix(X, test), y: takeColumn(y, test) },
    heldOut: test.length,
  };
}

/** Writes `count` of the n rows, drawn without replacement, ascending into rows (selection sampling). */
function drawRows(random: Random, n: number, count: number, rows: Uint32Array, inBag: Uint8Array): void {
  let k = 0;
  for (let i = 0; i < n && k < count; i++) {
    if (random.next() * (n - i) < count - k) {
      rows[k++] = i;
      inBag[i] = 1;
    } else inBag[i] = 0;
  }
  inBag.fill(0, rows[k - 1]! + 1);
}

/** `count` of the n features, drawn without replacement, ascending into `out`. */
function drawFeatures(random: Random, n: number, count: number, out: Int32Array): void {
  const all = Int32Array.from({ length: n }, (_, f) => f);
  for (let i = 0; i < count; i++) {
    const j = i + random.int(n - i);
    const f = all[j]!;
    all[j] = all[i]!;
    all[i] = f;
  }
  out.set(all.subarray(0, count).sort());
}

export async function fitBoost(
  X: FeatureMatrix,
  y: Uint8Array,
  params?: Partial<BoostParams>,
  options: BoostFitOptions = {},
): Promise<{ model: BoostModel; stats: BoostStats }> {
  const started = performance.now();
  const p = resolveBoostParams(params);
  checkMatrix(X, 'boost training');
  checkLabels(y, X.nRows, 'boost training');
  if (X.nRows < 2) throw new InputError(`boost training: ${X.nRows} rows, need at least 2`);
  if (X.columns.length === 0) throw new InputError('boost training: no feature columns');
  if (X.columns.length > 32767)
    throw new InputError(`boost training: ${X.columns.length} features, at most 32767`);
  const fit = splitValidation(X, y, p, options.validation);
  const n = fit.X.nRows;
  const nF = fit.X.columns.length;
  const perTree = Math.max(1, Math.round(p.featureShare * nF));
  const inTree = Math.max(1, Math.round(p.rowShare * n));
  const cells = options.parallelCells ?? PARALLEL_CELLS;
  const wanted = threadsFor(p.threads);
  const threads = wanted > 1 && inTree * perTree >= cells ? wanted : 1;
  const shared = threads > 1;
  const binned = binFeatures(fit.X, p.maxBins, p.seed, shared);
  const bins = Int32Array.from(binned.edges, valueBins);
  const allFeatures = perTree === nF;
  const layout = planHistograms(binned.codes, bins, n, allFeatures && (options.bundle ?? true), shared);
  const slotBytes = layout.slotBins * STRIDE * 8;
  const slots = Math.max(2, Math.min(p.maxLeaves, Math.floor(HISTOGRAM_BUDGET_BYTES / slotBytes)));
  const alloc = <T>(make: new (b: ArrayBufferLike) => T, bytes: number): T =>
    new make(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const data: LearnerData = {
    codes: binned.codes,
    valueBins: bins,
    edges: binned.edges,
    layout,
    rows: alloc(Uint32Array, 4 * n),
    gh: alloc(Float64Array, 16 * n),
    pool: alloc(Float64Array, slots * slotBytes),
  };
  const builder: HistogramBuilder = shared
    ? await threadedBuilder(data, nF, threads, cells)
    : inProcessBuilder(data, nF);
  // Every tree on every feature: the units cover them all (bundles included) and never change.
  const tree = {
    features: Int32Array.from({ length: nF }, (_, f) => f),
    nFeatures: perTree,
    nUnits: allFeatures ? layout.allUnits.length : perTree,
  };
  if (allFeatures) builder.units.set(layout.allUnits);
  try {
    const valid = fit.valid;
    const validCodes = valid ? binOnEdges(valid.X, binned.edges) : [];
    const base = baseScore(fit.y);
    const score = new Float64Array(n).fill(base);
    const validScore = new Float64Array(valid?.X.nRows ?? 0).fill(base);
    const inBag = new Uint8Array(n);
    const sampling =
      // Only without a draw of rows (rowShare 1), as documented and as train warns: a share below 1
      // that rounds to every row of a small table does not switch it back on.
      p.rowShare >= 1 && n >= p.gradientSampleFrom && p.topGradientShare < 1
        ? sampleCounts(n, p.topGradientShare, p.otherGradientShare)
        : null;
    const warmUp = warmUpRounds(p.learningRate);
    const work = new Float64Array(sampling ? n : 0);
    const outOfBag = new NodeWalk(inTree < n || sampling ? n : 0);
    const validWalk = new NodeWalk(validScore.length);
    const scratch = createLearnerScratch(n);
    const settings = {
      maxLeaves: p.maxLeaves,
      maxDepth: p.maxDepth,
      minLeaf: p.minLeaf,
      minHessian: p.minHessian,
      lambda: p.lambda,
      lambdaAt: p.lambdaScaling === 'hessian' ? hessianAt(base) : 0,
      minGain: p.minGain,
      learningRate: p.learningRate,
      slots,
      subtract: options.subtract ?? true,
    };
    const trees: FlatTree[] = [];
    const gains: Float64Array[] = [];
    const validationLoss: number[] = [];
    let best = 0;
    let bestLoss = Number.POSITIVE_INFINITY;
    const limit = options.roundLimit;
    for (let t = 0; t < p.trees && (!limit || mayGrow(limit, t)); t++) {
      const random = createRandom(p.seed, t);
      if (inTree < n) drawRows(random, n, inTree, data.rows, inBag);
      else for (let i = 0; i < n; i++) data.rows[i] = i;
      if (!allFeatures) {
        drawFeatures(random, nF, perTree, tree.features);
        builder.units.set(tree.features.subarray(0, perTree));
      }
      gradients(score, fit.y, data.rows, inTree, data.gh);
      const sampled = sampling && t >= warmUp;
      const nIn = sampled ? sampleByGradient(data.gh, n, sampling, random, data.rows, inBag, work) : inTree;
      const grown = growBoostTree(data, scratch, builder, tree, nIn, settings, inTree);
      for (let k = 0; k < grown.leafValue.length; k++) {
        const v = grown.leafValue[k]!;
        for (let i = grown.leafStart[k]!; i < grown.leafEnd[k]!; i++) score[data.rows[i]!]! += v;
      }
      if (nIn < n) {
        const left = outOfBag.rows[0];
        let m = 0;
        for (let i = 0; i < n; i++) if (inBag[i] === 0) left[m++] = i;
        addTreeToRows(grown, binned.codes, bins, outOfBag, m, score);
      }
      trees.push(grown.tree);
      gains.push(grown.gain);
      options.onProgress?.(t + 1, limit ? Math.min(p.trees, Atomics.load(limit, LIMIT.most)) : p.trees);
      if (!valid) {
        best = t + 1;
        continue;
      }
      addTreeToRows(grown, validCodes, bins, validWalk.all(validScore.length), validScore.length, validScore);
      const loss = logLossOfScores(validScore, valid.y);
      validationLoss.push(loss);
      // Early stopping off: every round is kept, the validation loss only recorded.
      if (p.earlyStopping === 0) {
        best = t + 1;
        options.onBest?.(best);
      } else if (loss < bestLoss) {
        bestLoss = loss;
        best = t + 1;
        options.onBest?.(best);
      } else if (t + 1 - best >= p.earlyStopping) break;
    }
    const grownRounds = trees.length;
    const decided = limit ? Math.min(decidedRounds(limit), grownRounds) : p.trees;
    if (grownRounds < (limit ? decided : p.trees)) options.onProgress?.(grownRounds, grownRounds);
    const rounds = Math.max(1, Math.min(best, decided));
    const kept = trees.slice(0, rounds);
    const total = new Float64Array(nF);
    for (const g of gains.slice(0, rounds)) for (let f = 0; f < nF; f++) total[f]! += g[f]!;
    const sum = total.reduce((a, b) => a + b, 0);
    const importances: Record<string, number> = {};
    X.names.forEach((name, f) => {
      importances[name] = sum > 0 ? total[f]! / sum : 0;
    });
    const trained = trainedParams(limit ? { ...p, trees: rounds } : p);
    return {
      model: { featureNames: [...X.names], params: trained, baseScore: base, trees: kept },
      stats: {
        oobScores: new Float64Array(X.nRows).fill(Number.NaN),
        importances,
        seconds: (performance.now() - started) / 1000,
        threads: builder.threads,
        workerGroups: builder.workerGroups(),
        nodes: kept.reduce((s, tree) => s + tree.feature.length, 0),
        rounds,
        grown: grownRounds,
        validationLoss,
        fitRows: n,
        heldOutRows: fit.heldOut,
      },
    };
  } finally {
    await builder.close();
  }
}
