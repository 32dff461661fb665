/**
 * The drift reference a model carries: for every feature, and for the engine's score, the bins of its
 * training distribution and the training share in each. Scoring counts its own rows into the same
 * bins (report/drift.ts turns the counts into population stability indices).
 *
 * Bins: a feature with at most DRIFT_BINS distinct values (a flag, a one-hot column, a small count)
 * gets one bin per value seen in training, plus an `other` bin for values training never saw; any
 * other feature gets up to DRIFT_BINS quantile bins (edges as the tree binning finds them, bins.ts).
 * Missing values (NaN) always have a bin of their own, the last.
 */
import { binOf, findEdges } from './bins.js';
import type { FeatureMatrix } from './types.js';

/** Value bins per feature (the missing bin, and `other` for value bins, come on top). */
export const DRIFT_BINS = 10;

/** How values fall into bins. */
export type DriftBins =
  /** One bin per listed value (ascending), then `other`, then missing. */
  | { readonly kind: 'values'; readonly values: readonly number[] }
  /** Value v goes to the first bin b with v <= edges[b], else the last value bin; then missing. */
  | { readonly kind: 'quantiles'; readonly edges: readonly number[] };

export interface DriftDistribution {
  readonly bins: DriftBins;
  /** Training share per bin, in bin order (the missing bin last); they sum to 1. */
  readonly shares: readonly number[];
}

export interface DriftReference {
  /** Training rows the feature distributions were taken from. */
  readonly rows: number;
  readonly features: readonly ({ readonly name: string } & DriftDistribution)[];
  /** The final model's scores on the same rows, before calibration. */
  readonly score: DriftDistribution;
}

/** Bins in a distribution (value bins, `other` for value bins, and missing). */
export function binCount(bins: DriftBins): number {
  return bins.kind === 'values' ? bins.values.length + 2 : bins.edges.length + 2;
}

/** A function giving the bin of one value (the edges copied once into a typed array). */
export function binner(bins: DriftBins): (v: number) => number {
  if (bins.kind === 'quantiles') {
    const edges = Float64Array.from(bins.edges);
    return (v) => binOf(edges, v);
  }
  const values = Float64Array.from(bins.values);
  const other = values.length;
  return (v) => {
    if (Number.isNaN(v)) return other + 1;
    let lo = 0;
    let hi = other - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = values[mid]!;
      if (m === v) return mid;
      if (m < v) lo = mid + 1;
      else hi = mid - 1;
    }
    return other;
  };
}

/**
 * Rows per bin of `column` (only `rows` when given). One loop per kind of bins, the bin found inline:
 * a call through `binner` per value was most of counting a scored month's features.
 */
export function countBins(bins: DriftBins, column: ArrayLike<number>, rows?: ArrayLike<number>): number[] {
  const counts = new Float64Array(binCount(bins));
  const n = rows ? rows.length : column.length;
  if (bins.kind === 'quantiles') {
    const edges = Float64Array.from(bins.edges);
    const last = edges.length;
    for (let k = 0; k < n; k++) {
      const v = column[rows ? rows[k]! : k]!;
      if (Number.isNaN(v)) {
        counts[last + 1]!++;
        continue;
      }
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v <= edges[mid]!) hi = mid;
        else lo = mid + 1;
      }
      counts[lo]!++;
    }
  } else {
    const values = Float64Array.from(bins.values);
    const other = values.length;
    for (let k = 0; k < n; k++) {
      const v = column[rows ? rows[k]! : k]!;
      let b = other;
      if (Number.isNaN(v)) b = other + 1;
      else
        for (let j = 0; j < other; j++)
          if (values[j] === v) {
            b = j;
            break;
          }
      counts[b]!++;
    }
  }
  return Array.from(counts);
}

/** The bins of a training column: one per value when there are few, else quantiles. */
export function fitBins(column: Float64Array, seed: number, stream: number): DriftBins {
  const distinct = new Set<number>();
  for (let i = 0; i < column.length && distinct.size <= DRIFT_BINS; i++) {
    const v = column[i]!;
    if (!Number.isNaN(v)) distinct.add(v);
  }
  if (distinct.size <= DRIFT_BINS) return { kind: 'values', values: [...distinct].sort((a, b) => a - b) };
  return { kind: 'quantiles', edges: Array.from(findEdges(column, DRIFT_BINS, seed, stream)) };
}

function distribution(column: Float64Array, seed: number, stream: number): DriftDistribution {
  const bins = fitBins(column, seed, stream);
  const counts = countBins(bins, column);
  return { bins, shares: counts.map((c) => (column.length === 0 ? 0 : c / column.length)) };
}

/**
 * The reference of rows X with `scores` the engine's (uncalibrated) scores of them. Deterministic for
 * a seed (the seed only matters above bins.ts' sample size). `features`: driftFeatures(X, seed), when
 * already taken.
 */
