/**
 * The output folder of `score` and `merge`. Claiming it checks, before any work, that writing there
 * destroys nothing retain did not write, and takes its lock; writing it builds the folder in a
 * temporary, marks it with `retain-run.json` and renames it into place. Refused with a UsageError
 * (exit 2), touching nothing:
 * - the current folder or one containing it, or a folder that is or contains any input of the run
 *   (a billing or CDR file, the model, the config, a shard folder of `merge`);
 * - a file, or anything else that is not a folder;
 * - an existing folder unless it is empty or holds a valid `retain-run.json` and nothing but the files
 *   it lists, as it recorded them: their size, and their SHA-256 (a same-size edit, a 0 turned to a 1
 *   in a call list, is an edit too), plus reports of `retain report` and evaluations of `retain
 *   evaluate` written into it (besideRun).
 * A symbolic link is followed: the folder it points to is checked and replaced, the link stays.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { buildFolderAtomic, type MadeFolders, makeFolders } from './atomic.js';
import { fsErrorCode, mappingWriteFailures, writeFailure } from './fs-errors.js';
import { acquireLock } from './lock.js';
import { isOwnedFile } from './output-file.js';
import {
  listFiles,
  RUN_MANIFEST,
  type RunManifest,
  type RunRecord,
  readRunManifest,
  sha256File,
  type WrittenFiles,
  writeRunManifest,
} from './run-manifest.js';
import { sweepStaleTemps } from './temp.js';

export interface RunPath {
  readonly path: string;
  /** Names it in messages: "billing file", "model", "shard folder". */
  readonly what: string;
}

export interface OutputDirOptions {
  /** The option named in messages (`--out`). */
  readonly label: string;
  readonly cwd: string;
  /** What the run reads (and other outputs it writes): --out may not be, or contain, any of them. */
  readonly protect: readonly RunPath[];
  /** Hears of stale locks taken over and stale temporaries removed (the caller logs a warning). */
  readonly onNotice: (message: string) => void;
}

export interface OutputDir extends AsyncDisposable {
  /** The folder written (symbolic links resolved). */
  readonly path: string;
  /**
   * Builds the folder through `fill`, which returns what the manifest records of the run and may
   * note in `written` the files it hashed as it wrote them.
   */
  write(fill: (dir: string, written: WrittenFiles) => Promise<RunRecord>): Promise<RunManifest>;
  /** Releases the lock (and removes parent folders the claim made, if nothing was written). */
  release(): void;
}

/** `asked` with symbolic links resolved, also when it (or some of its parents) does not exist yet. */
async function realTarget(asked: string, refuse: (why: string) => Error): Promise<string> {
  let link: boolean;
  try {
    link = (await lstat(asked)).isSymbolicLink();
  } catch (err) {
    // A path through a file, or too long a name: reported when the folder is made.
    if (fsErrorCode(err) !== 'ENOENT') return asked;
    const parent = dirname(asked);
    return parent === asked ? asked : join(await realTarget(parent, refuse), basename(asked));
  }
  try {
    return await realpath(asked);
  } catch {
    if (link) throw refuse('is a symbolic link to nothing');
    return asked;
  }
}

const contains = (outer: string, inner: string): boolean =>
  inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

/**
 * Why `dir` may not be replaced, or null when it may (missing, empty, or retain's own). A folder that
 * cannot be looked into is a write failure (InputError) naming it.
 */
export function replaceProblem(dir: string): Promise<string | null> {
  return mappingWriteFailures(dir, () => replaceProblemOf(dir));
}

