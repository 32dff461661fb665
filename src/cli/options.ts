/**
 * The options several commands share, each declared once: its flag, its help text and its parser.
 * A command names what differs (what it writes, what its threads do), never the flag's grammar.
 */
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { usableCores } from '../cores.js';
import { UsageError } from '../errors.js';
import { isSpecialFile, isStandardStream } from '../io/special-files.js';
import {
  type BoostParams,
  DEFAULT_BOOST_PARAMS,
  DEFAULT_FOREST_PARAMS,
  type ForestParams,
} from '../model/types.js';
import type { CommandContext } from './context.js';

export const OUTPUT_FORMATS = ['csv', 'arrow', 'parquet'] as const;

/** A commander parser for whole numbers in [min, max]; a bad value is a usage error (exit 2). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const v = Number(text);
    if (!/^\d+$/.test(text.trim()) || v < min || v > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`,
      );
    }
    return v;
  };
}

/** A commander parser for numbers in [min, max] (`open` excludes min); a bad value is a usage error. */
export function decimal(min: number, max = Number.POSITIVE_INFINITY, open = false) {
  return (text: string): number => {
    const v = Number(text);
    const low = open ? v > min : v >= min;
    if (text.trim() === '' || !Number.isFinite(v) || !low || v > max) {
      const range = `${open ? 'above' : 'from'} ${min}${Number.isFinite(max) ? ` to ${max}` : ''}`;
      throw new InvalidArgumentError(`expected a number ${range}`);
    }
    return v;
  };
}

/** `auto` or a share in [0, 1]; anything else is a usage error (exit 2). */
export function controlShare(text: string): number | 'auto' {
  if (text.trim() === 'auto') return 'auto';
  const v = Number(text);
  if (text.trim() === '' || !(v >= 0 && v <= 1))
    throw new InvalidArgumentError('expected a share from 0 to 1, or auto');
  return v;
}

/** --config: `use` says what the command reads from it, when that is not everything. */
export function configOption(use = ''): Option {
  return new Option('--config <file>', `config file${use} (default: retain.config.json when present)`);
}

/** --rejects: `rows` names the rows the command reads ("bad input row", "bad outcome row"). */
export function rejectsOption(rows = 'bad input row'): Option {
  return new Option('--rejects <file>', `write every ${rows} to this CSV`);
}

/**
 * Refuses (exit 2, before any work) --out and --rejects naming the same path, resolved from `cwd`:
 * one would be written over the other, or refused only once the run had done its work.
 */
export function refuseSameOutput(cwd: string, out: string | null, rejects: string | null): void {
  if (out === null || rejects === null || resolve(cwd, out) !== resolve(cwd, rejects)) return;
  throw new UsageError(`--out and --rejects name the same path (${out}); give each its own`);
}

/** What an output flag names: a path, or standard output (`-`) where the command writes its data there. */
export type OutputTarget = { readonly path: string } | { readonly stdout: true };

/** The process's own streams named as files: /dev/stdout, /dev/fd/1, /proc/self/fd/1. */
const STREAM_NAME = /^\/(?:dev\/(?:std(?:in|out|err)|fd\/\d+)|proc\/(?:self|thread-self|\d+)\/fd\/\d+)\/?$/;

/**
 * The one rule for what an output flag (--out, --rejects) may name, applied as the command line is
 * read, before any work; a refusal is a usage error (exit 2) naming the flag and the value.
 *
 * - `-` is standard output only where a command's output is a single data file sensibly piped on:
 *   the feature file as CSV (featuresOut). Anywhere else it is refused rather than written as a file
 *   or folder named "-"; `stdout` says why when it is a string, and is true where `-` was taken.
 * - A standard stream, however spelled (/dev/stdout, //dev/stderr, a link to one, or the file a
 *   shell's `>` opened), and an existing device, pipe or socket (/dev/null, a FIFO) are refused:
 *   retain builds an output whole beside its target and renames it into place, which such a file
 *   cannot take, and a stream's file would be replaced under the shell.
 * - A path ending in a slash names a folder, refused unless `folder`.
 *
 * `what` names what the flag writes ("the model file", "the output folder").
 */
