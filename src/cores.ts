/**
 * The cores this process may use: the CPUs it may run on (`availableParallelism`, its affinity), and
 * no more than its control group's CPU quota allows. In a container limited to 2 CPUs on a 64-core
 * host the affinity is all 64; starting a thread per core there gives each thread a sliver of the
 * quota, the kernel throttles them all, and every thread's buffers still take their memory. libuv
 * reads the quota from 1.49 on; the libuv of Node 20 (1.46) does not, so it is read here, the same
 * way: cgroup v2's `cpu.max` or v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us`, whole CPUs rounded
 * down, at least one. Every level from the process's own group up to the mount is read and the
 * tightest kept, since a parent's quota binds its children.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a file's text, or null when it cannot be read (no such file, no cgroup fs). */
export type ReadText = (path: string) => string | null;

const CGROUP_ROOT = '/sys/fs/cgroup';

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `dir` and each folder above it up to `mount`, deepest first. */
function upTo(mount: string, path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return parts.map((_, i) => `${mount}/${parts.slice(0, parts.length - i).join('/')}`).concat(mount);
}

/** CPUs a cgroup v2 folder's `cpu.max` allows ("max 100000": no limit; "150000 100000": 1.5). */
function v2Quota(text: string | null): number {
  const [quota, period] = (text ?? '').trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period ?? 100000);
  return quota === 'max' || !(q > 0 && p > 0) ? Number.POSITIVE_INFINITY : q / p;
}

/** CPUs a cgroup v1 folder's CFS quota allows (-1: no limit). */
function v1Quota(read: ReadText, dir: string): number {
  const q = Number(read(`${dir}/cpu.cfs_quota_us`)?.trim());
  const p = Number(read(`${dir}/cpu.cfs_period_us`)?.trim());
  return q > 0 && p > 0 ? q / p : Number.POSITIVE_INFINITY;
}

/**
 * Whole CPUs the control group's quota allows this process (Infinity when there is none, or no
 * cgroup file to read). `read` and `root` are the file system's, given only by tests.
 */
export function cgroupCpuLimit(read: ReadText = readText, root = CGROUP_ROOT): number {
  const lines = (read('/proc/self/cgroup') ?? '').split('\n').map((l) => l.split(':'));
  // A v1 hierarchy with the cpu controller takes precedence: on a hybrid system v2 holds no cpu files.
  const v1 = lines.find((l) => l.length >= 3 && l[1]!.split(',').includes('cpu'));
  const v2 = lines.find((l) => l.length >= 3 && l[0] === '0' && l[1] === '');
  let cpus = Number.POSITIVE_INFINITY;
  if (v1 !== undefined) {
    const path = v1.slice(2).join(':');
    // The controller's own mount (`cpu,cpuacct`), and `cpu`, often a link to it: each read once.
    for (const mount of new Set([`${root}/${v1[1]}`, `${root}/cpu`]))
      for (const dir of upTo(mount, path)) cpus = Math.min(cpus, v1Quota(read, dir));
  } else if (v2 !== undefined) {
    for (const dir of upTo(root, v2.slice(2).join(':')))
      cpus = Math.min(cpus, v2Quota(read(`${dir}/cpu.max`)));
  }
  return Number.isFinite(cpus) ? Math.max(1, Math.floor(cpus)) : Number.POSITIVE_INFINITY;
}

let cached: number | undefined;

/** The cores this process may use: its affinity, within its cgroup's CPU quota (read once). */
export function usableCores(): number {
  cached ??= Math.max(1, Math.min(availableParallelism(), cgroupCpuLimit()));
  return cached;
}
