// Reading CDR files: one file in one pass (read.ts), or a run's files cut into parts read on
// several threads into the caller's aggregation and merged in file order (files.ts).

export { aggregateCdrFiles, MIN_PART_BYTES, readingThreads } from './files.js';
export type { CdrAggregating, CdrAggregation, CdrFilesOptions } from './options.js';
export { type CdrPartRead, readCdrPart } from './read.js';
export { readCdr } from './read-file.js';
export { serveCdrParts } from './serve.js';