function checkedPath(
  cwd: string,
  flag: string,
  value: string,
  what: string,
  stdout: boolean | string,
  folder = false,
): string {
  if (value === '-') {
    const why = typeof stdout === 'string' ? ` (${stdout})` : '';
    throw new UsageError(`${flag} -: ${what} cannot go to standard output${why}; give a path`);
  }
  // Resolved, the path is normalised (//dev/stderr, /dev/./fd/2), so the name test sees every spelling.
  const full = resolve(cwd, value);
  const instead = stdout === true ? `; give ${flag} - to write it to standard output` : '; give a path';
  const stream = () =>
    new UsageError(`${flag} ${value} is a standard stream, not a path for ${what}${instead}`);
  if (STREAM_NAME.test(full)) throw stream();
  // A device before a stream: /dev/null is both when a cron job's input is /dev/null.
  if (isSpecialFile(full))
    throw new UsageError(
      `${flag} ${value} is not a regular file (a device, pipe or socket); retain writes only regular files and folders`,
    );
  if (isStandardStream(full)) throw stream();
  // A trailing slash names a folder: writing a file named without it would not be what was asked.
  if (!folder && /[/\\]$/.test(value))
    throw new UsageError(`${flag} ${value} names a folder (it ends in a slash); give a path for ${what}`);
  return value;
}

/**
 * The path an output flag names, as checkedPath checks it (`-` refused), or null when not given;
 * `folder` when it names a folder (a trailing slash is then allowed).
 */
export function outputPath(cwd: string, flag: string, value: string, what: string, folder?: boolean): string;
export function outputPath(
  cwd: string,
  flag: string,
  value: string | undefined,
  what: string,
  folder?: boolean,
): string | null;
export function outputPath(
  cwd: string,
  flag: string,
  value: string | undefined,
  what: string,
  folder = false,
): string | null {
  return value === undefined ? null : checkedPath(cwd, flag, value, what, false, folder);
}

/** --rejects as outputPath checks it: the file named, or null when not given. */
export function rejectsPath(cwd: string, value: string | undefined): string | null {
  return outputPath(cwd, '--rejects', value, 'the rejects file');
}

/**
 * --out of `features`, as checkedPath checks it: the feature file is the one output sensibly piped on,
 * so `-` writes it to standard output, as CSV only; null when not given.
 */
export function featuresOut(
  cwd: string,
  value: string | undefined,
  format: (typeof OUTPUT_FORMATS)[number],
): OutputTarget | null {
  if (value === undefined) return null;
  const csv = format === 'csv';
  if (value === '-' && csv) return { stdout: true };
  const named = /\.(csv|arrow|parquet)$/i.exec(value)?.[1]?.toLowerCase();
  if (named !== undefined && named !== format)
    throw new UsageError(
      `--out ${value} names ${FORMAT_NAMES[named]!} file, but --format is ${format}: give --format ${named}, or a name ending .${format}`,
    );
  return { path: checkedPath(cwd, '--out', value, 'the feature file', csv || 'only --format csv does') };
}

/** How a file name's extension reads in a message. */
const FORMAT_NAMES: Readonly<Record<string, string>> = {
  csv: 'a CSV',
  arrow: 'an Arrow',
  parquet: 'a Parquet',
};

/**
 * A column named on the command line (`--label`, `--id`), trimmed as a table's header cells are when
 * read: `--label " churn "` finds the column ` churn ` became.
 */
export const columnName = (value: string): string => value.trim();

/** --out: the file or folder the command writes, `what` it is; `fallback` is its default. */
export function outOption(arg: 'file' | 'dir', what: string, fallback?: string): Option {
  const option = new Option(`--out <${arg}>`, what);
  return fallback === undefined ? option : option.default(fallback);
}

/** --format of the tables a command writes: CSV, Arrow IPC or Parquet. */
export function formatOption(what: string): Option {
  return new Option('--format <format>', what).choices(OUTPUT_FORMATS).default('csv');
}

/** --bom: `why` says what the mark is for, when the command says it. */
export function bomOption(files: 'CSV files' | 'the CSV file', why = ''): Option {
  return new Option('--bom', `start ${files} with a byte order mark${why}`).default(false);
}

