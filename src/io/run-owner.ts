/** Which process on which host owns a temporary or a lock, and whether that process still runs. */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

export interface RunOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO time the temporary or lock was made. */
  readonly started: string;
}

export function thisRun(now: Date = new Date()): RunOwner {
  return { pid: process.pid, host: hostname(), started: now.toISOString() };
}

export function isRunOwner(v: unknown): v is RunOwner {
  const o = v as Partial<RunOwner> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Number.isSafeInteger(o.pid) &&
    (o.pid as number) > 0 &&
    typeof o.host === 'string' &&
    typeof o.started === 'string'
  );
}

/** Whether process `pid` exists on this host (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A short tag of a host name, safe in a file name (8 hex digits of its SHA-256). */
export function hostTag(host: string = hostname()): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

/** Whether process `pid` of the host tagged `tag` is certainly gone (see ownerGone). */
export function pidGone(pid: number, tag: string): boolean {
  if (tag !== hostTag()) return false;
  return pid === process.pid || !processAlive(pid);
}

/**
 * Whether `owner` is certainly gone: it ran on this host and its pid no longer runs, or its pid is
 * ours (an earlier process given the same pid, as every container's first process is pid 1; the
 * caller has already set aside what this process holds itself).
 */
export function ownerGone(owner: RunOwner): boolean {
  return pidGone(owner.pid, hostTag(owner.host));
}

export function describeOwner(owner: RunOwner): string {
  return `pid ${owner.pid} on host ${owner.host}, started ${owner.started}`;
}
