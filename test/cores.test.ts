import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cgroupCpuLimit, usableCores } from '../src/cores.js';

/** A file system of the given files: every other path reads as absent. */
const files =
  (given: Record<string, string>) =>
  (path: string): string | null =>
    given[path] ?? null;

describe('cgroupCpuLimit', () => {
  it('reads a cgroup v2 quota in whole CPUs, rounded down, at least one', () => {
    const v2 = (max: string) => files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': max });
    expect(cgroupCpuLimit(v2('200000 100000\n'))).toBe(2);
    expect(cgroupCpuLimit(v2('250000 100000\n'))).toBe(2);
    expect(cgroupCpuLimit(v2('50000 100000\n'))).toBe(1);
    expect(cgroupCpuLimit(v2('max 100000\n'))).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps the tightest quota from the process group up to the mount', () => {
    const read = files({
      '/proc/self/cgroup': '0::/kubepods/pod7/c1\n',
      '/sys/fs/cgroup/kubepods/pod7/c1/cpu.max': 'max 100000',
      '/sys/fs/cgroup/kubepods/pod7/cpu.max': '300000 100000',
      '/sys/fs/cgroup/kubepods/cpu.max': '800000 100000',
      '/sys/fs/cgroup/cpu.max': 'max 100000',
    });
    expect(cgroupCpuLimit(read)).toBe(3);
  });

  it('reads a cgroup v1 CFS quota, where a container sees only its own group at the mount', () => {
    const container = files({
      '/proc/self/cgroup': '12:pids:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '300000\n',
      '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    });
    expect(cgroupCpuLimit(container)).toBe(3);
    const host = files({
      '/proc/self/cgroup': '4:cpu,cpuacct:/docker/abc\n',
      '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us': '150000',
      '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
    });
    expect(cgroupCpuLimit(host)).toBe(1);
  });

  it('on a hybrid system reads the v1 cpu controller, not the v2 tree that holds no cpu files', () => {
    const read = files({
      '/proc/self/cgroup': '4:memory:/x\n1:cpu:/\n0::/\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1',
      '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/cpu.max': '100000 100000',
    });
    expect(cgroupCpuLimit(read)).toBe(Number.POSITIVE_INFINITY);
  });

  it('sets no limit without cgroup files or with unreadable ones', () => {
    expect(cgroupCpuLimit(files({}))).toBe(Number.POSITIVE_INFINITY);
    expect(cgroupCpuLimit(files({ '/proc/self/cgroup': '0::/\n' }))).toBe(Number.POSITIVE_INFINITY);
    expect(cgroupCpuLimit(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'lots 0' }))).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(cgroupCpuLimit(files({ '/proc/self/cgroup': 'garbage' }))).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives this machine its affinity within its own quota', () => {
    const cores = usableCores();
    expect(cores).toBe(Math.max(1, Math.min(availableParallelism(), cgroupCpuLimit())));
    expect(cores).toBeGreaterThanOrEqual(1);
  });
});
