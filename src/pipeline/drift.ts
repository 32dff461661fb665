/**
 * Drift in training and scoring: which rows and scores the model's drift reference is taken from,
 * and which scored rows are counted against it.
 */
import { STATUS } from '../contract.js';
import { type Frame, takeMatrix, u8, where } from '../frame.js';
import { coversFromLeafHits } from '../model/covers.js';
import { type DriftReference, driftReference } from '../model/drift.js';
import { predictCountingOnThreads } from '../model/threads.js';
import { packForest } from '../model/tree.js';
import type { FeatureMatrix } from '../model/types.js';
import { createRandom } from '../random.js';
import { sampleRows } from '../segment/sample.js';
import { threadsFor } from '../workers.js';
import type { EngineFit } from './engine-model.js';

/**
 * Training rows the drift reference and the explanation's node covers are taken from: all of them up
 * to this many, else a seeded sample of this many. Both are distributions (bin shares, and the share
 * of rows reaching each tree node), so a sample of 50,000 estimates them to about ±0.002 per share
 * (one standard error of a 10% share is 0.0013), far below the PSI of a shift worth a warning; while
 * predicting and walking a million rows through every tree of a deep forest took 20–40 CPU seconds.
 */
export const REFERENCE_ROWS = 50_000;
const REFERENCE_STREAM = 0x7e4;

/**
 * The rows (of `rows`, or of 0..n-1) the reference is taken from: undefined when all of them are (at
 * most REFERENCE_ROWS), else a seeded sample of REFERENCE_ROWS of them, ascending.
 */
export function referenceRows(n: number, seed: number, rows?: Int32Array): Int32Array | undefined {
  const count = rows ? rows.length : n;
  if (count <= REFERENCE_ROWS) return rows;
  const picked = sampleRows(count, REFERENCE_ROWS, createRandom(seed, REFERENCE_STREAM));
  if (!rows) return picked;
  const out = new Int32Array(picked.length);
  for (let k = 0; k < picked.length; k++) out[k] = rows[picked[k]!]!;
  return out;
}

/**
 * The reference of a trained model, from the training rows `rows` (all when omitted; a seeded sample
 * of REFERENCE_ROWS of them when there are more): their feature distributions, and the final model's
 * scores on them, the way scoring counts its own (the engine's score, before calibration). In-sample
 * scores, chosen on measurement: scoring an unshifted month of the sample data, they gave a score PSI
 * of 0.008 (forest, 30 trees), 0.046 (100 trees) and 0.028 (boost), where the validation fit's
 * hold-out scores gave 0.09–0.10 (another model: fewer rows, other rounds) and out-of-bag scores
 * 0.11–0.37 (averages over a third of the trees spread wider). A scored month is mostly the same
 * subscribers the model was fitted on, a month on.
 */
export function trainingDriftReference(
  X: FeatureMatrix,
  fit: EngineFit,
  seed: number,
  rows?: Int32Array,
): DriftReference {
  const picked = referenceRows(X.nRows, seed, rows);
  const Xref = picked ? takeMatrix(X, picked) : X;
  return driftReference(Xref, fit.predict(Xref), seed);
}

/** The reference rows, the final model's scores on them and, for a tree ensemble, their node covers. */
export interface TrainingReference {
  readonly X: FeatureMatrix;
  readonly scores: Float64Array;
  /** Per tree, the reference rows reaching each node (nodeCovers); null for an engine without flat trees. */
  readonly covers: Uint32Array[] | null;
}

/**
 * Below this many reference rows the walk stays in-process: starting two workers and sharing the
 * columns cost about what they save.
 */
const REFERENCE_THREAD_MIN_ROWS = 10_000;

/**
 * The reference rows (as trainingDriftReference picks them) walked once through the final model's
 * trees on `threads` worker threads (0 = all cores): the walk that scores them also counts the leaves
 * they reach, so the drift reference's scores and the explanation's node covers cost one walk. The
 * scores are the bits fit.predict gives (the same packed walk, the same combination of the trees).
 */
export async function walkTrainingReference(
  X: FeatureMatrix,
  fit: EngineFit,
  seed: number,
  threads: number,
  rows?: Int32Array,
): Promise<TrainingReference> {
  const picked = referenceRows(X.nRows, seed, rows);
  const Xref = picked ? takeMatrix(X, picked) : X;
  const ensemble = fit.ensemble;
  if (!ensemble || ensemble.trees.length === 0) return { X: Xref, scores: fit.predict(Xref), covers: null };
  // As the engines pack their trees: a forest's mean, boosting's raw sum from its base score.
  const forest = packForest(
    ensemble.trees,
    ensemble.toScores ? { kind: 'sum', bias: ensemble.base } : { kind: 'mean' },
  );
  const n = Xref.nRows < REFERENCE_THREAD_MIN_ROWS ? 1 : threadsFor(threads);
  const walked = await predictCountingOnThreads(forest, Xref.columns, Xref.nRows, n);
  const scores = ensemble.toScores ? ensemble.toScores(walked.scores) : walked.scores;
  return { X: Xref, scores, covers: coversFromLeafHits(ensemble.trees, walked.leafHits) };
}

/** Scored subscribers counted for drift: those of the population the model trained on (not closed). */
export function driftRows(frame: Frame): Int32Array {
  const status = u8(frame, 'status');
  return where(frame.n, (i) => status[i] !== STATUS.closed);
}
