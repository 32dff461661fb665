/**
 * Atomic output: a file or folder is built whole in a temporary folder beside its target (see
 * temp.ts) and renamed into place, so readers see it complete or not at all, and a failure, a signal
 * or a kill leaves the target as it was. File-system failures become InputErrors naming the target
 * (fs-errors.ts). What may be replaced is decided by the callers (output-dir.ts, output-file.ts).
 */
import { mkdirSync, renameSync, rmdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { settleSignals, undoOnAbort } from './abort-cleanup.js';
import { mappingWriteFailures, writeFailure } from './fs-errors.js';
import { createTemp, sweepStaleTemps, type Temp } from './temp.js';

export interface MadeFolders {
  /** Removes the folders made, deepest first, as long as they are still empty. */
  undo(): void;
  /** Keeps them: they hold an output now. */
  keep(): void;
}

/**
 * Creates the folder `dir` and any missing parents. Until kept, they are removed again by `undo` or
 * if the process is stopped, so a failed run leaves no empty folders behind.
 */
export function makeFolders(dir: string): MadeFolders {
  let first: string | undefined;
  const removeEmpty = () => {
    if (first === undefined) return;
    for (let d = dir; d.length >= first.length; d = dirname(d)) {
      try {
        rmdirSync(d);
      } catch {
        return;
      }
      if (d === first) return;
    }
  };
  const unregister = undoOnAbort(removeEmpty);
  try {
    first = mkdirSync(dir, { recursive: true });
  } catch (err) {
    unregister();
    throw err;
  }
  return {
    undo() {
      unregister();
      removeEmpty();
    },
    keep: unregister,
  };
}

/**
 * Runs `writer` on a temporary path beside `path` (creating the folder if needed), then renames it
 * onto `path`. When the writer fails the temporary is removed and the target is left as it was.
 * Stale temporaries of killed runs in that folder are removed first.
 */
export async function writeFileAtomic(
  path: string,
  writer: (tmpPath: string) => Promise<void>,
): Promise<void> {
  await mappingWriteFailures(path, async () => {
    const folders = makeFolders(dirname(path));
    let temp: Temp | null = null;
    try {
      sweepStaleTemps(dirname(path));
      temp = createTemp(path);
      await writer(temp.work);
      // A signal during the writer's synchronous work stops the run here, before the file is replaced.
      await settleSignals();
      renameSync(temp.work, path);
      folders.keep();
    } finally {
      temp?.dispose();
      folders.undo();
    }
  });
}

export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, (tmp) => writeFile(tmp, text));
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Builds a folder through `fill(workDir)` in a temporary beside `target` (whose parent must exist),
 * then renames it to `target`. An existing target is moved into the temporary first and removed with
 * it once the new folder is in place; it is put back if the last rename fails or the run is stopped
 * in between. `beforeSwap` runs after the fill, just before the target is touched (a last check).
 * The renames are synchronous, so no signal handler can run between them.
 */
export async function buildFolderAtomic(
  target: string,
  fill: (workDir: string) => Promise<void>,
  beforeSwap: () => Promise<void> = async () => {},
): Promise<void> {
  let temp: Temp | null = null;
  try {
    temp = createTemp(target);
    await mkdir(temp.work);
    await fill(temp.work);
    await beforeSwap();
    await settleSignals();
    let movedAside = false;
    try {
      renameSync(target, temp.previous);
      movedAside = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    try {
      renameSync(temp.work, target);
    } catch (err) {
      if (movedAside) renameSync(temp.previous, target);
      throw err;
    }
  } catch (err) {
    throw writeFailure(err, target);
  } finally {
    temp?.dispose();
  }
}
