// Public API of src/lifecycle/: each module's exports are added here by that module's author.
export {};
