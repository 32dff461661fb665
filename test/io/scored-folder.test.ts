import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dictFromStrings,
  type Frame,
  InputError,
  LISTS,
  makeFrame,
  openScoredFolder,
  parseMonth,
  type TableFormat,
  uncheckedNote,
} from '../../src/index.js';
import { writeRunManifest } from '../../src/io/run-manifest.js';
import { writeScoredFiles } from '../../src/io/scored-folder.js';
import { tempDir } from './helpers.js';

const scores = makeFrame({
  subscriber_id: dictFromStrings(['0012', '0034', '0056']),
  month: new Int32Array(3).fill(parseMonth('2025-07')),
  churn_probability: new Float64Array([0.1234567, 0.5, 0.9]),
  eligible: new Uint8Array([1, 0, 1]),
});
const lists = LISTS.map(
  (l) => [l, makeFrame({ subscriber_id: dictFromStrings(l === 'warning' ? ['0056'] : []) })] as const,
);
const scored: Frame = makeFrame({
  subscriber_id: dictFromStrings(['0012', '0034']),
  churn_probability: new Float64Array([0.25, 0.75]),
});

async function folder(format: TableFormat, shard = false): Promise<string> {
  const dir = tempDir();
  await writeScoredFiles(
    dir,
    {
      scores,
      lists,
      summary: { month: '2025-07', subscribers: 3 },
      ...(shard ? { shard: { meta: { shard: { index: 0, count: 2 } }, scored } } : {}),
    },
    { format, bom: false },
  );
  await writeRunManifest(dir, {
    command: 'score',
    month: '2025-07',
    model_id: 'm1',
    table_format: format,
    inputs: [],
    shard: shard ? { index: 0, count: 2, subscribers: 2 } : null,
  });
  return dir;
}

