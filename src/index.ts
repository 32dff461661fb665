/** Public library API. The command line and the tests import from here. */
export * from './calendar.js';
export * from './config.js';
export * from './contract.js';
export * from './errors.js';
export * from './frame.js';
export * from './log.js';
export * from './random.js';
export { VERSION } from './version.js';
