/**
 * The scored folder of `retain score` and `retain merge`, written and read only here:
 *
 *     retain-run.json                     the manifest (run-manifest.ts): inputs, model, month, format, checksums
 *     scores.<csv|arrow|parquet>          every scored subscriber
 *     targets/<list>.<csv|arrow|parquet>  the call lists
 *     summary.json                        counts and KPIs
 *     shard/shard.json                    for `score --shard`: the run's settings, which `merge` reads
 *     shard/scored.arrow                  for `score --shard`: the scored rows at full precision
 *     targets/by-<unit|manager>/<owner>/<list>.<csv|arrow|parquet>  for `score --split-by`: each owner's lists
 *     targets/by-<unit|manager>/index.json  which owner each folder holds, and its rows
 *
 * Readers learn the table format from the manifest and check every file they read against the size
 * it records (the shard's rows against their SHA-256 too), so a changed, truncated or half-copied
 * folder is an InputError naming the file, never a wrong result, and so is a scored month that the
 * manifest, summary.json and the scores do not all give alike. A folder without a manifest (from an
 * older retain) is read as CSV, Arrow or Parquet by the scores file it holds; `merge` requires the manifest.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ListName } from '../contract.js';
import { InputError } from '../errors.js';
import type { Frame } from '../frame.js';
import { writeJsonAtomic } from './atomic.js';
import { frameFromArrow } from './frame-arrow.js';
import { readRawTable } from './raw-table.js';
import {
  RUN_MANIFEST,
  type RunManifest,
  readRunManifest,
  sha256Bytes,
  sha256File,
  type WrittenFiles,
} from './run-manifest.js';
import { type TableFormat, writeTableSet } from './table-set.js';
import type { RawTable } from './types.js';
import { type OutTable, out } from './write.js';
import { writeArrow } from './write-arrow.js';
import { withSharedLead } from './write-rows.js';

export const SUMMARY_FILE = 'summary.json';
export const SHARD_META_FILE = 'shard/shard.json';
export const SHARD_ROWS_FILE = 'shard/scored.arrow';

/** A table of the folder: the scores, or a call list. */
export type ScoredTable = 'scores' | `targets/${ListName}`;

export const listTable = (list: ListName): ScoredTable => `targets/${list}`;

/**
 * A frame as writer columns: month indices as YYYY-MM, decimals rounded to 6 places (probabilities and
 * money need no more, and it keeps ten-million-row files small), everything else as stored.
 */
export function outputTable(frame: Frame): OutTable {
  return {
    n: frame.n,
    columns: Object.entries(frame.cols).map(([name, c]) => {
      if (name === 'month' && c instanceof Int32Array) return out.month(name, c);
      if (c instanceof Float64Array) return out.numbers(name, c, 6);
      return out.column(name, c);
    }),
  };
}

export interface ScoredContent {
  readonly scores: Frame;
  /**
   * The call lists (none for `score --table`), each with the scores row of each of its rows when
   * known: CSV then copies the cells a list shares with scores.csv (write-rows.ts).
   */
  readonly lists?: readonly (readonly [ListName, Frame, Int32Array?])[];
  /** summary.json (drift and config only for `score --table`); JSON has no NaN, so ratios not computed are null. */
  readonly summary?: unknown;
  /** For a shard: its settings and scored rows at full precision. */
  readonly shard?: { readonly meta: unknown; readonly scored: Frame };
  /** For `score --split-by`: the lists of each owner, in folders already made safe (targets/split.ts). */
  readonly split?: {
    readonly by: 'unit' | 'manager';
    readonly owners: readonly {
      readonly value: string | null;
      readonly folder: string;
      readonly lists: Readonly<Record<ListName, Frame>>;
    }[];
  };
}

/** The folder of the lists split by `by`, inside the scored folder. */
export const splitFolder = (by: 'unit' | 'manager'): string => `targets/by-${by}`;

export interface ScoredWriteOptions {
  readonly format: TableFormat;
  /** A UTF-8 byte order mark first in CSV files. */
  readonly bom: boolean;
  /** Notes the files hashed as they were written, for the run's manifest (output-dir.ts). */
  readonly hashed?: WrittenFiles;
}

