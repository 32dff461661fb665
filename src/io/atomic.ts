/**
 * Atomic output: a file is written under a temporary name beside its target and renamed into place;
 * an output folder is built whole in a sibling temporary folder and renamed, so readers see it complete
 * or not at all. Temporary names use the process id and a counter (no clock, no randomness).
 */
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A fresh name in the same folder as `path` (same file system, so rename is atomic). */
export function tempSibling(path: string, tag = 'tmp'): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${counter}`);
}

/**
 * Runs `writer` on a temporary path beside `path` (creating the folder if needed), then renames it
 * onto `path`. When the writer fails the temporary file is removed and the target is left as it was.
 */
export async function writeFileAtomic(
  path: string,
  writer: (tmpPath: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempSibling(path);
  try {
    await writer(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, (tmp) => writeFile(tmp, text));
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Builds an output folder through `fill(tmpDir)` in a sibling temporary folder, then renames it to
 * `outDir`. An existing `outDir` is moved aside first and deleted only once the new one is in place
 * (and restored if the final rename fails). On failure the temporary folder is removed.
 */
export async function commitOutputDir(
  outDir: string,
  fill: (tmpDir: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(outDir), { recursive: true });
  const tmp = tempSibling(outDir);
  await mkdir(tmp);
  try {
    await fill(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const exists = await stat(outDir).then(
    () => true,
    () => false,
  );
  if (!exists) {
    try {
      await rename(tmp, outDir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    return;
  }
  const old = tempSibling(outDir, 'old');
  await rename(outDir, old);
  try {
    await rename(tmp, outDir);
  } catch (err) {
    await rename(old, outDir);
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}
