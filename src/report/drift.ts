/**
 * Drift of a scored month against the model's training data: the population stability index (PSI) of
 * every feature and of the score, from the scored rows' bin counts (model/drift.ts), judged against
 * the configured thresholds. Counts, not indices, are what shards add up, so a merged run gives
 * exactly the drift of one process.
 */
import type { DriftCounts, DriftReference } from '../model/drift.js';

/**
 * The share an empty bin counts as, on either side, so ln(a/e) stays finite: 0.0001, the usual floor
 * in PSI practice. A bin empty in training that holds 1% of the scored rows then adds 0.046, and one
 * holding 5% adds 0.30: a value training never saw in earnest is drift worth hearing about.
 */
export const PSI_EMPTY_SHARE = 1e-4;

export type DriftLevel = 'stable' | 'warning' | 'retrain';

export interface DriftThresholds {
  readonly warn: number;
  readonly retrain: number;
}

export interface DriftFigure {
  readonly psi: number;
  readonly level: DriftLevel;
}

/** summary.json's `drift` when measured. */
export interface DriftMeasured {
  readonly available: true;
  readonly thresholds: DriftThresholds;
  readonly score: DriftFigure;
  /** Highest PSI first (ties by name). */
  readonly features: readonly ({ readonly feature: string } & DriftFigure)[];
  /** The score or any feature at the retrain level. */
  readonly retrain: boolean;
}

/** summary.json's `drift`. */
export type DriftSummary = DriftMeasured | { readonly available: false; readonly reason: string };

export const NO_REFERENCE_REASON = 'model trained before drift reference was stored; retrain to enable';

/**
 * PSI = Σ (a − e) · ln(a / e) over the bins, with e the training share and a the scored share of each
 * bin, either floored at PSI_EMPTY_SHARE.
 */
export function psi(expected: readonly number[], actualCounts: readonly number[]): number {
  const total = actualCounts.reduce((s, c) => s + c, 0);
  let sum = 0;
  expected.forEach((share, k) => {
    const e = Math.max(share, PSI_EMPTY_SHARE);
    const a = Math.max(total === 0 ? 0 : actualCounts[k]! / total, PSI_EMPTY_SHARE);
    sum += (a - e) * Math.log(a / e);
  });
  return sum;
}

/** Above `retrain`: retrain; above `warn`: warning; else stable. */
export function driftLevel(value: number, t: DriftThresholds): DriftLevel {
  if (value > t.retrain) return 'retrain';
  if (value > t.warn) return 'warning';
  return 'stable';
}

/** The drift section of a scored month from its counts (one process, or shards added together). */
export function driftSummary(ref: DriftReference, counts: DriftCounts, t: DriftThresholds): DriftMeasured {
  const figure = (value: number): DriftFigure => ({ psi: value, level: driftLevel(value, t) });
  const features = ref.features
    .map((f, k) => ({ feature: f.name, ...figure(psi(f.shares, counts.features[k]!)) }))
    .sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
  const score = figure(psi(ref.score.shares, counts.score));
  return {
    available: true,
    thresholds: { warn: t.warn, retrain: t.retrain },
    score,
    features,
    retrain: score.level === 'retrain' || features.some((f) => f.level === 'retrain'),
  };
}
