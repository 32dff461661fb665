/**
 * Behavioural segmentation: scale; for each candidate k, fit k-means with restarts on a seeded choice
 * sample (5,000 rows) and score its simplified silhouette (distances to the centres) on a smaller
 * one, keeping the best k; refine the chosen k's centres on a larger fit sample (50,000 rows); assign
 * every row, relabel segments by size, profile and name them.
 * The work of choosing k does not grow with the number of subscribers, only the final assignment does.
 * `assignSegments` replays the saved scaler and centroids.
 */
import type { Config } from '../config.js';
import { InputError, UsageError } from '../errors.js';
import type { Frame } from '../frame.js';
import { createRandom } from '../random.js';
import { assignFrame } from './assign.js';
import {
  distinctRowsUpTo,
  fitKMeans,
  type KMeansFit,
  type KMeansOptions,
  refineKMeans,
  STREAM,
} from './kmeans.js';
import type { LloydOptions } from './lloyd.js';
import { SEGMENT_MODEL_FORMAT, SEGMENT_MODEL_VERSION, type SegmentModel } from './model.js';
import { segmentNames } from './names.js';
import { distinctiveFeatures, segmentProfiles, segmentZ } from './profile.js';
import { sampleRows } from './sample.js';
import { featureColumns, fitScaler, type ScaledRows, scaleRows, scalerColumns } from './scale.js';
import { simplifiedSilhouette } from './silhouette.js';

export const DEFAULT_SEGMENT_FEATURES: readonly string[] = [
  'voice_out_minutes',
  'voice_in_minutes',
  'sms_out',
  'data_mb',
  'arpu',
  'distinct_contacts',
  'active_days',
  'night_share',
  'weekend_share',
  'tenure_months',
];

export interface SegmentOptions {
  /** Features to cluster on; every one must be present. Default: the present ones of DEFAULT_SEGMENT_FEATURES. */
  readonly features?: readonly string[];
  /** Fixed number of segments; null chooses k in [kMin, kMax] by silhouette. */
  readonly k: number | null;
  readonly kMin: number;
  readonly kMax: number;
  /** k-means++ starts per k on the choice sample; the one with the lowest inertia is kept. */
  readonly restarts: number;
  /** Rows in the seeded sample each k's simplified silhouette is computed on (O(s · k · d)). */
  readonly silhouetteSample: number;
  /** k is chosen on k-means fits to a seeded sample of at most this many rows. */
  readonly choiceSample?: number;
  /** The chosen k is refitted on a seeded sample of at most this many rows, then every row is assigned. */
  readonly fitSample?: number;
  readonly seed: number;
  readonly maxIterations?: number;
  /** A k-means run stops once no centre moves by more than this squared distance (scaled units). */
  readonly tolerance?: number;
  /**
   * Lloyd iterations each restart on the choice sample runs before the restarts are compared; only
   * the best two run on (kmeans.ts). Default DEFAULT_SCREEN_ITERATIONS; 0: every restart runs to the end.
   */
  readonly screenIterations?: number;
}

export const DEFAULT_FIT_SAMPLE = 50_000;
/**
 * Rows k is chosen on (7 k values x 8 restarts of k-means each: most of the segments' time). 5,000
 * rather than 10,000, on measurement (scripts/bench/segment.ts, silhouette of the fitted segments on a
 * fixed evaluation sample): the same k and silhouette on 200,000 and 1,000,000 generated subscribers
 * (k 5, 0.6043 and 0.6045), a silhouette no lower on IBM (k 10 -> 9, 0.3533 -> 0.3570) and on two
 * generated 40,000-row tables without clusters (0.0769 -> 0.0777, 0.0775 -> 0.0792); BigML and Iranian
 * are smaller than either sample. 3,000 rows lost silhouette (0.0769 -> 0.0725); so did fewer restarts
 * on Iranian (3 restarts: k 4 -> 6, 0.383 -> 0.354).
 */
export const DEFAULT_CHOICE_SAMPLE = 5000;
const DEFAULT_MAX_ITERATIONS = 100;
const DEFAULT_TOLERANCE = 1e-4;
/**
 * The runs on the choice sample only rank restarts and k values, so they stop at a tolerance this
 * many times looser; the chosen run is then refined to the full tolerance on the fit sample. On data
 * with little structure (where k-means creeps for up to maxIterations) this is a quarter of the time.
 */
const CHOICE_TOLERANCE_FACTOR = 10;
/**
 * Iterations each restart on the choice sample runs before the restarts are compared (kmeans.ts: the
 * two lowest then run on, the lower at the end is kept). Measured with scripts/bench/segment.ts,
 * 2 threads, every restart run whole → screened after 5: the same k and evaluation silhouette on IBM
 * Telco (0.4051), BigML (0.1869), Iranian (0.3828), 200,000 generated subscribers (0.6043) and a
 * 40,000 × 30 table without clusters (0.0789); a 40,000 × 66 one 0.0786 → 0.0768. Seconds: IBM
 * 0.65 → 0.52, BigML 0.48 → 0.25, the 40,000-row tables 1.05 → 0.75 and 1.32 → 0.89; Iranian and
 * the generated subscribers, whose runs stop within a few iterations anyway, unchanged (0.25-0.27,
 * 0.68-0.75). After 3 iterations BigML lost silhouette (0.171) even so; after 10 little was saved.
 * Seeds 1-5 on the public tables: IBM and Iranian the same k and silhouette every time, BigML on four;
 * its seed 3 chose k 6 where every restart run whole chose 7 (silhouette 0.1749 against 0.1877).
 * Screening can thus change the chosen k: clustered on eight of BigML's usage columns instead, k changed
 * on four seeds of five.
 */
