import { describe, expect, it } from 'vitest';
import { InputError, UsageError, WriteFailure, writeFailure } from '../../src/index.js';

const fsError = (code: string, path?: string) =>
  Object.assign(new Error(`${code}: failed`), { code, ...(path ? { path } : {}) });

describe('writeFailure', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['ENOSPC',       'no space left on the device'],
    ['EDQUOT',       'disk quota exceeded'],
    ['EROFS',        'read-only file system'],
    ['EACCES',       'permission denied'],
    ['EPERM',        'operation not permitted'],
    ['ENAMETOOLONG', 'file name too long'],
    ['ENOTDIR',      'a part of the path is a file, not a folder'],
    ['EEXIST',       'a file is in the way'],
  ])('words %s as an InputError (exit 3) naming the output and the cause', (code, cause) => {
    const e = writeFailure(fsError(code, '/data/.out.retain-tmp-x/new/scores.csv'), '/data/out');
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(3);
    expect((e as Error).message).toBe(
      `cannot write /data/out: ${cause} (${code} at /data/.out.retain-tmp-x/new/scores.csv)`,
    );
  });

  it('does not repeat the path when the system names the output itself', () => {
    expect((writeFailure(fsError('EROFS', '/data/out'), '/data/out') as Error).message).toBe(
      'cannot write /data/out: read-only file system (EROFS)',
    );
  });

  it('reports a failure inside a folder being built for the folder the user named', () => {
    const inner = writeFailure(fsError('ENOSPC'), '/data/.out.retain-tmp-x/new/scores.csv');
    expect(inner).toBeInstanceOf(WriteFailure);
    expect((writeFailure(inner, '/data/out') as Error).message).toBe(
      'cannot write /data/out: no space left on the device (ENOSPC)',
    );
  });

  it.each([
    ['a bug', new TypeError('x is undefined')],
    ['an unknown code', fsError('EWHATEVER')],
    ['a retain error', new UsageError('bad flag')],
  ])('passes %s through untouched', (_, err) => {
    expect(writeFailure(err, '/data/out')).toBe(err);
  });
});
