import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dictFromStrings, InputError, makeFrame, readText, writeTableSet } from '../../src/index.js';

const frame = makeFrame({ id: dictFromStrings(['007', '=cmd']), amount: new Float64Array([1.5, -2]) });

describe('writeTableSet', () => {
  it.each(['csv', 'arrow'] as const)('writes tables into sub-folders as %s', async (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-set-'));
    const paths = await writeTableSet(
      dir,
      [
        ['scores', frame],
        ['targets/warning', frame],
      ],
      format,
      { bom: true },
    );
    expect(paths).toEqual([join(dir, `scores.${format}`), join(dir, 'targets', `warning.${format}`)]);
    if (format === 'csv') {
      // A byte order mark, a neutralised formula, and a negative number left a number.
      expect(readFileSync(paths[1]!, 'utf8')).toBe("\ufeffid,amount\n007,1.5\n'=cmd,-2\n");
    } else {
      const t = tableFromIPC(readFileSync(paths[1]!));
      expect(t.getChild('id')!.toArray()).toEqual(['007', '=cmd']);
    }
  });

  it('notes the size and SHA-256 of each CSV file as written, by its path in the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-set-'));
    const hashed = new Map<string, { bytes: number; sha256: string }>();
    await writeTableSet(
      dir,
      [
        ['scores', frame],
        ['targets/warning', frame],
      ],
      'csv',
      { hashed },
    );
    const onDisk = (rel: string) => {
      const bytes = readFileSync(join(dir, ...rel.split('/')));
      return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    };
    expect([...hashed.keys()]).toEqual(['scores.csv', 'targets/warning.csv']);
    for (const [rel, written] of hashed) expect(written).toEqual(onDisk(rel));
  });
});

describe('readText', () => {
  it('names the file and why it cannot be read', async () => {
    await expect(
      readText('/nonexistent/model.json', (why, cause) => new InputError(`model.json: ${why}`, { cause })),
    ).rejects.toThrow(new InputError('model.json: no such file'));
  });
});
