// Public API of src/io/: each module's exports are added here by that module's author.
export {};
