import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFolderAtomic, InputError, pendingUndoTasks, writeFileAtomic } from '../../src/index.js';
import { tempDir } from './helpers.js';

/** The error a full disk gives a write: the narrow seam through which ENOSPC is injected. */
const noSpace = (path: string) =>
  Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', path });

describe('writeFileAtomic', () => {
  it('writes through a temporary and leaves only the file', async () => {
    const dir = tempDir();
    await writeFileAtomic(join(dir, 'a', 'b', 'model.json'), (tmp) => writeFile(tmp, '{}'));
    expect(readFileSync(join(dir, 'a', 'b', 'model.json'), 'utf8')).toBe('{}');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['model.json']);
  });

  it('on a full disk: exit 3 naming the file and the cause, and nothing left, not even its folders', async () => {
    const dir = tempDir();
    const target = join(dir, 'a', 'b', 'model.json');
    const failing = writeFileAtomic(target, async (tmp) => {
      await writeFile(tmp, 'half');
      throw noSpace(tmp);
    });
    await expect(failing).rejects.toThrow(InputError);
    await expect(
      writeFileAtomic(target, async (tmp) => {
        throw noSpace(tmp);
      }),
    ).rejects.toThrow(new RegExp(`^cannot write ${target}: no space left on the device \\(ENOSPC at `));
    expect(readdirSync(dir)).toEqual([]);
    expect(pendingUndoTasks()).toBe(0);
  });

  it("stops at a signal that came during the writer's synchronous work, leaving the file as it was", () => {
    // An encoder (Arrow, Parquet) runs synchronously: the signal waits for it. The write must let the
    // signal through before it renames, or the run ends with exit 0 and the file replaced.
    const dir = tempDir();
    const target = join(dir, 'out.txt');
    writeFileSync(target, 'before');
    const atomic = pathToFileURL(resolve(import.meta.dirname, '../../src/io/atomic.ts')).href;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const script = `
        import { writeFileSync } from 'node:fs';
        import { writeFileAtomic } from ${JSON.stringify(atomic)};
        await writeFileAtomic(${JSON.stringify(target)}, async (tmp) => {
          writeFileSync(tmp, 'after');
          process.kill(process.pid, '${signal}');
          const until = Date.now() + 300;
          while (Date.now() < until);
        });
        console.log('replaced');`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      expect(r.signal, r.stderr).toBe(signal);
      expect(r.stdout).toBe('');
      expect(readFileSync(target, 'utf8')).toBe('before');
      expect(readdirSync(dir)).toEqual(['out.txt']);
    }
  });

  it('keeps the existing file when the writer fails', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.json'), 'old');
    await expect(
      writeFileAtomic(join(dir, 'model.json'), async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readdirSync(dir)).toEqual(['model.json']);
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe('old');
  });
});

describe('buildFolderAtomic', () => {
  it('makes the folder appear complete, replacing an existing one', async () => {
    const dir = tempDir();
    const target = join(dir, 'out');
    await buildFolderAtomic(target, async (tmp) => writeFile(join(tmp, 'a.txt'), 'one'));
    await buildFolderAtomic(target, async (tmp) => writeFile(join(tmp, 'b.txt'), 'two'));
    expect(readdirSync(target)).toEqual(['b.txt']);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('leaves no folder when the fill fails, and keeps an existing one intact', async () => {
    const dir = tempDir();
    const target = join(dir, 'out');
    const failing = async (tmp: string) => {
      await writeFile(join(tmp, 'half.txt'), 'x');
      throw noSpace(join(tmp, 'half.txt'));
    };
    await expect(buildFolderAtomic(target, failing)).rejects.toThrow(
      `cannot write ${target}: no space left on the device (ENOSPC at `,
    );
    expect(readdirSync(dir)).toEqual([]);
    await buildFolderAtomic(target, async (tmp) => writeFile(join(tmp, 'a.txt'), 'one'));
    await expect(buildFolderAtomic(target, failing)).rejects.toThrow(InputError);
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('one');
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('touches nothing when the last check before the swap refuses', async () => {
    const dir = tempDir();
    const target = join(dir, 'out');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    const refuse = async () => {
      throw new Error('not ours');
    };
    await expect(buildFolderAtomic(target, async () => {}, refuse)).rejects.toThrow('not ours');
    expect(readdirSync(target)).toEqual(['notes.txt']);
    expect(existsSync(join(dir, 'out'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});
