/**
 * Single-file outputs (`train --out`, `report --out`, `evaluate --out`, `--rejects`): retain writes a
 * new file, or replaces a file it wrote itself, recognised by its first bytes (a model's format tag,
 * its whole content then hashing to its id; the report's head, the evaluation's tag, the rejects
 * header; a feature file's first columns, in its CSV header or first in its Arrow or Parquet
 * schema), or an empty file (`mktemp`). Anything
 * else is refused with a UsageError (exit 2) before any work: a folder, a device, pipe or socket
 * (`/dev/null` would be replaced by a regular file), or a file of someone else's. A symbolic link is
 * followed: the file it points to is the one checked and replaced, and the link stays.
 */
import {
  accessSync,
  closeSync,
  constants,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { contentId, MODEL_FORMAT } from '../contract.js';
import { InternalError, UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { fsErrorCode, writeFailure } from './fs-errors.js';

export type OwnedFileKind = 'model' | 'report' | 'evaluation' | 'rejects' | 'features';

/** The header line of a rejects file (rejects.ts writes it). */
export const REJECTS_HEADER = 'file,line,column,reason,value,message';
/** The tag `retain evaluate --out` starts its JSON with. */
export const EVALUATION_FORMAT = 'retain-evaluation';
/** The first columns of a feature file `retain features` writes. */
export const FEATURES_HEADER = ['subscriber_id', 'month', 'churned_next_month'] as const;

const KINDS: Readonly<
  Record<OwnedFileKind, { what: string; recognise(head: string, path: string): boolean }>
> = {
  model: {
    what: 'a retain model file',
    // A churn model, or an uplift model (uplift/persist.ts: "retain-uplift-model"), whose content
    // hashes to its id: a file that merely starts like one is not retain's to replace.
    recognise: (h, path) =>
      (h.startsWith(`{"format":"${MODEL_FORMAT}"`) || h.startsWith('{"format":"retain-uplift-model"')) &&
      hashesToItsId(path),
  },
  report: {
    what: 'a report written by retain report',
    recognise: (h) => /^<!doctype html>\s*<html[^>]*><head><meta charset="utf-8"><title>retain: /i.test(h),
  },
  evaluation: {
    what: 'an evaluation written by retain evaluate',
    // Older versions wrote the evaluation without the tag, starting with its next month.
    recognise: (h) => new RegExp(`^\\{\\s*("format": "${EVALUATION_FORMAT}"|"nextMonth": ")`).test(h),
  },
  rejects: {
    what: 'a rejects file written by retain',
    recognise: (h) => h.replace(/^\uFEFF/, '').startsWith(`${REJECTS_HEADER}\n`),
  },
  features: {
    what: 'a feature file written by retain features',
    // CSV: its header. Arrow and Parquet: the first columns of the schema the file holds.
    recognise: (h, path) => {
      if (h.replace(/^\uFEFF/, '').startsWith(`${FEATURES_HEADER.join(',')},`)) return true;
      const names = h.startsWith('ARROW1')
        ? arrowColumns(path)
        : h.startsWith('PAR1')
          ? parquetColumns(path)
          : [];
      return FEATURES_HEADER.every((name, k) => names[k] === name);
    },
  },
};

/** Whether the JSON file holds an object whose content without its id hashes to the id (contentId). */
function hashesToItsId(path: string): boolean {
  try {
    const { id, ...body } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return typeof id === 'string' && contentId(body) === id;
  } catch {
    // Not JSON, or not a file that can be read whole: not a model retain wrote.
    return false;
  }
}

const HEAD_BYTES = 4096;

function head(path: string): string {
  return bytesAt(path, 0, HEAD_BYTES).toString('utf8');
}

/** Bytes [from, from + length) of the file, fewer at its end. */
function bytesAt(path: string, from: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, from));
  } finally {
    closeSync(fd);
  }
}

/** The readers a binary feature file's schema is read with (loadSchemaReaders). */
interface SchemaReaders {
  readonly arrow: typeof import('apache-arrow');
  readonly parquet: typeof import('hyparquet');
}
let schemaReaders: SchemaReaders | null = null;

/**
 * Loads the Arrow and Parquet readers that recognise a feature file retain wrote as Arrow or Parquet:
 * call it before checking a `features` output. They load for that command alone, not whenever this
 * module does (every command checks an output; Apache Arrow alone is about 150 modules to load).
 */
export async function loadSchemaReaders(): Promise<void> {
  schemaReaders ??= { arrow: await import('apache-arrow'), parquet: await import('hyparquet') };
}

