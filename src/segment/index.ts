// Public API of src/segment/: each module's exports are added here by that module's author.
export {};
