/**
 * Drift in training and scoring: which rows and scores the model's drift reference is taken from,
 * and which scored rows are counted against it.
 */
import { STATUS } from '../contract.js';
import { type Frame, takeMatrix, u8, where } from '../frame.js';
import { type DriftReference, driftReference } from '../model/drift.js';
import type { FeatureMatrix } from '../model/types.js';
import type { EngineFit } from './engine-model.js';

/**
 * The reference of a trained model, from the training rows `rows` (all when omitted): their feature
 * distributions, and the final model's scores on them, the way scoring counts its own (the engine's
 * score, before calibration). In-sample scores, chosen on measurement: scoring an unshifted month of
 * the sample data, they gave a score PSI of 0.008 (forest, 30 trees), 0.046 (100 trees) and 0.028
 * (boost), where the validation fit's hold-out scores gave 0.09–0.10 (another model: fewer rows,
 * other rounds) and out-of-bag scores 0.11–0.37 (averages over a third of the trees spread wider).
 * A scored month is mostly the same subscribers the model was fitted on, a month on.
 */
export function trainingDriftReference(
  X: FeatureMatrix,
  fit: EngineFit,
  seed: number,
  rows?: Int32Array,
): DriftReference {
  const Xref = rows ? takeMatrix(X, rows) : X;
  return driftReference(Xref, fit.predict(Xref), seed);
}

/** Scored subscribers counted for drift: those of the population the model trained on (not closed). */
export function driftRows(frame: Frame): Int32Array {
  const status = u8(frame, 'status');
  return where(frame.n, (i) => status[i] !== STATUS.closed);
}
