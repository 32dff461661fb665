/**
 * The calibration step of training, shared by both training modes. The stored calibrator is fitted on
 * the final model's out-of-bag scores (every training row, scored by the trees that did not see it);
 * an engine without them uses the validation model's hold-out predictions instead. The same procedure
 * is measured on rows the calibrator never saw: fitted on the validation model's out-of-bag scores
 * and applied to its hold-out (or, without out-of-bag scores, fitted on one half of the hold-out and
 * measured on the other, both ways).
 */

import { takeMatrix } from '../frame.js';
import {
  type Calibrator,
  calibrate,
  calibratorName,
  calibratorToJSON,
  IDENTITY,
  unchangedCalibrator,
} from '../model/calibrate.js';
import { type CalibrationQuality, calibrationQuality } from '../model/calibration-check.js';
import { type CalibrationName, crossCalibrate, fitChosenCalibrator } from '../model/calibration-choice.js';
import { type NodeCoversJSON, nodeCovers, nodeCoversToJSON } from '../model/contributions.js';
import type { FeatureMatrix } from '../model/types.js';
import { referenceRows } from './drift.js';
import type { EngineFit } from './engine-model.js';
import type { HeldOut } from './validated-fit.js';

export type { HeldOut };

/** What the validation step produced, for measuring calibration on its hold-out. */

export type CalibrationSource = 'out-of-bag' | 'hold-out';

export interface CalibrationCheck {
  /** Where the measured calibrator was fitted, and on how many rows. */
  readonly fittedOn: CalibrationSource | 'hold-out halves';
  readonly fitRows: number;
  /**
   * What the measured calibrators do: a method, `unchanged` (the model's own, clipped) or `identity`;
   * `a/b` when the two halves of a hold-out chose differently.
   */
  readonly method: string;
  /** What the final model's calibrator does (fitted on all its calibration rows, it may choose otherwise). */
  readonly kept?: CalibrationName;
  readonly before: CalibrationQuality;
  readonly after: CalibrationQuality;
}

export interface CalibrationResult {
  readonly calibrator: Calibrator;
  /** The model file's `calibration` field. */
  readonly json: Record<string, unknown> & { fittedOn: CalibrationSource | null; rows: number };
  /** Measured on rows the measured calibrator did not see; null without a validation step. */
  readonly check: CalibrationCheck | null;
}

/** Out-of-bag scores are used when at least half the rows have one (a forest of a few trees may not). */
function usable(oob: Float64Array): boolean {
  let scored = 0;
  for (let i = 0; i < oob.length; i++) if (!Number.isNaN(oob[i]!)) scored++;
  return scored > 0 && scored >= oob.length / 2;
}

function measure(held: HeldOut): CalibrationCheck {
  const before = calibrationQuality(held.scores, held.y);
  if (usable(held.oob)) {
    const fit = fitChosenCalibrator(held.oob, held.yTrain);
    const after = calibrate(fit.calibrator, held.scores);
    return {
      fittedOn: 'out-of-bag',
      fitRows: fit.rows,
      method: calibratorName(fit.calibrator),
      before,
      after: calibrationQuality(after, held.y),
    };
  }
  const cross = crossCalibrate(held.scores, held.y);
  return {
    fittedOn: 'hold-out halves',
    fitRows: cross.fitRows,
    method: cross.method,
    before,
    after: calibrationQuality(cross.calibrated, held.y),
  };
}

/** The calibrator for the final model, and how the same procedure did on the hold-out. */
export function calibrateTraining(
  held: HeldOut | null,
  final: { readonly oob: Float64Array; readonly y: Uint8Array },
): CalibrationResult {
  let source: CalibrationSource | null = null;
  // With no rows to fit on, the model's own probabilities, still kept off exactly 0 and 1.
  const none = final.y.length > 0 ? unchangedCalibrator(final.y.length) : IDENTITY;
  let fit: { calibrator: Calibrator; rows: number } = { calibrator: none, rows: 0 };
  if (usable(final.oob)) {
    source = 'out-of-bag';
    fit = fitChosenCalibrator(final.oob, final.y);
  } else if (held !== null) {
    source = 'hold-out';
    fit = fitChosenCalibrator(held.scores, held.y);
  }
  return {
    calibrator: fit.calibrator,
    json: { ...calibratorToJSON(fit.calibrator), fittedOn: source, rows: fit.rows },
    check: held === null ? null : { ...measure(held), kept: calibratorName(fit.calibrator) },
  };
}

/**
 * The training rows' node covers for per-subscriber reasons (null for an engine without flat trees):
 * counted on the drift reference's rows (all rows up to REFERENCE_ROWS, else a seeded sample), since
 * reasons only use each node's share of the rows reaching its parent.
 */
export function explainTraining(final: EngineFit, X: FeatureMatrix, seed: number): NodeCoversJSON | null {
  const trees = final.ensemble?.trees;
  if (!trees) return null;
  const rows = referenceRows(X.nRows, seed);
  return nodeCoversToJSON(trees, nodeCovers(trees, rows ? takeMatrix(X, rows) : X));
}
