/** Seeded test data with a known signal: a logistic model over a few features, noise features, NaNs. */

import type { FeatureMatrix } from '../../src/index.js';
import { createRandom } from '../../src/index.js';

export interface Generated {
  X: FeatureMatrix;
  y: Uint8Array;
  /** The true class-1 probability of each row (the Bayes-optimal score). */
  p: Float64Array;
}

/**
 * `signal` features drive y through a logistic model (weights 1.5, -1, 0.8, ...); `noise` features do
 * not; a share `missing` of the first noise feature is NaN. `intercept` sets the positive rate.
 */
export function generate(
  rows: number,
  { signal = 3, noise = 5, missing = 0.05, intercept = -1, seed = 7 } = {},
): Generated {
  const random = createRandom(seed, 99);
  const weights = [1.5, -1, 0.8, 1.2, -0.6, 0.5].slice(0, signal);
  const columns: Float64Array[] = [];
  const names: string[] = [];
  for (let f = 0; f < signal + noise; f++) {
    columns.push(new Float64Array(rows));
    names.push(f < signal ? `signal${f}` : `noise${f - signal}`);
  }
  const y = new Uint8Array(rows);
  const p = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = intercept;
    for (let f = 0; f < signal + noise; f++) {
      const v = random.normal();
      columns[f]![i] = v;
      if (f < signal) z += weights[f]! * v;
    }
    if (noise > 0 && random.next() < missing) columns[signal]![i] = Number.NaN;
    p[i] = 1 / (1 + Math.exp(-z));
    y[i] = random.next() < p[i]! ? 1 : 0;
  }
  return { X: { nRows: rows, names, columns }, y, p };
}

/** Rows [start, end) of a generated set. */
export function slice(g: Generated, start: number, end: number): Generated {
  return {
    X: { nRows: end - start, names: g.X.names, columns: g.X.columns.map((c) => c.slice(start, end)) },
    y: g.y.slice(start, end),
    p: g.p.slice(start, end),
  };
}
