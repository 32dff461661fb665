// Public API of src/model/: each module's exports are added here by that module's author.
export * from './types.js';
