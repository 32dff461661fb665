/** Public library API. The command line and the tests import from here. */
export * from './calendar.js';
export * from './config.js';
export * from './contract.js';
export * from './effect/index.js';
export * from './errors.js';
export * from './features/index.js';
export * from './frame.js';
export * from './io/index.js';
export * from './lifecycle/index.js';
export * from './log.js';
export * from './model/index.js';
export { DEFAULT_MODEL_PATH } from './paths.js';
export * from './pipeline/index.js';
export * from './random.js';
export * from './report/index.js';
export * from './segment/index.js';
export * from './targets/index.js';
export { VERSION } from './version.js';
