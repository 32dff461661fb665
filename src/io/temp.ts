/**
 * Temporaries: every output is built in a temporary folder beside its target and renamed into place.
 * The folder is named `.<target name>.retain-tmp-<host tag>-<pid>-<random UUID>`: unique across
 * processes and hosts, and saying whose it is from the moment it exists. Inside, a marker,
 * `retain-temp.json`, holds the owner's pid, host, start time and the target. It is removed when the
 * write ends or fails, on SIGINT/SIGTERM/SIGHUP, and, if a killed run left it, by the next run
 * writing into that folder once it is stale: its pid no longer runs on this host, or it is older than
 * a day. Only a folder with the name pattern and either a valid marker or nothing at all inside (a
 * run killed between making it and marking it) is ever removed.
 */
import { randomUUID } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { undoOnAbort } from './abort-cleanup.js';
import { hostTag, isRunOwner, pidGone, type RunOwner, thisRun } from './run-owner.js';

export const TEMP_MARKER = 'retain-temp.json';
const TEMP_NAME =
  /^\..*\.retain-tmp-([0-9a-f]{8})-([1-9]\d*)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A temporary older than this is stale whatever host made it: no run of retain lasts a day. */
export const STALE_TEMP_MS = 24 * 60 * 60 * 1000;
/** Characters of the target's name kept in a temporary's name, so a long target name still fits. */
const NAME_KEPT = 40;

interface TempMarker extends RunOwner {
  readonly retain: 'temporary';
  readonly target: string;
}

export interface Temp {
  /** The temporary folder. */
  readonly dir: string;
  readonly target: string;
  /** Where the new file or folder is built, renamed onto the target when complete. */
  readonly work: string;
  /** Where an existing target is moved while the new one is renamed in (restored if that fails). */
  readonly previous: string;
  /** Removes the temporary (restoring `previous` if the target is missing); idempotent. */
  dispose(): void;
}

/** Temporaries this process has made and not yet removed: never stale to its own sweeps. */
const live = new Set<string>();

export function tempName(target: string): string {
  return `.${basename(target).slice(0, NAME_KEPT)}.retain-tmp-${hostTag()}-${process.pid}-${randomUUID()}`;
}

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/**
 * Undoes a temporary of `target`: an existing target that was moved aside is put back when nothing
 * took its place, then the temporary goes. Returns whether something was put back. When putting
 * back fails the temporary is left as it is, so nothing is lost.
 */
function undoTemp(dir: string, target: string | null): boolean {
  const previous = join(dir, 'previous');
  let restored = false;
  if (target !== null && exists(previous) && !exists(target)) {
    try {
      renameSync(previous, target);
      restored = true;
    } catch {
      return false;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return restored;
}

/** Creates the temporary folder for `target` (whose parent folder must exist). */
export function createTemp(target: string, now: Date = new Date()): Temp {
  const dir = join(dirname(target), tempName(target));
  // Registered first: a signal the moment the folder exists must still find its undo.
  const unregister = undoOnAbort(() => undoTemp(dir, target));
  try {
    mkdirSync(dir);
  } catch (err) {
    unregister();
    throw err;
  }
  try {
    const marker: TempMarker = { retain: 'temporary', ...thisRun(now), target };
    writeFileSync(join(dir, TEMP_MARKER), `${JSON.stringify(marker)}\n`, { flag: 'wx' });
  } catch (err) {
    unregister();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  live.add(dir);
  let disposed = false;
  return {
    dir,
    target,
    work: join(dir, 'new'),
    previous: join(dir, 'previous'),
    dispose() {
      if (disposed) return;
      disposed = true;
      unregister();
      live.delete(dir);
      undoTemp(dir, target);
    },
  };
}

function readMarker(dir: string): TempMarker | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, TEMP_MARKER), 'utf8')) as Partial<TempMarker>;
    return m.retain === 'temporary' && typeof m.target === 'string' && isRunOwner(m)
      ? (m as TempMarker)
      : null;
  } catch {
    return null;
  }
}

/** Stale: older than a day wherever it was made, or its process is gone from this host. */
function isStale(pid: number, tag: string, startedMs: number, nowMs: number): boolean {
  if (!(nowMs - startedMs < STALE_TEMP_MS)) return true;
  return pidGone(pid, tag);
}

export interface SweptTemp {
  readonly path: string;
  readonly owner: RunOwner;
  /** The target its marker names (null for an unmarked, empty temporary). */
  readonly target: string | null;
  /** The killed run had moved its target aside; it was put back. */
  readonly restored: boolean;
}

/** Removes the stale temporaries retain left in `folder`; returns what it removed. */
export function sweepStaleTemps(folder: string, now: Date = new Date()): SweptTemp[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const swept: SweptTemp[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const dir = join(folder, name);
    if (live.has(dir)) continue;
    let owner: RunOwner;
    let target: string | null = null;
    const marker = readMarker(dir);
    if (marker) {
      owner = marker;
      // A marker naming a target elsewhere is not trusted to restore anything there.
      if (dirname(marker.target) === folder) target = marker.target;
    } else {
      // Unmarked: only an empty folder (or one holding an empty marker), made by a run killed
      // before it could write its marker.
      let mtimeMs: number;
      try {
        const entries = readdirSync(dir);
        const empty =
          entries.length === 0 ||
          (entries.length === 1 &&
            entries[0] === TEMP_MARKER &&
            lstatSync(join(dir, TEMP_MARKER)).size === 0);
        if (!empty) continue;
        mtimeMs = lstatSync(dir).mtimeMs;
      } catch {
        continue;
      }
      owner = { pid: Number(m[2]), host: `host ${m[1]}`, started: new Date(mtimeMs).toISOString() };
    }
    const tag = marker ? hostTag(marker.host) : m[1]!;
    if (!isStale(owner.pid, tag, Date.parse(owner.started), now.getTime())) continue;
    const restored = undoTemp(dir, target);
    if (!exists(dir)) swept.push({ path: dir, owner, target: marker?.target ?? null, restored });
  }
  return swept;
}
