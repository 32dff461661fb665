// Public API of src/targets/: each module's exports are added here by that module's author.
export {};
