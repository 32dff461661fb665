/**
 * A disk that fills up while the lists are written, injected through one seam: the file streams opened
 * under the output's temporary fail with ENOSPC, as a real full disk makes them fail.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { pendingUndoTasks } from '../../src/index.js';
import { errorMessage, retain } from '../helpers/cli.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const full = (path: unknown) =>
    String(path).includes('/full-disk/') && String(path).includes('.retain-tmp-');
  const createWriteStream = ((path: string, options?: unknown) => {
    if (!full(path)) return fs.createWriteStream(path, options as never);
    // Creates the file, then fails its first write as the system does when no block is left.
    fs.writeFileSync(path, '');
    return new Writable({
      write(_chunk, _encoding, done) {
        done(
          Object.assign(new Error('ENOSPC: no space left on device, write'), {
            code: 'ENOSPC',
            errno: -28,
            syscall: 'write',
          }),
        );
      },
    });
  }) as typeof fs.createWriteStream;
  return { ...fs, default: { ...fs, createWriteStream }, createWriteStream };
});

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const inputs = [
  ...files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f)),
  '--cdr',
  ...files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f)),
];

describe('retain score on a disk that fills up', () => {
  it('stops with exit 3 naming the output and the cause, and leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-full-'));
    const r = await retain(['score', ...inputs, '--out', 'full-disk/2025-07', '--log-level', 'warn'], dir);
    expect(errorMessage(r.stderr)).toBe(
      `cannot write ${join(dir, 'full-disk', '2025-07')}: no space left on the device (ENOSPC)`,
    );
    expect(r.code).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
    expect(pendingUndoTasks()).toBe(0);
  }, 60_000);
});
