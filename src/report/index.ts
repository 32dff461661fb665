// Public API of src/report/: each module's exports are added here by that module's author.
export {};
