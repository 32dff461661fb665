// Public API of src/segment/: each module's exports are added here by that module's author.
export {
  assignSegments,
  DEFAULT_CHOICE_SAMPLE,
  DEFAULT_FIT_SAMPLE,
  DEFAULT_SEGMENT_FEATURES,
  fitSegments,
  type SegmentFit,
  type SegmentFitReport,
  type SegmentOptions,
  segmentOptionsFromConfig,
} from './fit.js';
export { type LloydOptions, type LloydRun, lloyd } from './lloyd.js';
export {
  type DistinctiveFeature,
  SEGMENT_MODEL_FORMAT,
  SEGMENT_MODEL_VERSION,
  type SegmentModel,
  type SegmentProfile,
  segmentModelFromJSON,
} from './model.js';
export { FEATURE_WORDS, NAME_MIN_Z, segmentNames } from './names.js';
export { fitSegmentsParallel } from './parallel.js';
export { fitScaler, type Scaler, SKEW_THRESHOLD, VOLUME_FEATURES } from './scale.js';
export { kmeansPlusPlus } from './seeding.js';
export { type Labelling, silhouette, silhouettes, simplifiedSilhouette } from './silhouette.js';