function readers(): SchemaReaders {
  if (schemaReaders === null)
    throw new InternalError('a binary feature file was checked before loadSchemaReaders()');
  return schemaReaders;
}

/** Most bytes of a schema read to recognise a file: a feature file's schema takes a few kB. */
const SCHEMA_BYTES = 1 << 20;

/**
 * The column names of an Arrow IPC file, from the schema in its footer (the file ends with the
 * footer, its length and the magic): the footer alone, between magics, read as a file of no batches.
 * A file whose schema has dictionaries is not read (they are in its batches): retain writes none.
 */
function arrowColumns(path: string): string[] {
  const size = statSync(path).size;
  if (size < 18) return [];
  const end = bytesAt(path, size - 10, 10);
  const length = end.readInt32LE(0);
  if (end.toString('latin1', 4) !== 'ARROW1' || length <= 0 || length > Math.min(SCHEMA_BYTES, size - 18))
    return [];
  const footer = bytesAt(path, size - 10 - length, length);
  const file = Buffer.concat([Buffer.from('ARROW1\0\0', 'latin1'), footer, end]);
  const reader = readers().arrow.RecordBatchReader.from(new Uint8Array(file));
  reader.open();
  return reader.schema.fields.map((f) => f.name);
}

/** The top-level column names of a Parquet file, from the metadata in its last bytes. */
function parquetColumns(path: string): string[] {
  const size = statSync(path).size;
  const length = Math.min(size, SCHEMA_BYTES);
  const tail = bytesAt(path, size - length, length);
  const bytes = tail.buffer.slice(tail.byteOffset, tail.byteOffset + tail.length) as ArrayBuffer;
  const { parquetMetadata, parquetSchema } = readers().parquet;
  const metadata = parquetMetadata(bytes);
  return parquetSchema(metadata).children.map((c) => c.element.name);
}

/** Whether the regular file at `path` is one retain wrote as `kind`. */
export function isOwnedFile(path: string, kind: OwnedFileKind): boolean {
  try {
    return KINDS[kind].recognise(head(path), path);
  } catch {
    return false;
  }
}

/**
 * Throws the write failure (InputError) a write beside `path` would meet in its nearest existing
 * folder: read-only, forbidden, or a file in the way; found now, before the work rather than after.
 */
export function probeWritable(path: string): void {
  let dir = dirname(path);
  for (;;) {
    try {
      if (!statSync(dir).isDirectory())
        throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR', path: dir });
      accessSync(dir, constants.W_OK | constants.X_OK);
      return;
    } catch (err) {
      const parent = dirname(dir);
      if (fsErrorCode(err) !== 'ENOENT' || parent === dir) throw writeFailure(err, path);
      dir = parent;
    }
  }
}

/**
 * Checks that `path` may be written as `kind` and returns the path to write (a link's target).
 * `label` names the option in messages (`--out`). Throws UsageError when it may not, and InputError
 * when its folder cannot be written.
 */
export function checkOutputFile(path: string, kind: OwnedFileKind, label: string): string {
  const real = ownedTarget(path, kind, label);
  probeWritable(real);
  return real;
}

function ownedTarget(path: string, kind: OwnedFileKind, label: string): string {
  const refuse = (why: string) => new UsageError(`${label} ${path} ${why}`);
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch (err) {
    // Missing is fine; a path through a file or too long a name is reported when written.
    if (fsErrorCode(err) === 'ENOENT' || fsErrorCode(err) === 'ENOTDIR') return path;
    throw writeFailure(err, path);
  }
  if (st.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw refuse('is a symbolic link to nothing; give a file path');
    }
    return ownedTarget(real, kind, label);
  }
  if (st.isDirectory()) throw refuse('is a folder; give the path of a file to write');
  if (!st.isFile())
    throw refuse('is not a regular file (a device, pipe or socket); retain writes only regular files');
  if (st.size === 0 || isOwnedFile(path, kind)) return path;
  throw refuse(
    `exists and is not ${KINDS[kind].what}; retain replaces only a file it wrote. Remove it or choose another name`,
  );
}

/** Checks `path` as checkOutputFile does, then writes it atomically through `writer`. */
export async function writeOwnedFile(
  path: string,
  kind: OwnedFileKind,
  label: string,
  writer: (tmpPath: string) => Promise<void>,
): Promise<string> {
  const real = checkOutputFile(path, kind, label);
  await writeFileAtomic(real, writer);
  return real;
}