export const DEFAULT_SCREEN_ITERATIONS = 5;

export interface SegmentFitReport {
  /** The chosen number of segments. */
  readonly k: number;
  /**
   * Every k tried, ascending: simplified silhouette on its sample (NaN when undefined), inertia on the
   * choice sample.
   */
  readonly silhouetteByK: readonly {
    readonly k: number;
    readonly silhouette: number;
    readonly inertia: number;
  }[];
  /** Within-segment sum of squared scaled distances over all rows. */
  readonly inertia: number;
  /** Lloyd iterations refining the chosen k's centres on the fit sample. */
  readonly iterations: number;
  readonly fitRows: number;
  readonly choiceRows: number;
  readonly silhouetteRows: number;
}

export interface SegmentFit {
  readonly model: SegmentModel;
  /** Segment of each row of the training frame (0 = largest segment). */
  readonly assignment: Int32Array;
  readonly report: SegmentFitReport;
}

/** Options from `config.segments` plus a seed. */
export function segmentOptionsFromConfig(segments: Config['segments'], seed: number): SegmentOptions {
  return {
    k: segments.k,
    kMin: segments.k_min,
    kMax: segments.k_max,
    restarts: segments.restarts,
    silhouetteSample: segments.silhouette_sample,
    seed,
  };
}

function checkOptions(o: SegmentOptions): void {
  const problems: string[] = [];
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      problems.push(`${name} must be a positive integer, got ${v}`);
  };
  if (o.k !== null) positive('k', o.k);
  else {
    if (!(Number.isInteger(o.kMin) && o.kMin >= 2))
      problems.push(`kMin must be an integer >= 2, got ${o.kMin}`);
    if (!(Number.isInteger(o.kMax) && o.kMax >= o.kMin))
      problems.push(`kMax must be an integer >= kMin, got ${o.kMax}`);
  }
  positive('restarts', o.restarts);
  positive('silhouetteSample', o.silhouetteSample);
  positive('choiceSample', o.choiceSample);
  positive('fitSample', o.fitSample);
  positive('maxIterations', o.maxIterations);
  if (o.screenIterations !== undefined && !(Number.isInteger(o.screenIterations) && o.screenIterations >= 0))
    problems.push(`screenIterations must be an integer >= 0, got ${o.screenIterations}`);
  if (problems.length > 0) throw new UsageError(`segment options: ${problems.join('; ')}`);
}

function chooseFeatures(frame: Frame, requested: readonly string[] | undefined): string[] {
  if (requested !== undefined) {
    const missing = requested.filter((f) => frame.cols[f] === undefined);
    if (missing.length > 0)
      throw new InputError(`segment features missing from the feature frame: ${missing.join(', ')}`);
    if (requested.length === 0) throw new UsageError('segment options: features is empty');
    return [...requested];
  }
  const present = DEFAULT_SEGMENT_FEATURES.filter((f) => frame.cols[f] !== undefined);
  if (present.length === 0)
    throw new InputError(
      `none of the default segment features is in the feature frame (${DEFAULT_SEGMENT_FEATURES.join(', ')})`,
    );
  return present;
}

/** Relabels segments so 0 is the largest (ties: lower old label first); returns new-from-old. */
function sizeOrder(assignment: Int32Array, k: number): Int32Array {
  const sizes = new Int32Array(k);
  for (const s of assignment) sizes[s]!++;
  const order = Array.from({ length: k }, (_, s) => s).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const newOf = new Int32Array(k);
  order.forEach((old, idx) => {
    newOf[old] = idx;
  });
  return newOf;
}

/** What choosing k needs: the scaled samples, the k values to try and the k-means settings. */
export interface SegmentChoice {
  readonly features: string[];
  readonly cols: ReturnType<typeof featureColumns>;
  readonly scaler: ReturnType<typeof fitScaler>;
  readonly fitX: ScaledRows;
  readonly choiceX: ScaledRows;
  readonly silX: ScaledRows;
  /** The k values tried, ascending. */
  readonly candidates: readonly number[];
  readonly lloydOptions: LloydOptions;
  readonly choiceOptions: KMeansOptions;
}

