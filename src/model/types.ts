/** Shapes shared by the tree engines, metrics and the model file. */

import type { FeatureMatrix } from '../frame.js';

export type { FeatureMatrix };

/** An engine that builds a model file's trees. */
export type EngineName = 'forest' | 'ml-random-forest' | 'boost';

/** What `retain train --engine` accepts: an engine, or `auto` (fit forest and boost, keep the better). */
export type EngineChoice = EngineName | 'auto';

export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'boost', 'forest', 'ml-random-forest'];

/**
 * `retain train`'s engine when none is given, chosen on the quality benchmark (scripts/bench/quality.ts):
 * boosting's test AUC matches or beats `auto`'s on every set (auto kept the forest on IBM, 0.0017
 * lower) at about half its training time, since auto also fits a forest.
 */
export const DEFAULT_ENGINE: EngineChoice = 'boost';

export interface ForestParams {
  trees: number;
  /** 0 = unlimited. */
  maxDepth: number;
  minLeaf: number;
  minImpurityDecrease: number;
  /** Features tried at each split. */
  maxFeatures: 'sqrt' | 'log2' | 'all' | number;
  /** Rows drawn per tree, as a share of the training rows. */
  sampleShare: number;
  /** `balanced`: class weights inversely proportional to class frequency; `none`: as sampled. */
  classWeight: 'balanced' | 'none';
  maxBins: number;
  seed: number;
  /** Worker threads; 0 = all cores. The result does not depend on it. */
  threads: number;
}

export const DEFAULT_FOREST_PARAMS: ForestParams = {
  trees: 100,
  maxDepth: 0,
  minLeaf: 5,
  minImpurityDecrease: 0,
  maxFeatures: 'sqrt',
  sampleShare: 1,
  classWeight: 'none',
  maxBins: 256,
  seed: 1,
  threads: 0,
};

/**
 * What a fitted model records of its parameters: neither the thread count (the trees do not depend
 * on it) nor the seed (the model file records the training's seed once, in `training.seed`).
 */
export function trainedParams<P extends { threads: number; seed: number }>(
  p: P,
): Omit<P, 'threads' | 'seed'> {
  const { threads: _threads, seed: _seed, ...trained } = p;
  return trained;
}

/** Progress callback: trees done out of total. */
export type OnProgress = (done: number, total: number) => void;

/** How boosting's L2 penalty follows the rows' hessians (see BoostParams.lambdaScaling). */
export const LAMBDA_SCALINGS = ['hessian', 'fixed'] as const;
export type LambdaScaling = (typeof LAMBDA_SCALINGS)[number];

/** Gradient-boosted trees on the binary log-loss (src/model/boost/). */
export interface BoostParams {
  /** Most boosting rounds (one tree each); early stopping usually ends sooner. */
  trees: number;
  /** Shrinkage applied to every tree's leaf values. */
  learningRate: number;
  /** Most leaves per tree; trees grow best-first (the leaf whose split gains most splits next). */
  maxLeaves: number;
  /** 0 = unlimited (the leaf count bounds the tree). */
  maxDepth: number;
  /** Fewest training rows in a leaf. */
  minLeaf: number;
  /** Smallest sum of hessians (p·(1−p)) in a leaf. */
  minHessian: number;
  /** L2 penalty on leaf values, in hessian units at the first round (each row's p0 · (1 − p0)). */
  lambda: number;
  /**
   * 'hessian': each tree's penalty is lambda times its rows' mean hessian over the first round's, so
   * it weighs as many average rows however confident the model has become; 'fixed': lambda as given.
   */
  lambdaScaling: LambdaScaling;
  /** Smallest loss reduction for a split. */
  minGain: number;
  /** Rows drawn (without replacement) for each tree, as a share of the training rows. */
  rowShare: number;
  /** Features drawn for each tree, as a share of all features. */
  featureShare: number;
  /**
   * Gradient-based sampling (boost/gradient-sample.ts), for a fit of at least `gradientSampleFrom`
   * rows and no draw of rows (rowShare 1): after the first 1 / learningRate rounds, each tree is
   * fitted on this share of the rows with the largest gradients … (1 = every row: off)
   */
  topGradientShare: number;
  /** … and on this share of all rows drawn from the rest, their gradients scaled up to stand for it. */
  otherGradientShare: number;
  /**
   * Fewest rows a fit samples by gradient at. Measured with scripts/bench/quality.ts (forced on, against
   * every row): the generated operators of 105,754 to 307,562 training rows lost 0.0006 to 0.0012 test
   * AUC (0.0003 and 0.0009 as means over seeds 1..3 at 105,754 and 155,803) for 35-45% less training
   * CPU; at 41,727 and 61,719 rows +0.0053 and -0.0050; the public tables (under 5,000 rows) up to
   * -0.011. On a generated 1,000,000 x 30 table (12% churn; `retain train --table`, so 560,000 rows in
   * the validation fit) -0.0002 hold-out AUC for 23% less CPU. So it is for the millions of rows where
   * training time is what limits, not the default below.
   */
  gradientSampleFrom: number;
  /**
   * Stop after this many rounds without a better validation log-loss and keep the best round; 0 = off
   * (every one of `trees` rounds is grown and kept).
   */
  earlyStopping: number;
  /**
   * Without a validation set and with early stopping on, this stratified share of the training rows
   * is held out to stop on (the trees are fitted on the rest).
   */
  validationShare: number;
  maxBins: number;
  seed: number;
  /** Worker threads building histograms; 0 = all cores. The model does not depend on it. */
  threads: number;
}

/**
 * Measured with scripts/bench/quality.ts on the generated operators and the public tables: a learning
 * rate of 0.1 with 31 leaves reaches the AUC of 0.05 with 15 leaves in a quarter of the rounds, and
 * patience of 20 rounds stops where 50 did. L2 regularisation of 5 (over 1) shrinks the leaf values of
 * small leaves, which the small tables overfit: BigML +0.0044 AUC (+0.0047 over seeds 1..5), the
 * operators +0.0002 and +0.0004, IBM and Iranian -0.0010 each, for 1.1-1.2x the training CPU.
 * Scaling it by the rows' mean hessian (lambdaScaling 'hessian' over 'fixed'), test AUC over seeds 1..5:
 * Iranian +0.0012 to +0.0016 on every seed, BigML +0.0003 to +0.0041, IBM -0.0002 to +0.0014; the
 * generated operators -0.0014 (2% churn) and -0.0001 (20%), log-loss -0.0004 and +0.0001. Iranian and
 * BigML stop in fewer rounds (108 against 152 and 46 against 56 at seed 1).
 */
export const DEFAULT_BOOST_PARAMS: BoostParams = {
  trees: 2000,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: 0,
  minLeaf: 20,
  minHessian: 1e-3,
  lambda: 5,
  lambdaScaling: 'hessian',
  minGain: 0,
  rowShare: 1,
  featureShare: 1,
  topGradientShare: 0.2,
  otherGradientShare: 0.1,
  gradientSampleFrom: 1_000_000,
  earlyStopping: 20,
  validationShare: 0.2,
  maxBins: 256,
  seed: 1,
  threads: 0,
};

/** Rows to measure a fit on while it trains (boosting stops early on them). */
export interface ValidationSet {
  readonly X: FeatureMatrix;
  readonly y: Uint8Array;
}

export interface FitOptions {
  onProgress?: OnProgress;
  /** Boosting: the rows early stopping watches; ignored by the forests. */
  validation?: ValidationSet;
  /** Boosting with validation rows: told the rounds up to the best so far each time they improve. */
  onBest?: (rounds: number) => void;
}
