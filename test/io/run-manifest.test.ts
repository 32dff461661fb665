import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunManifest, VERSION } from '../../src/index.js';
import { writeRunManifest } from '../../src/io/run-manifest.js';
import { tempDir } from './helpers.js';

const RECORD = {
  command: 'merge' as const,
  month: '2025-07',
  model_id: 'm1',
  table_format: 'arrow' as const,
  inputs: [{ path: '/data/s0', kind: 'shard', bytes: 10, sha256: 'a'.repeat(64) }],
  shard: null,
};

describe('retain-run.json', () => {
  it('takes the size and SHA-256 of a file hashed as it was written, and hashes the others', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'scores.csv'), 'abc');
    writeFileSync(join(dir, 'summary.json'), 'abc');
    // What the writer noted is recorded as it is: the file is not read again.
    const noted = { bytes: 3, sha256: 'f'.repeat(64) };
    const manifest = await writeRunManifest(dir, RECORD, new Map([['scores.csv', noted]]));
    expect(manifest.files).toEqual([
      { path: 'scores.csv', ...noted },
      {
        path: 'summary.json',
        bytes: 3,
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      },
    ]);
  });

  it('records the run and every file, and reads back as written', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'targets'));
    writeFileSync(join(dir, 'scores.arrow'), 'abc');
    writeFileSync(join(dir, 'targets', 'warning.arrow'), '');
    const written = await writeRunManifest(dir, RECORD);
    expect(written).toEqual({
      format: 'retain-run',
      version: 1,
      ...RECORD,
      retain_version: VERSION,
      files: [
        // printf 'abc' | sha256sum; sha256sum of an empty file
        {
          path: 'scores.arrow',
          bytes: 3,
          sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        },
        {
          path: 'targets/warning.arrow',
          bytes: 0,
          sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        },
      ],
    });
    const read = await readRunManifest(dir);
    expect(read.state === 'ok' && read.manifest).toEqual(written);
  });

  it('is missing from a folder retain did not write', async () => {
    expect(await readRunManifest(tempDir())).toEqual({ state: 'missing' });
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['not JSON',       '{"format":',         /^not valid JSON/],
    ['another format', '{"format":"other"}', /^format: /],
    [
      'a file path leaving the folder',
      (m: object) => ({ ...m, files: [{ path: '../x', bytes: 1, sha256: 'a'.repeat(64) }] }),
      /^files\.0\.path: not a path inside the folder/,
    ],
    [
      'an absolute file path',
      (m: object) => ({ ...m, files: [{ path: '/etc/passwd', bytes: 1, sha256: 'a'.repeat(64) }] }),
      /^files\.0\.path/,
    ],
    [
      'a checksum that is not one',
      (m: object) => ({ ...m, files: [{ path: 'a', bytes: 1, sha256: 'xyz' }] }),
      /^files\.0\.sha256/,
    ],
  ])('is damaged when it holds %s', async (_, content, why) => {
    const dir = tempDir();
    const valid = await writeRunManifest(tempDir(), RECORD);
    const text = typeof content === 'string' ? content : JSON.stringify(content(valid));
    writeFileSync(join(dir, 'retain-run.json'), text);
    const read = await readRunManifest(dir);
    expect(read.state).toBe('damaged');
    expect(read.state === 'damaged' && read.why).toMatch(why);
  });
});
