/**
 * The forest benchmark's seeded tables: signal in the first third of the features (linear, a threshold
 * and an interaction), the rest noise; an intercept sets the churn rate. Generated in row chunks, so a
 * table of millions of rows is written to CSV without being held.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRandom, type FeatureMatrix } from '../../src/index.js';

export interface Table {
  readonly X: FeatureMatrix;
  readonly y: Uint8Array;
}

/** Normal features rounded to 3 decimals: the CSV stays small and parses back to the same doubles. */
const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** A generator of consecutive rows of one seeded table. */
export function tableRows(nFeatures: number, intercept: number, seed: number, round = false) {
  const random = createRandom(seed, 5);
  const nSignal = Math.max(3, Math.floor(nFeatures / 3));
  return (n: number): Table => {
    const columns = Array.from({ length: nFeatures }, () => new Float64Array(n));
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let z = intercept;
      for (let f = 0; f < nFeatures; f++) {
        const v =
          f % 2 === 1 ? Math.floor(random.next() * 10) : round ? round3(random.normal()) : random.normal();
        columns[f]![i] = v;
        if (f < nSignal) z += (f % 2 === 0 ? 0.7 : -0.12) * v;
      }
      if (columns[0]![i]! > 1 && columns[1]![i]! < 3) z += 1.5;
      z += 0.6 * columns[2]![i]! * columns[4 % nFeatures]![i]!;
      y[i] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    return { X: { nRows: n, names: columns.map((_, f) => `f${f}`), columns }, y };
  };
}

/** The intercept giving about `churn` positives (bisection on a 20,000-row sample). */
export function interceptFor(churn: number, nFeatures: number): number {
  let lo = -30;
  let hi = 30;
  for (let k = 0; k < 25; k++) {
    const mid = (lo + hi) / 2;
    const { y } = tableRows(nFeatures, mid, 99)(20_000);
    let positives = 0;
    for (const v of y) positives += v;
    if (positives / y.length < churn) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Writes `rows` rows from `next` as CSV (features, then label), 20,000 rows at a time. */
export function writeCsv(path: string, rows: number, next: (n: number) => Table): void {
  const fd = openSync(path, 'w');
  try {
    let header = false;
    for (let a = 0; a < rows; a += 20_000) {
      const t = next(Math.min(20_000, rows - a));
      if (!header) {
        writeSync(fd, `${[...t.X.names, 'label'].join(',')}\n`);
        header = true;
      }
      const lines: string[] = [];
      for (let i = 0; i < t.X.nRows; i++) lines.push([...t.X.columns.map((c) => c[i]), t.y[i]].join(','));
      writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes a table held in memory as CSV. */
export function writeTableCsv(path: string, t: Table): void {
  let at = 0;
  writeCsv(path, t.X.nRows, (n) => {
    const part = {
      X: { nRows: n, names: t.X.names, columns: t.X.columns.map((c) => c.subarray(at, at + n)) },
      y: t.y.subarray(at, at + n),
    };
    at += n;
    return part;
  });
}

/** Area under the ROC curve, ties counted half. */
export function auc(scores: Float64Array, y: Uint8Array): number {
  const idx = Uint32Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
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
