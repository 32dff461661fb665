/** Read options resolved once from defaults, and the rejects destination they name. */
import { DEFAULT_CONFIG } from '../config.js';
import { READ_DEFAULTS } from './read-defaults.js';
import { RejectsFile } from './rejects.js';
import type { ReadOptions, RejectSink } from './types.js';

export const DEFAULT_READ_OPTIONS: ReadOptions = {
  config: { columns: DEFAULT_CONFIG.columns, input: DEFAULT_CONFIG.input },
  ...READ_DEFAULTS,
};

export function resolveReadOptions(options: Partial<ReadOptions> = {}): ReadOptions {
  return { ...DEFAULT_READ_OPTIONS, ...options };
}

/**
 * Runs `body` with the rejects sink the options name. A path is opened here and committed when `body`
 * succeeds (dropped when it throws); a sink passed in belongs to the caller.
 */
export async function withRejects<T>(
  rejects: ReadOptions['rejects'],
  body: (sink: RejectSink | null) => Promise<T>,
): Promise<T> {
  if (rejects === null || typeof rejects !== 'string') return body(rejects);
  const file = new RejectsFile(rejects);
  try {
    const out = await body(file);
    file.commit();
    return out;
  } catch (err) {
    file.abort();
    throw err;
  }
}
