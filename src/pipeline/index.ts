// Public API of src/pipeline/: training and scoring as pure compositions of the stages.

export * from './boost-refit.js';
export * from './calibration.js';
export { type CdrReadOptions, readCdrFiles } from './cdr.js';
export * from './coverage.js';
export * from './drift.js';
export * from './engine-model.js';
export * from './evaluate.js';
export * from './merge.js';
export * from './model.js';
export * from './month.js';
export * from './score.js';
export * from './score-summary.js';
export * from './score-table.js';
export * from './settings.js';
export * from './shard.js';
export * from './split.js';
export * from './train.js';
export * from './train-table.js';
export * from './validated-fit.js';
