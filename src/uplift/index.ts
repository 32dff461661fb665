// Public API of src/uplift/: who a call keeps, learned from randomised campaigns, and its measure.
export * from './fit.js';
export * from './learners.js';
export * from './persist.js';
export * from './qini.js';
export * from './saving.js';
