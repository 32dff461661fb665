/**
 * The read options' defaults other than the config's column names and input limits. Apart from
 * options.ts so a reading worker thread, which is always given the config, does not load the config
 * schema (and zod behind it) only for these.
 */
import type { ReadOptions } from './types.js';

export const READ_DEFAULTS: Omit<ReadOptions, 'config'> = {
  badRows: 'fail',
  rejects: null,
  sampleLimit: 1000,
  onProgress: null,
  countSubscribers: true,
  plainFastPath: true,
};