describe('the scored folder', () => {
  it.each(['csv', 'arrow', 'parquet'] as const)(
    'reads back what was written in %s, in the format its manifest names',
    async (format) => {
      const f = await openScoredFolder(await folder(format));
      expect(f.format).toBe(format);
      const t = await f.readTable('scores');
      expect(t.names).toEqual(['subscriber_id', 'month', 'churn_probability', 'eligible']);
      expect(t.columns).toEqual([
        ['0012', '0034', '0056'],
        ['2025-07', '2025-07', '2025-07'],
        ['0.123457', '0.5', '0.9'],
        ['1', '0', '1'],
      ]);
      expect((await f.readTable('targets/warning')).columns).toEqual([['0056']]);
      expect(await f.readSummary()).toEqual({ month: '2025-07', subscribers: 3 });
    },
  );

  it("names the run by its manifest's SHA-256, the same for a copy of the folder", async () => {
    const dir = await folder('csv');
    const sha256 = createHash('sha256')
      .update(readFileSync(join(dir, 'retain-run.json')))
      .digest('hex');
    expect((await openScoredFolder(dir)).manifestSha256).toBe(sha256);
    const copy = join(tempDir(), 'copy');
    cpSync(dir, copy, { recursive: true });
    expect((await openScoredFolder(copy)).manifestSha256).toBe(sha256);
  });

  it('reads a folder of an older retain, without a manifest, by the scores file it holds', async () => {
    const dir = await folder('arrow');
    rmSync(join(dir, 'retain-run.json'));
    const f = await openScoredFolder(dir);
    expect([f.manifest, f.manifestSha256, f.format]).toEqual([null, null, 'arrow']);
    expect((await f.readTable('scores')).rowCount).toBe(3);
  });

  it('refuses a file changed or cut since it was written, naming it (exit 3)', async () => {
    const dir = await folder('csv');
    const path = join(dir, 'scores.csv');
    const f = await openScoredFolder(dir);
    truncateSync(path, 20);
    await expect(f.readTable('scores')).rejects.toThrow(`${path}: 20 bytes, but retain-run.json records`);
  });

  it.each([
    ['no folder', (d: string) => join(d, 'none'), /cannot open a scored folder \(no such folder\)/],
    [
      'a folder retain did not write',
      (d: string) => d,
      /not a scored folder written by retain score or merge/,
    ],
  ])('refuses %s (exit 3)', async (_, path, message) => {
    await expect(openScoredFolder(path(tempDir()))).rejects.toThrow(message);
  });

  it('hands merge a shard checked against its manifest', async () => {
    const f = await openScoredFolder(await folder('csv', true));
    const shard = await f.readShard<{ shard: { index: number } }>();
    expect(shard.meta.shard.index).toBe(0);
    expect(shard.recorded).toEqual({ index: 0, count: 2, subscribers: 2 });
    expect(shard.scored.cols.churn_probability).toEqual(new Float64Array([0.25, 0.75]));
    await expect((await openScoredFolder(await folder('csv'))).readShard()).rejects.toThrow(
      /not a shard folder of retain score --shard/,
    );
  });

  it.each(['csv', 'arrow'] as const)(
    'refuses a %s table edited in place at the same size (its checksum differs)',
    async (format) => {
      const dir = await folder(format);
      const path = join(dir, `scores.${format}`);
      const bytes = readFileSync(path);
      // One byte of the last row's cells (in CSV a digit, as a control flag flipped 1 → 0 would be).
      const at = bytes.lastIndexOf(format === 'csv' ? 0x35 : 0x00, bytes.length - 2);
      bytes[at] = format === 'csv' ? 0x36 : 0x01;
      writeFileSync(path, bytes);
      await expect((await openScoredFolder(dir)).readTable('scores')).rejects.toThrow(
        `${path}: damaged: its SHA-256 differs from the one retain-run.json records`,
      );
    },
  );

  it('says when a folder has no manifest to check its files against', async () => {
    const dir = await folder('csv');
    expect(uncheckedNote(await openScoredFolder(dir))).toBeNull();
    rmSync(join(dir, 'retain-run.json'));
    expect(uncheckedNote(await openScoredFolder(dir))).toBe(
      `${dir}: no retain-run.json; its files are read as they are, unchecked against what retain wrote`,
    );
  });

  it('refuses a manifest whose month is not the month of summary.json and the scores, naming both (exit 3)', async () => {
    const dir = await folder('csv');
    const manifest = join(dir, 'retain-run.json');
    writeFileSync(
      manifest,
      JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), month: '2025-06' }, null, 2),
    );
    const f = await openScoredFolder(dir);
    await expect(f.readSummary()).rejects.toThrow(InputError);
    await expect(f.readSummary()).rejects.toThrow(
      `${join(dir, 'summary.json')}: of 2025-07, but ${manifest} gives 2025-06: the files of ${dir} are not of one scored month`,
    );
    await expect(f.readTable('scores')).rejects.toThrow(
      `${join(dir, 'scores.csv')}: of 2025-07, but ${manifest} gives 2025-06: the files of ${dir} are not of one scored month`,
    );
    // The lists carry no month of their own to disagree, nor does a summary of an empty base (null).
    expect((await f.readTable('targets/warning')).columns).toEqual([['0056']]);
    rmSync(manifest);
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ month: null, subscribers: 0 }));
    await writeRunManifest(dir, {
      command: 'score',
      month: '2025-06',
      model_id: 'm1',
      table_format: 'csv',
      inputs: [],
      shard: null,
    });
    expect(await (await openScoredFolder(dir)).readSummary()).toEqual({ month: null, subscribers: 0 });
  });

  it.each([
    ['summary.json', 'scores'],
    ['scores', 'summary.json'],
  ])('refuses, without a manifest, a %s of another month than the %s read before it', async (last) => {
    const dir = await folder('csv');
    rmSync(join(dir, 'retain-run.json'));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ month: '2025-06', subscribers: 3 }));
    const f = await openScoredFolder(dir);
    const [summary, scores] = [join(dir, 'summary.json'), join(dir, 'scores.csv')];
    if (last === 'scores') {
      expect(await f.readSummary()).toEqual({ month: '2025-06', subscribers: 3 });
      await expect(f.readTable('scores')).rejects.toThrow(
        `${scores}: of 2025-07, but ${summary} gives 2025-06`,
      );
    } else {
      expect((await f.readTable('scores')).rowCount).toBe(3);
      await expect(f.readSummary()).rejects.toThrow(`${summary}: of 2025-06, but ${scores} gives 2025-07`);
    }
  });

  it('refuses shard rows replaced by others of the same size (their checksum differs)', async () => {
    const dir = await folder('csv', true);
    const path = join(dir, 'shard', 'scored.arrow');
    const bytes = readFileSync(path);
    bytes[bytes.length - 20]! ^= 0xff;
    writeFileSync(path, bytes);
    await expect((await openScoredFolder(dir)).readShard()).rejects.toThrow(
      `${path}: damaged: its SHA-256 differs from the one retain-run.json records`,
    );
  });

  it('says a truncated Arrow file is truncated, even when its manifest was rewritten to match', async () => {
    const dir = await folder('csv', true);
    const path = join(dir, 'shard', 'scored.arrow');
    truncateSync(path, 300);
    rmSync(join(dir, 'retain-run.json'));
    await writeRunManifest(dir, {
      command: 'score',
      month: '2025-07',
      model_id: 'm1',
      table_format: 'csv',
      inputs: [],
      shard: { index: 0, count: 2, subscribers: 2 },
    });
    const read = (await openScoredFolder(dir)).readShard();
    await expect(read).rejects.toThrow(InputError);
    await expect((await openScoredFolder(dir)).readShard()).rejects.toThrow(
      `${path}: cannot read the Arrow file: it is truncated or damaged`,
    );
  });
});
