/**
 * One writer per output: `<target>.retain-lock` beside the target, created exclusively (O_EXCL) and
 * holding the owner's pid, host, start time and a random nonce. A second run finding it held stops
 * with exit 3 naming the holder. A lock whose owner is gone (its pid no longer runs on this host) is
 * stale: it is taken over, and the caller told so it can warn. A lock from another host is never
 * judged stale here: no pid can be checked there, so the message says how to remove it.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { undoOnAbort } from './abort-cleanup.js';
import { fsErrorCode, writeFailure } from './fs-errors.js';
import { describeOwner, isRunOwner, ownerGone, type RunOwner, thisRun } from './run-owner.js';

export const LOCK_SUFFIX = '.retain-lock';
/** A lock file still empty or damaged after this long is not one being written: its writer died. */
const EMPTY_LOCK_GRACE_MS = 60_000;

interface LockRecord extends RunOwner {
  readonly retain: 'lock';
  readonly nonce: string;
  readonly target: string;
}

export interface OutputLock {
  readonly path: string;
  /** Throws InputError unless the lock file is still this run's. */
  verify(): void;
  /** Removes the lock file if it is still this run's; idempotent. */
  release(): void;
}

/** Nonces of the locks this process holds: a lock of ours is live even though its pid is ours. */
const held = new Set<string>();

export const lockPath = (target: string): string => `${target}${LOCK_SUFFIX}`;

type Read =
  | { state: 'missing' }
  | { state: 'damaged'; ageMs: number; empty: boolean }
  | { state: 'ok'; lock: LockRecord };

function readLock(path: string): Read {
  let text: string;
  let ageMs = 0;
  try {
    ageMs = Date.now() - statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (fsErrorCode(err) === 'ENOENT') return { state: 'missing' };
    throw writeFailure(err, path, 'read the lock');
  }
  try {
    const v = JSON.parse(text) as Partial<LockRecord>;
    if (v.retain === 'lock' && typeof v.nonce === 'string' && isRunOwner(v))
      return { state: 'ok', lock: v as LockRecord };
  } catch {
    // damaged, below
  }
  return { state: 'damaged', ageMs, empty: text.length === 0 };
}

function releaseIfOurs(path: string, nonce: string): void {
  const r = readLock(path);
  if (r.state === 'ok' && r.lock.nonce === nonce) unlinkSync(path);
}

/**
 * Removes the stale lock judged as `stale` tells, atomically: it is renamed aside and checked, so a
 * lock another run has just taken in its place is put back rather than removed.
 */
function takeOver(path: string, stale: (r: Read) => boolean): boolean {
  const aside = `${path}.${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  if (stale(readLock(aside))) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, path);
  } catch {
    // Someone locked meanwhile: theirs stands.
  }
  unlinkSync(aside);
  return false;
}

function holding(path: string, lock: LockRecord, unregister: () => void): OutputLock {
  held.add(lock.nonce);
  let released = false;
  return {
    path,
    verify() {
      const r = readLock(path);
      if (r.state !== 'ok' || r.lock.nonce !== lock.nonce)
        throw new InputError(`${lock.target}: the lock ${path} was removed or taken by another run`);
    },
    release() {
      if (released) return;
      released = true;
      unregister();
      held.delete(lock.nonce);
      try {
        releaseIfOurs(path, lock.nonce);
      } catch {
        // Gone already, or the folder went: nothing of ours is left to remove.
      }
    },
  };
}

/**
 * Takes the lock of `target` (whose parent folder must exist). `onStale` hears of a stale lock taken
 * over. Throws InputError (exit 3) when another run holds it.
 */
export function acquireLock(
  target: string,
  onStale: (message: string, holder: RunOwner | null) => void,
  now: Date = new Date(),
): OutputLock {
  const path = lockPath(target);
  for (let attempt = 0; attempt < 5; attempt++) {
    const lock: LockRecord = { retain: 'lock', ...thisRun(now), nonce: randomUUID(), target };
    // Registered first: a signal the moment the file exists must still find its undo.
    const unregister = undoOnAbort(() => releaseIfOurs(path, lock.nonce));
    try {
      writeFileSync(path, `${JSON.stringify(lock)}\n`, { flag: 'wx' });
      return holding(path, lock, unregister);
    } catch (err) {
      unregister();
      if (fsErrorCode(err) !== 'EEXIST') throw writeFailure(err, target, 'lock');
    }
    const r = readLock(path);
    if (r.state === 'missing') continue;
    if (r.state === 'damaged') {
      if (r.ageMs < EMPTY_LOCK_GRACE_MS)
        throw new InputError(`${target} is being written by another retain run (lock ${path})`);
      // Empty and old: its run was killed between creating and writing it (no run takes longer).
      if (r.empty) {
        if (takeOver(path, (x) => x.state === 'damaged' && x.empty))
          onStale(`took over an empty lock left by a run killed as it started`, null);
        continue;
      }
      throw new InputError(
        `${target}: the lock ${path} is damaged (not written by a run of this retain); remove it if no retain run is writing ${target}`,
      );
    }
    const holder = r.lock;
    if (held.has(holder.nonce) || !ownerGone(holder)) {
      throw new InputError(
        `${target} is being written by another retain run (${describeOwner(holder)}; lock ${path}). ` +
          `Wait for it to end; if that run is gone, remove ${path}.`,
      );
    }
    if (takeOver(path, (x) => x.state === 'ok' && x.lock.nonce === holder.nonce))
      onStale(`took over the stale lock of a run that no longer runs (${describeOwner(holder)})`, holder);
  }
  throw new InputError(`${target}: could not take the lock ${path}: other runs keep taking it`);
}