export function driftReference(
  X: FeatureMatrix,
  scores: Float64Array,
  seed: number,
  features: DriftReference['features'] = driftFeatures(X, seed),
): DriftReference {
  return { rows: X.nRows, features, score: distribution(scores, seed, X.names.length) };
}

/**
 * The feature distributions of driftReference(X, ·, seed): they need no scores, so training takes them
 * while the model scores the same rows on other threads.
 */
export function driftFeatures(X: FeatureMatrix, seed: number): DriftReference['features'] {
  return X.names.map((name, f) => ({ name, ...distribution(X.columns[f]!, seed, f) }));
}

/** Scored rows per bin, per feature (in the reference's order) and for the score: what shards add up. */
export interface DriftCounts {
  readonly rows: number;
  readonly features: readonly number[][];
  readonly score: number[];
}

/** Counts the scored rows (`rows` of X, or all) into the reference's bins; `scores` as the engine gave them. */
export function countDrift(
  ref: DriftReference,
  X: FeatureMatrix,
  scores: Float64Array,
  rows?: Int32Array,
): DriftCounts {
  const index = new Map(X.names.map((name, j) => [name, j]));
  return {
    rows: rows ? rows.length : X.nRows,
    features: ref.features.map((f) => {
      const j = index.get(f.name);
      if (j === undefined) throw new RangeError(`feature "${f.name}" of the drift reference is not scored`);
      return countBins(f.bins, X.columns[j]!, rows);
    }),
    score: countBins(ref.score.bins, scores, rows),
  };
}

/** What is wrong with counts said to be of `ref`'s bins (read back from a file): empty when nothing. */
export function driftCountsProblems(ref: DriftReference, counts: DriftCounts): string[] {
  const fits = (c: unknown, bins: DriftBins) =>
    Array.isArray(c) && c.length === binCount(bins) && c.every((v) => Number.isInteger(v) && v >= 0);
  const features = Array.isArray(counts?.features) ? counts.features : [];
  const ok =
    Number.isInteger(counts?.rows) &&
    features.length === ref.features.length &&
    ref.features.every((f, k) => fits(features[k], f.bins)) &&
    fits(counts.score, ref.score.bins);
  return ok ? [] : ["the drift counts do not fit the model's drift bins"];
}

/** Adds counts of disjoint row sets (shards) bin by bin. */
export function addDriftCounts(parts: readonly DriftCounts[]): DriftCounts {
  const [first, ...rest] = parts;
  if (first === undefined) throw new RangeError('no drift counts to add');
  const add = (a: readonly number[], b: readonly number[]) => a.map((v, k) => v + b[k]!);
  return rest.reduce<DriftCounts>(
    (sum, p) => ({
      rows: sum.rows + p.rows,
      features: sum.features.map((c, f) => add(c, p.features[f]!)),
      score: add(sum.score, p.score),
    }),
    { rows: first.rows, features: first.features.map((c) => [...c]), score: [...first.score] },
  );
}

const isNumberArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function checkDistribution(d: unknown, where: string): string[] {
  const r = d as Partial<DriftDistribution> | null;
  const bins = r?.bins as { kind?: unknown; values?: unknown; edges?: unknown } | undefined;
  if (!bins || (bins.kind !== 'values' && bins.kind !== 'quantiles')) return [`${where}: bins are missing`];
  const cuts = bins.kind === 'values' ? bins.values : bins.edges;
  if (!isNumberArray(cuts) || cuts.some((v, k) => k > 0 && v <= cuts[k - 1]!))
    return [`${where}: bin ${bins.kind === 'values' ? 'values' : 'edges'} are not increasing numbers`];
  const shares = r?.shares;
  if (!isNumberArray(shares) || shares.length !== binCount(bins as DriftBins) || shares.some((s) => s < 0))
    return [`${where}: shares do not match the bins`];
  return [];
}

/**
 * Reads a model file's `drift` field: null when absent (a model trained before drift references were
 * stored); throws naming what is wrong with a damaged one, or one whose features are not the model's.
 */
export function driftReferenceFromJSON(
  json: unknown,
  featureNames: readonly string[],
): DriftReference | null {
  if (json === undefined || json === null) return null;
  const r = json as Partial<DriftReference>;
  const problems: string[] = [];
  if (typeof r.rows !== 'number') problems.push('rows is missing');
  if (!Array.isArray(r.features)) problems.push('features are missing');
  else {
    const names = r.features.map((f) => f?.name);
    if (names.join('\u0000') !== featureNames.join('\u0000'))
      problems.push("its features are not the model's features");
    r.features.forEach((f, k) => {
      for (const p of checkDistribution(f, `feature ${JSON.stringify(f?.name ?? k)}`)) problems.push(p);
    });
  }
  for (const p of checkDistribution(r.score, 'score')) problems.push(p);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return r as DriftReference;
}
