// Public API of src/features/: each module's exports are added here by that module's author.
export * from './table.js';