/** Checks the options, scales the samples and lists the k values to try. */
export function prepareSegments(frame: Frame, options: SegmentOptions): SegmentChoice {
  checkOptions(options);
  if (frame.n === 0) throw new InputError('cannot segment an empty feature frame');
  const features = chooseFeatures(frame, options.features);
  const cols = featureColumns(
    frame,
    features,
    (f) => new InputError(`no column "${f}" in the feature frame`),
  );
  const scaler = fitScaler(frame, features);
  const sample = (size: number, stream: number) =>
    scaleRows(scaler, cols, frame.n, sampleRows(frame.n, size, createRandom(options.seed, stream)));
  const fitX = sample(options.fitSample ?? DEFAULT_FIT_SAMPLE, STREAM.fitSample);
  const choiceX = sample(options.choiceSample ?? DEFAULT_CHOICE_SAMPLE, STREAM.choiceSample);
  const silX = sample(options.silhouetteSample, STREAM.silhouetteSample);

  let candidates: number[];
  if (options.k !== null) candidates = [options.k];
  else {
    const distinct = distinctRowsUpTo(choiceX, options.kMax);
    const top = Math.min(options.kMax, distinct);
    if (top < options.kMin)
      throw new InputError(
        `cannot form ${options.kMin} segments: only ${distinct} distinct behaviour profiles in ${choiceX.n} sampled rows (lower segments.k_min, or set segments.k, in the config)`,
      );
    candidates = Array.from({ length: top - options.kMin + 1 }, (_, i) => options.kMin + i);
  }
  const lloydOptions = {
    maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
  };
  const choiceOptions = {
    maxIterations: lloydOptions.maxIterations,
    tolerance: lloydOptions.tolerance * CHOICE_TOLERANCE_FACTOR,
    restarts: options.restarts,
    seed: options.seed,
    screen: options.screenIterations ?? DEFAULT_SCREEN_ITERATIONS,
  };
  return { features, cols, scaler, fitX, choiceX, silX, candidates, lloydOptions, choiceOptions };
}

/**
 * Fits segments on `frame`: k chosen by simplified silhouette among k-means fits to the choice sample,
 * refined on the fit sample, every row assigned. `fitSegmentsParallel` (parallel.ts) gives the same
 * result with the choice fits spread over threads.
 */
export function fitSegments(frame: Frame, options: SegmentOptions): SegmentFit {
  const choice = prepareSegments(frame, options);
  return finishSegments(
    frame,
    choice,
    choice.candidates.map((k) => fitKMeans(choice.choiceX, k, choice.choiceOptions)),
  );
}

/** The segments from the choice fits (one per candidate k, in the candidates' order). */
export function finishSegments(frame: Frame, choice: SegmentChoice, fits: readonly KMeansFit[]): SegmentFit {
  const { features, cols, scaler, fitX, choiceX, silX, lloydOptions } = choice;
  const scores = fits.map((f) => simplifiedSilhouette(silX, f.centroids, f.k));
  const silhouetteByK = fits.map((f, m) => ({ k: f.k, silhouette: scores[m]!, inertia: f.inertia }));
  // Strictly greater: on a tie the smaller k wins; NaN never beats a real score.
  let best = 0;
  for (let m = 1; m < fits.length; m++) {
    const score = scores[m]!;
    if (score > scores[best]! || (Number.isNaN(scores[best]!) && !Number.isNaN(score))) best = m;
  }
  // The chosen k's centres, refined on the larger sample (the same rows when the data is small).
  const final = refineKMeans(fitX, fits[best]!.centroids, fits[best]!.k, lloydOptions);
  const { k, centroids: raw, iterations } = final;
  const d = features.length;

  const first = assignFrame(scaler, cols, frame.n, raw, k);
  const newOf = sizeOrder(first.assignment, k);
  const centroids = new Float64Array(k * d);
  const sums = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  for (let old = 0; old < k; old++) {
    centroids.set(raw.subarray(old * d, (old + 1) * d), newOf[old]! * d);
    sums.set(first.sums.subarray(old * d, (old + 1) * d), newOf[old]! * d);
    sizes[newOf[old]!] = first.sizes[old]!;
  }
  const assignment = first.assignment.map((old) => newOf[old]!);

  const z = segmentZ(sums, sizes, first.total, frame.n);
  const ranked = distinctiveFeatures(features, z);
  const names = segmentNames(ranked);
  const profiles = segmentProfiles(frame, scaler, cols, assignment, k, names, ranked, z);
  const model: SegmentModel = {
    format: SEGMENT_MODEL_FORMAT,
    version: SEGMENT_MODEL_VERSION,
    features,
    scaler,
    k,
    centroids: Array.from({ length: k }, (_, s) => Array.from(centroids.subarray(s * d, (s + 1) * d))),
    profiles,
    names,
  };
  return {
    model,
    assignment,
    report: {
      k,
      silhouetteByK,
      inertia: first.inertia,
      iterations,
      fitRows: fitX.n,
      choiceRows: choiceX.n,
      silhouetteRows: silX.n,
    },
  };
}

/** Segment of each row: nearest saved centroid after the saved scaler. ModelError if a feature is missing. */
export function assignSegments(model: SegmentModel, frame: Frame): Int32Array {
  const cols = scalerColumns(model.scaler, frame);
  const d = model.features.length;
  const centroids = new Float64Array(model.k * d);
  for (let s = 0; s < model.k; s++) centroids.set(model.centroids[s]!, s * d);
  return assignFrame(model.scaler, cols, frame.n, centroids, model.k).assignment;
}
