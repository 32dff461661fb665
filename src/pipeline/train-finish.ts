/**
 * What both training modes do once the final model is fitted, in one place: calibrate it, count the
 * node covers its explanations need, fit the segments, take the drift reference; each told as a phase.
 *
 * On two cores these overlap where they are independent: the reference rows' walk through the trees
 * (scores for drift, node covers for explanations) runs on worker threads from the start, while this
 * thread calibrates, bins the drift reference's features and fits the segments (whose choice of k
 * shares a worker of its own). Phases are told as this thread reaches them, so `explain` is what is
 * left of the walk once the segments are done. Every result is the one the steps give run one after
 * another: nothing depends on which thread finishes first.
 */

import { takeMatrix } from '../frame.js';
import { type NodeCoversJSON, nodeCoversToJSON } from '../model/contributions.js';
import { type DriftReference, driftFeatures, driftReference } from '../model/drift.js';
import type { FeatureMatrix } from '../model/types.js';
import type { SegmentFit } from '../segment/index.js';
import { type CalibrationResult, calibrateTraining } from './calibration.js';
import { referenceRows, walkTrainingReference } from './drift.js';
import type { EngineFit } from './engine-model.js';
import type { HeldOut, TrainingPhase } from './validated-fit.js';

export interface AfterFitInput {
  readonly held: HeldOut | null;
  readonly final: EngineFit;
  readonly X: FeatureMatrix;
  readonly y: Uint8Array;
  readonly seed: number;
  /** Worker threads for the walk (0 = all cores). */
  readonly threads: number;
  /**
   * Rows the drift reference is taken from (a seeded sample of them when many); all rows when
   * omitted. The node covers are always counted on a sample of all rows.
   */
  readonly driftRows?: Int32Array;
  /** Fits the segments (started after calibration, while the walk runs). */
  readonly segments: () => Promise<SegmentFit>;
  readonly onPhase?: (phase: TrainingPhase) => void;
}

export interface AfterFit {
  readonly calibration: CalibrationResult;
  /** Node covers for per-subscriber reasons; null for an engine without flat trees. */
  readonly explanation: NodeCoversJSON | null;
  readonly segments: SegmentFit;
  readonly drift: DriftReference;
}

export async function finishTraining(input: AfterFitInput): Promise<AfterFit> {
  const { final, X, y, seed, threads, driftRows } = input;
  // One walk when drift and covers share their rows; else the covers' walk, then the drift rows' one.
  const walks = (async () => {
    const covered = await walkTrainingReference(X, final, seed, threads);
    const scored = driftRows ? await walkTrainingReference(X, final, seed, threads, driftRows) : covered;
    return { covers: covered.covers, scores: scored.scores };
  })();
  // Caught now so a failed walk while this thread is busy is not an unhandled rejection.
  walks.catch(() => {});

  input.onPhase?.('calibrate');
  const calibration = calibrateTraining(input.held, { oob: final.oobScores, y });
  input.onPhase?.('drift');
  const picked = referenceRows(X.nRows, seed, driftRows);
  const Xref = picked ? takeMatrix(X, picked) : X;
  const features = driftFeatures(Xref, seed);
  input.onPhase?.('segments');
  const segments = await input.segments();
  input.onPhase?.('explain');
  const walked = await walks;
  const trees = final.ensemble?.trees;
  const explanation = trees && walked.covers ? nodeCoversToJSON(trees, walked.covers) : null;
  return { calibration, explanation, segments, drift: driftReference(Xref, walked.scores, seed, features) };
}
