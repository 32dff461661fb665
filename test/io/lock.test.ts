import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, InputError, lockPath } from '../../src/index.js';
import { deadPid, tempDir } from './helpers.js';

const never = () => {
  throw new Error('no stale lock expected');
};

function foreignLock(target: string, pid: number, host: string): void {
  const lock = { retain: 'lock', pid, host, started: '2025-08-01T02:00:00.000Z', nonce: 'n-1', target };
  writeFileSync(lockPath(target), JSON.stringify(lock));
}

describe('output locks', () => {
  it('lets one run hold an output, refuses a second naming the holder, and frees it on release', () => {
    const target = join(tempDir(), 'out');
    const lock = acquireLock(target, never);
    const held = JSON.parse(readFileSync(`${target}.retain-lock`, 'utf8'));
    expect(held).toMatchObject({ retain: 'lock', pid: process.pid, host: hostname(), target });
    expect(() => acquireLock(target, never)).toThrow(InputError);
    expect(() => acquireLock(target, never)).toThrow(
      new RegExp(`is being written by another retain run \\(pid ${process.pid} on host ${hostname()}`),
    );
    lock.verify();
    lock.release();
    lock.release();
    expect(existsSync(lockPath(target))).toBe(false);
    acquireLock(target, never).release();
  });

  it('takes over the lock of a run that no longer runs on this host, and says so', () => {
    const target = join(tempDir(), 'out');
    const pid = deadPid();
    foreignLock(target, pid, hostname());
    const notices: string[] = [];
    const lock = acquireLock(target, (m) => notices.push(m));
    expect(notices).toEqual([
      `took over the stale lock of a run that no longer runs (pid ${pid} on host ${hostname()}, started 2025-08-01T02:00:00.000Z)`,
    ]);
    expect(JSON.parse(readFileSync(lockPath(target), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock left by an earlier process with our own pid (a container restarted as pid 1)', () => {
    const target = join(tempDir(), 'out');
    foreignLock(target, process.pid, hostname());
    const notices: string[] = [];
    acquireLock(target, (m) => notices.push(m)).release();
    expect(notices).toHaveLength(1);
  });

  it.each([
    ['a live process on this host', () => process.ppid, hostname()],
    ['another host, where no pid can be checked', () => deadPid(), 'other-host'],
  ])('never takes over a lock of %s (exit 3)', (_, pid, host) => {
    const target = join(tempDir(), 'out');
    foreignLock(target, pid(), host);
    expect(() => acquireLock(target, never)).toThrow(InputError);
    expect(() => acquireLock(target, never)).toThrow(`remove ${lockPath(target)}`);
    expect(JSON.parse(readFileSync(lockPath(target), 'utf8')).host).toBe(host);
  });

  it.each([
    ['empty', '', true],
    ['garbage', 'not a lock', false],
  ])(
    'treats a lock file that is %s as a run starting now; later, empty is stale, garbage is refused',
    (_, text, stale) => {
      const target = join(tempDir(), 'out');
      writeFileSync(lockPath(target), text);
      expect(() => acquireLock(target, never)).toThrow(/is being written by another retain run/);
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(lockPath(target), hourAgo, hourAgo);
      if (stale) {
        const notices: string[] = [];
        acquireLock(target, (m) => notices.push(m)).release();
        expect(notices).toEqual(['took over an empty lock left by a run killed as it started']);
      } else {
        expect(() => acquireLock(target, never)).toThrow(
          /is damaged .* remove it if no retain run is writing/,
        );
        expect(readFileSync(lockPath(target), 'utf8')).toBe(text);
      }
    },
  );

  it('notices when its lock was taken from it', () => {
    const target = join(tempDir(), 'out');
    const lock = acquireLock(target, never);
    foreignLock(target, 1, 'other-host');
    expect(() => lock.verify()).toThrow(/was removed or taken by another run/);
    lock.release();
    expect(JSON.parse(readFileSync(lockPath(target), 'utf8')).host).toBe('other-host');
  });
});
