/**
 * The k-means fits of some candidate k values, as a worker thread runs them (parallel.ts). Its own
 * module so the worker loads k-means alone, not the segment pipeline and the config schema behind it.
 */
import { fitKMeans, type KMeansFit, type KMeansOptions } from './kmeans.js';
import type { ScaledRows } from './scale.js';

export interface ChoiceJob {
  readonly x: ScaledRows;
  readonly ks: readonly number[];
  readonly options: KMeansOptions;
}

export type ChoiceReply =
  | { readonly kind: 'fits'; readonly fits: KMeansFit[] }
  | { readonly kind: 'error'; readonly message: string; readonly stack?: string };

export function runChoiceJob(job: ChoiceJob): KMeansFit[] {
  return job.ks.map((k) => fitKMeans(job.x, k, job.options));
}