/** Writes the folder's files into `dir` (a temporary the caller renames; the caller adds the manifest). */
export async function writeScoredFiles(
  dir: string,
  content: ScoredContent,
  o: ScoredWriteOptions,
): Promise<void> {
  const lists = content.lists ?? [];
  const known = lists.every(([, , rows]) => rows !== undefined);
  const shared = withSharedLead(
    outputTable(content.scores),
    known ? lists.map(([, frame, rows]) => ({ table: outputTable(frame), rows: rows! })) : [],
  );
  const tables: [string, OutTable][] = [['scores', shared.main]];
  for (const [k, [list, frame]] of lists.entries())
    tables.push([listTable(list), known ? shared.repeats[k]! : outputTable(frame)]);
  const split = content.split;
  for (const owner of split?.owners ?? [])
    for (const [list, frame] of Object.entries(owner.lists))
      tables.push([`${splitFolder(split!.by)}/${owner.folder}/${list}`, outputTable(frame)]);
  await writeTableSet(dir, tables, o.format, { bom: o.bom, ...(o.hashed ? { hashed: o.hashed } : {}) });
  if (split) {
    const index = {
      by: split.by,
      owners: split.owners.map((owner) => ({
        [split.by]: owner.value,
        folder: owner.folder,
        rows: Object.fromEntries(Object.entries(owner.lists).map(([list, frame]) => [list, frame.n])),
      })),
    };
    await writeJsonAtomic(join(dir, 'targets', `by-${split.by}`, 'index.json'), index);
  }
  if (content.summary !== undefined) await writeJsonAtomic(join(dir, SUMMARY_FILE), content.summary);
  if (content.shard) {
    await writeJsonAtomic(join(dir, ...SHARD_META_FILE.split('/')), content.shard.meta);
    await writeArrow(content.shard.scored, join(dir, ...SHARD_ROWS_FILE.split('/')));
  }
}

export interface ShardFiles<M> {
  /** shard/shard.json as parsed. */
  readonly meta: M;
  readonly scored: Frame;
  /** The manifest's shard entry: index, count and subscribers as written. */
  readonly recorded: NonNullable<RunManifest['shard']>;
  /** The manifest's SHA-256, naming the shard run in the merged folder's inputs. */
  readonly manifestSha256: string;
}