/** --seed of a command's random draw. */
export function seedOption(what: string): Option {
  return new Option('--seed <n>', what).argParser(wholeNumber(0, 2 ** 32 - 1)).default(1);
}

/** --cdr: CDR files read beside the billing files. */
export function cdrOption(what = 'CDR files'): Option {
  return new Option('--cdr <files...>', what).default([]);
}

/** Which engines an engine-only option is for: boosting, or the forests (forest and ml-random-forest). */
export type EngineFamily = 'boost' | 'forest';

const ENGINE_OPTIONS = new WeakMap<Option, EngineFamily>();

/**
 * An option that only `family`'s engines read, with `parse` as its parser when given; its help starts
 * with the family's name.
 */
export function engineOption(
  family: EngineFamily,
  flags: string,
  what: string,
  parse?: (value: string) => unknown,
): Option {
  const option = new Option(flags, `${family}: ${what}`);
  if (parse) option.argParser(parse);
  ENGINE_OPTIONS.set(option, family);
  return option;
}

/** Each engine-only option given on the command line of `cmd`, with the family that reads it. */
export function givenEngineFlags(cmd: Command): { flag: string; family: EngineFamily }[] {
  return cmd.options.flatMap((option) => {
    const family = ENGINE_OPTIONS.get(option);
    if (family === undefined || cmd.getOptionValueSource(option.attributeName()) !== 'cli') return [];
    return [{ flag: option.long ?? option.flags, family }];
  });
}

/**
 * The threads a run uses for --threads: the number given, but never more than the cores this process
 * may run on (more threads than cores only take turns on them, each with its own buffers); a larger
 * number is lowered, and the log says so.
 */
export function threadsWithinCores(
  ctx: Pick<CommandContext, 'log'>,
  requested: number,
  cores = usableCores(),
): number {
  if (requested <= cores) return requested;
  const noun = cores === 1 ? 'core' : 'cores';
  ctx.log.warn(
    `--threads ${requested} is more than the ${cores} ${noun} this process may use: using ${cores}`,
  );
  return cores;
}

/**
 * --threads: worker threads reading CDR files (and, with `table`, a large wide table) and, with
 * `also`, doing the command's other work (0 = all cores); `result` is what does not depend on the count.
 */
export function threadsOption(also: string | null, result: 'model' | 'output', table = false): Option {
  const cores = also === null ? 'at most 8, as memory allows' : 'for CDRs at most 8, as memory allows';
  const reading = table ? 'CDR files or a large --table' : 'CDR files';
  return new Option(
    '--threads <n>',
    `threads reading ${reading}${also === null ? '' : ` and ${also}`} (0, or more than there are: all cores; ${cores}); the ${result} does not depend on it`,
  )
    .argParser(wholeNumber(0, 1024))
    .default(0);
}

/**
 * A training parameter's default for its help text, read from the engines' defaults (never restated):
 * `(default X)` when both engines use X, else each engine's figure.
 */
export function defaultOf(key: keyof ForestParams & keyof BoostParams): string {
  const forest = DEFAULT_FOREST_PARAMS[key];
  const boost = DEFAULT_BOOST_PARAMS[key];
  return forest === boost ? `(default ${forest})` : `(default: forest ${forest}, boost ${boost})`;
}

/** A boosting parameter's default for its help text, from DEFAULT_BOOST_PARAMS; `note` follows, e.g. "; 0 = off". */
export function boostDefaultOf(key: keyof BoostParams, note = ''): string {
  return `(default ${DEFAULT_BOOST_PARAMS[key]}${note})`;
}

/**
 * Refuses (exit 2) the flags a `--table` run would ignore, all named at once: `given` holds each flag
 * given, or false for one not given.
 */
export function refuseTableFlags(given: readonly (string | false)[]): void {
  const flags = given.filter((flag): flag is string => flag !== false);
  if (flags.length === 0) return;
  throw new UsageError(
    `${flags.join(', ')} ${flags.length === 1 ? 'applies' : 'apply'} to billing files, not to --table`,
  );
}
