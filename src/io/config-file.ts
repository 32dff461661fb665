/**
 * Loading retain.config.json: JSON syntax errors with their position, schema problems all at once.
 * The config file is an input like the data files: any problem with it is an InputError (exit 3).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Config, DEFAULT_CONFIG, parseConfig } from '../config.js';
import { echoBare } from '../echo.js';
import { InputError } from '../errors.js';
import { CONFIG_FILE_NAME, configFilePath } from './config-path.js';
import { jsonErrorAt } from './json-error.js';
import { textEncoding } from './open.js';

/** Which config file a run read, for its record: as given (or found), and a hash of its bytes. */
export interface ConfigSource {
  /** The path as given, `retain.config.json` when found in the working folder, null for the defaults. */
  readonly file: string | null;
  /** SHA-256 of the file's bytes; null for the defaults. */
  readonly sha256: string | null;
}

/** Reads the config as loadConfig does. */
export async function loadConfig(path: string | undefined, cwd: string): Promise<Config> {
  return (await loadConfigFile(path, cwd)).config;
}

/**
 * Reads the config at `path` (relative to `cwd`), or `retain.config.json` in `cwd` when no path is
 * given and that file exists, or the defaults; with the file it came from. Any problem is an
 * InputError listing every problem, one per line, as `<file>: <dot.path>: <message>`; a file that is
 * not a JSON object is one problem at `(root)`.
 */
export async function loadConfigFile(
  path: string | undefined,
  cwd: string,
): Promise<{ config: Config; source: ConfigSource }> {
  const file = configFilePath(path, cwd);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if (path === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT')
      return { config: DEFAULT_CONFIG, source: { file: null, sha256: null } };
    throw new InputError(
      `${file}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? err})`,
      { cause: err },
    );
  }
  const encoding = textEncoding(bytes);
  if (encoding !== null)
    throw new InputError(`${file}: the config file is ${encoding} text; save it as UTF-8`);
  const read = bytes.toString('utf8');
  const text = read.charCodeAt(0) === 0xfeff ? read.slice(1) : read;
  if (text.trim() === '')
    throw new InputError(`${file}: the config file is empty; write {} for every default, or remove it`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // JSON.parse's message quotes the text near the error, which may hold anything.
    const why = echoBare((err as Error).message.replace(/ in JSON at position \d+$/, ''), 300);
    const at = jsonErrorAt(text);
    const where = at < 0 ? '' : ` ${place(text, at)}`;
    throw new InputError(`${file}: not valid JSON${where}: ${why}`, { cause: err });
  }
  const r = parseConfig(value);
  if (!r.ok) throw new InputError(r.problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { config: r.config, source: { file: path ?? CONFIG_FILE_NAME, sha256 } };
}

/**
 * Line and column of string index `pos`, as an editor counts them: a line ends at CR LF, LF or a lone
 * CR (a file saved by an old Mac editor has only CRs), and a column is a character, an emoji one
 * though it is two of JavaScript's string units.
 */
function place(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const breaks = /\r\n|\r|\n/g;
  let line = 1;
  let lineStart = 0;
  for (let b = breaks.exec(before); b !== null; b = breaks.exec(before)) {
    line++;
    lineStart = b.index + b[0].length;
  }
  const where = pos >= text.length ? 'at its end, ' : '';
  return `(${where}line ${line}, column ${[...text.slice(lineStart, pos)].length + 1})`;
}