export interface ScoredFolder {
  readonly dir: string;
  /** Null for a folder of an older retain, which has none. */
  readonly manifest: RunManifest | null;
  /**
   * The SHA-256 of its retain-run.json: which run wrote the folder, wherever it was copied since (the
   * manifest holds the hash of every file). Null without a manifest.
   */
  readonly manifestSha256: string | null;
  readonly format: TableFormat;
  /** summary.json; InputError when its month is not the manifest's or the scores'. */
  readSummary<T>(): Promise<T>;
  /** A table; for the scores, InputError when their month is not the manifest's or summary.json's. */
  readTable(name: ScoredTable): Promise<RawTable>;
  /** The shard files `merge` needs, checked against the manifest. */
  readShard<M>(): Promise<ShardFiles<M>>;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * What a reader says of a folder without a manifest (an older retain's, or one whose manifest was
 * removed): its files are read as they are, with nothing to check them against. Null with one.
 */
export function uncheckedNote(folder: ScoredFolder): string | null {
  return folder.manifest === null
    ? `${folder.dir}: no ${RUN_MANIFEST}; its files are read as they are, unchecked against what retain wrote`
    : null;
}

/** Opens `dir` as a scored folder; `what` says what it was given as (for messages). */
export async function openScoredFolder(dir: string, what = 'a scored folder'): Promise<ScoredFolder> {
  const st = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(
      `${dir}: cannot open ${what} (${err.code === 'ENOENT' ? 'no such folder' : err.code})`,
      {
        cause: err,
      },
    );
  });
  if (!st.isDirectory()) throw new InputError(`${dir}: not a folder (expected ${what} of retain score)`);
  const read = await readRunManifest(dir);
  if (read.state === 'damaged') throw new InputError(`${join(dir, RUN_MANIFEST)}: damaged (${read.why})`);
  const manifest = read.state === 'ok' ? read.manifest : null;
  const manifestSha256 = read.state === 'ok' ? read.sha256 : null;
  let format: TableFormat;
  if (manifest) format = manifest.table_format;
  else if (await exists(join(dir, 'scores.csv'))) format = 'csv';
  else if (await exists(join(dir, 'scores.arrow'))) format = 'arrow';
  else if (await exists(join(dir, 'scores.parquet'))) format = 'parquet';
  else
    throw new InputError(
      `${dir}: not ${what} written by retain score or merge (no ${RUN_MANIFEST}, no scores.csv, scores.arrow or scores.parquet)`,
    );

  /** The path of `rel`, checked against the manifest's record of it: its size, and with `hash` its SHA-256. */
  const file = async (rel: string, hash = false): Promise<string> => {
    const path = join(dir, ...rel.split('/'));
    if (!manifest) return path;
    const entry = manifest.files.find((f) => f.path === rel);
    if (!entry) throw new InputError(`${dir}: has no ${rel} (${RUN_MANIFEST} lists no such file)`);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new InputError(`${path}: missing, though ${RUN_MANIFEST} lists it: the folder is incomplete`);
    }
    if (size !== entry.bytes)
      throw new InputError(
        `${path}: ${size} bytes, but ${RUN_MANIFEST} records ${entry.bytes}: changed or truncated since retain wrote it`,
      );
    if (hash && (await sha256File(path)).sha256 !== entry.sha256) throw damaged(path);
    return path;
  };
  const damaged = (path: string) =>
    new InputError(
      `${path}: damaged: its SHA-256 differs from the one ${RUN_MANIFEST} records (changed or replaced since retain wrote it)`,
    );

  /** The bytes of `rel`, checked against the SHA-256 the manifest records. */
  const verifiedBytes = async (rel: string): Promise<{ path: string; bytes: Buffer }> => {
    const path = await file(rel);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, {
        cause: err,
      });
    }
    const entry = manifest?.files.find((f) => f.path === rel);
    if (entry && sha256Bytes(bytes) !== entry.sha256) throw damaged(path);
    return { path, bytes };
  };

  // The scored month is written three times: the manifest's month, summary.json's, and the month
  // column of the scores. Each file's month is noted as it is read, the manifest's first, and one
  // that is not the others' is refused: an edited manifest (or a file copied in from another run)
  // must not present the folder as a month it is not. A file without a month (null: an empty base,
  // a wide table) has nothing to disagree with; a malformed one is left to the reader's check.
  const months = new Map<string, string>();
  if (manifest?.month) months.set(join(dir, RUN_MANIFEST), manifest.month);
  const sameMonth = (path: string, month: unknown): void => {
    if (typeof month !== 'string' || !/^\d{4}-\d{2}$/.test(month)) return;
    for (const [other, recorded] of months)
      if (other !== path && recorded !== month)
        throw new InputError(
          `${path}: of ${month}, but ${other} gives ${recorded}: the files of ${dir} are not of one ` +
            `scored month (one edited, or copied in from another run); score the month again`,
        );
    months.set(path, month);
  };

  const readJson = async <T>(rel: string): Promise<T> => {
    const { path, bytes } = await verifiedBytes(rel);
    try {
      return JSON.parse(bytes.toString('utf8')) as T;
    } catch (err) {
      throw new InputError(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
  };

  return {
    dir,
    manifest,
    manifestSha256,
    format,
    async readSummary<T>(): Promise<T> {
      const json = await readJson<unknown>(SUMMARY_FILE);
      if (typeof json === 'object' && json !== null && 'month' in json)
        sameMonth(join(dir, SUMMARY_FILE), json.month);
      return json as T;
    },
    // A table edited in place at the same size (a flag flipped, an id swapped) must not pass for what
    // retain wrote: its hash is checked before it is read, a second pass over the file.
    async readTable(name) {
      const path = await file(`${name}.${format}`, true);
      const table = await readRawTable(path);
      // The scored month of the scores is that of their first row, as pipeline/scored-month.ts reads it.
      const month = table.names.indexOf('month');
      if (name === 'scores' && month >= 0) sameMonth(path, table.columns[month]![0]);
      return table;
    },
    async readShard<M>(): Promise<ShardFiles<M>> {
      if (!manifest)
        throw new InputError(
          `${dir}: not a shard folder of this retain (no ${RUN_MANIFEST}: written by an older retain, or not by retain); score the shard again`,
        );
      if (!manifest.shard)
        throw new InputError(
          `${dir}: not a shard folder of retain score --shard (${RUN_MANIFEST} records no shard)`,
        );
      const meta = await readJson<M>(SHARD_META_FILE);
      const { path, bytes } = await verifiedBytes(SHARD_ROWS_FILE);
      return {
        meta,
        scored: await frameFromArrow(bytes, path),
        recorded: manifest.shard,
        manifestSha256: manifestSha256!,
      };
    },
  };
}
