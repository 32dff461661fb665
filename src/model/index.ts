// Public API of src/model/: each module's exports are added here by that module's author.
export * from './bins.js';
export * from './boost/index.js';
export * from './calibrate.js';
export * from './calibration-check.js';
export * from './contributions.js';
export * from './contributions-threads.js';
export * from './drift.js';
export * from './drivers.js';
export * from './engines.js';
export { walkSteps } from './explain-walk.js';
export * from './forest.js';
export * from './holdout.js';
export * from './metrics.js';
export * from './ml-engine.js';
export * from './types.js';
