/**
 * Which config file a run reads. Apart from config-file.ts (and free of the schema it loads) so that
 * the command line names the file in its first log line before loading anything else.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CONFIG_FILE_NAME = 'retain.config.json';

/** The config file a run uses: `path` (relative to `cwd`), else `retain.config.json` in `cwd`. */
export function configFilePath(path: string | undefined, cwd: string): string {
  return path === undefined ? join(cwd, CONFIG_FILE_NAME) : resolve(cwd, path);
}

/** The config file a run would read, for the record: null when none is given and none is in `cwd`. */
export function configFileInUse(path: string | undefined, cwd: string): string | null {
  const file = configFilePath(path, cwd);
  return path !== undefined || existsSync(file) ? file : null;
}
