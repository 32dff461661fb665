/** Shapes shared by the forest engines, metrics and the model file. */

/** Features column by column; NaN marks a missing value. */
export interface FeatureMatrix {
  readonly nRows: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
}

export type EngineName = 'forest' | 'ml-random-forest';

export interface ForestParams {
  trees: number;
  /** 0 = unlimited. */
  maxDepth: number;
  minLeaf: number;
  minImpurityDecrease: number;
  /** Features tried at each split. */
  maxFeatures: 'sqrt' | 'log2' | 'all' | number;
  /** Rows drawn per tree, as a share of the training rows. */
  sampleShare: number;
  /** `balanced`: class weights inversely proportional to class frequency; `none`: as sampled. */
  classWeight: 'balanced' | 'none';
  maxBins: number;
  seed: number;
  /** Worker threads; 0 = all cores. The result does not depend on it. */
  threads: number;
}

export const DEFAULT_FOREST_PARAMS: ForestParams = {
  trees: 100,
  maxDepth: 0,
  minLeaf: 5,
  minImpurityDecrease: 0,
  maxFeatures: 'sqrt',
  sampleShare: 1,
  classWeight: 'none',
  maxBins: 256,
  seed: 1,
  threads: 0,
};

/** Progress callback: trees done out of total. */
export type OnProgress = (done: number, total: number) => void;
