// Gradient-boosted trees: the boosting loop, its model file part and its parameters.
export * from './fit.js';
export * from './model.js';
export * from './objective.js';
export * from './params.js';