async function replaceProblemOf(dir: string): Promise<string | null> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(dir);
  } catch (err) {
    if (fsErrorCode(err) === 'ENOENT' || fsErrorCode(err) === 'ENOTDIR') return null;
    throw writeFailure(err, dir);
  }
  if (!st.isDirectory()) return st.isFile() ? 'is a file' : 'exists and is not a folder';
  if ((await readdir(dir)).length === 0) return null;
  const read = await readRunManifest(dir);
  const keep = 'retain replaces only a folder it wrote itself (marked by retain-run.json) or an empty one';
  if (read.state === 'missing')
    return `exists and holds files retain did not write (it has no ${RUN_MANIFEST}); ${keep}`;
  if (read.state === 'damaged') return `has a damaged ${RUN_MANIFEST} (${read.why}); ${keep}`;
  const listed = new Map(read.manifest.files.map((f) => [f.path, f]));
  const foreign: string[] = [];
  const changed: string[] = [];
  for (const f of await listFiles(dir)) {
    if (f === RUN_MANIFEST) continue;
    const recorded = listed.get(f);
    const path = join(dir, ...f.split('/'));
    if (recorded === undefined) {
      if (!besideRun(f, path)) foreign.push(f);
    } else if ((await stat(path)).size !== recorded.bytes) changed.push(f);
    else if ((await sha256File(path)).sha256 !== recorded.sha256) changed.push(f);
  }
  const some = (names: string[]) =>
    names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  if (foreign.length > 0)
    return `holds files retain did not write there (${some(foreign)}); move them away first`;
  if (changed.length > 0)
    return `holds files changed since retain wrote them (${some(changed)}); move them away first`;
  return null;
}

/** Checks `path` as an output folder and locks it (see the module comment). */
export async function claimOutputDir(path: string, o: OutputDirOptions): Promise<OutputDir> {
  const asked = resolve(o.cwd, path);
  const refuse = (why: string) => new UsageError(`${o.label} ${asked} ${why}`);
  const real = await realTarget(asked, refuse);
  const cwd = (await realOrNull(o.cwd)) ?? resolve(o.cwd);
  if (contains(real, cwd))
    throw refuse(real === cwd ? 'is the current folder' : `contains the current folder (${cwd})`);
  for (const p of o.protect) {
    // Resolved even when missing: an output the run will write (--rejects) must not land inside.
    const r = await realTarget(resolve(o.cwd, p.path), refuse).catch(() => null);
    if (r === null || !contains(real, r)) continue;
    throw refuse(
      r === real ? `is the ${p.what} this run reads` : `contains the ${p.what} ${relative(real, r) || r}`,
    );
  }
  const problem = await replaceProblem(real);
  if (problem !== null) throw refuse(problem);

  let folders: MadeFolders;
  try {
    folders = makeFolders(dirname(real));
  } catch (err) {
    throw writeFailure(err, real);
  }
  let lock: ReturnType<typeof acquireLock>;
  try {
    for (const t of sweepStaleTemps(dirname(real)))
      o.onNotice(
        `removed the temporary ${t.path} of a run that no longer runs (pid ${t.owner.pid} on ${t.owner.host})` +
          (t.restored ? `; put its earlier folder back at ${t.target}` : ''),
      );
    lock = acquireLock(real, (message) => o.onNotice(`${real}: ${message}`));
  } catch (err) {
    folders.undo();
    throw err;
  }

  const release = () => {
    lock.release();
    folders.undo();
  };
  return {
    path: real,
    async write(fill) {
      let manifest: RunManifest | null = null;
      await buildFolderAtomic(
        real,
        async (dir) => {
          const written: WrittenFiles = new Map();
          manifest = await writeRunManifest(dir, await fill(dir, written), written);
        },
        async () => {
          const late = await replaceProblem(real);
          if (late !== null) throw refuse(late);
          lock.verify();
        },
      );
      folders.keep();
      return manifest!;
    },
    release,
    async [Symbol.asyncDispose]() {
      release();
    },
  };
}

/**
 * Whether a file the manifest does not list is one retain wrote beside the run, into its folder: a
 * report of `retain report` or an evaluation of `retain evaluate` of the scored month, at the top of
 * the folder, under any name. Both read the run they sit beside, so replacing the run replaces them.
 */
function besideRun(name: string, path: string): boolean {
  return !name.includes('/') && (isOwnedFile(path, 'report') || isOwnedFile(path, 'evaluation'));
}
