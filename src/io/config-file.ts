/**
 * Loading retain.config.json: JSON syntax errors with their position, schema problems all at once.
 * The config file is an input like the data files: any problem with it is an InputError (exit 3).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Config, DEFAULT_CONFIG, parseConfig } from '../config.js';
import { echoBare } from '../echo.js';
import { InputError } from '../errors.js';

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

/**
 * Reads the config at `path` (relative to `cwd`), or `retain.config.json` in `cwd` when no path is
 * given and that file exists, or the defaults. Any problem is an InputError listing every problem, one
 * per line, as `<file>: <dot.path>: <message>`; a file that is not a JSON object is one problem at
 * `(root)`.
 */
export async function loadConfig(path: string | undefined, cwd: string): Promise<Config> {
  const file = configFilePath(path, cwd);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (path === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG;
    throw new InputError(
      `${file}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? err})`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    // JSON.parse's message quotes the text near the error, which may hold anything.
    const why = echoBare(jsonPosition(text, (err as Error).message), 300);
    throw new InputError(`${file}: not valid JSON: ${why}`, { cause: err });
  }
  const r = parseConfig(value);
  if (r.ok) return r.config;
  throw new InputError(r.problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
}

/** Adds line and column to JSON.parse's message, which gives only a character position. */
function jsonPosition(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
