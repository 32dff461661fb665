import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimOutputDir, InputError, pendingUndoTasks, type RunRecord, UsageError } from '../../src/index.js';
import { tempDir } from './helpers.js';

const RECORD: RunRecord = {
  command: 'score',
  month: '2025-07',
  model_id: 'm1',
  table_format: 'csv',
  inputs: [],
  shard: null,
};

/** Every file and folder under `dir` with its content: compared before and after a refusal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(p).isDirectory()) {
        out[`${r}/`] = '';
        walk(p, r);
      } else out[r] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

const notices: string[] = [];
const claim = (out: string, cwd: string, protect: { path: string; what: string }[] = []) =>
  claimOutputDir(out, { label: '--out', cwd, protect, onNotice: (m) => notices.push(m) });

async function writeRun(
  out: string,
  cwd: string,
  files: Record<string, string> = { 'scores.csv': 'a\n1\n' },
) {
  await using o = await claim(out, cwd);
  await o.write(async (dir) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return RECORD;
  });
}

/** A working folder: data/billing.csv (an input), a folder of the user's, a file, an earlier run. */
async function workspace(): Promise<string> {
  const root = tempDir();
  mkdirSync(join(root, 'work', 'data'), { recursive: true });
  writeFileSync(join(root, 'work', 'data', 'billing.csv'), 'subscriber_id\n1\n');
  mkdirSync(join(root, 'work', 'mine'));
  writeFileSync(join(root, 'work', 'mine', 'notes.txt'), 'precious');
  writeFileSync(join(root, 'work', 'a-file'), 'precious');
  mkdirSync(join(root, 'work', 'empty'));
  await writeRun('run', join(root, 'work'));
  return root;
}

const INPUT = [{ path: 'data/billing.csv', what: 'billing file' }];

describe('claimOutputDir refuses, touching nothing (exit 2)', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['the current folder',                  '.',                /is the current folder$/],
    ['a folder containing the current one', '..',               /contains the current folder/],
    ['the root',                            '/',                /contains the current folder/],
    ['a file',                              'a-file',           /is a file$/],
    ['a folder of the user',                'mine',             /holds files retain did not write \(it has no retain-run\.json\)/],
    ['a folder holding an input',           'data',             /contains the billing file billing\.csv$/],
    ['an input itself',                     'data/billing.csv', /is the billing file this run reads$/],
  ])('%s', async (_, out, message) => {
    const root = await workspace();
    const before = snapshot(root);
    const cwd = join(root, 'work');
    await expect(claim(out, cwd, INPUT)).rejects.toThrow(UsageError);
    await expect(claim(out, cwd, INPUT)).rejects.toThrow(message);
    expect(snapshot(root)).toEqual(before);
    expect(pendingUndoTasks()).toBe(0);
  });

  it.each([
    [
      'a file was added to it',
      (run: string) => writeFileSync(join(run, 'notes.txt'), 'mine'),
      /holds files retain did not write there \(notes\.txt\)/,
    ],
    [
      'a file of it was edited',
      (run: string) => writeFileSync(join(run, 'scores.csv'), 'a\n1\n2\n'),
      /holds files changed since retain wrote them \(scores\.csv\)/,
    ],
    [
      'a file of it was edited at the same size (a 0 turned to a 1)',
      (run: string) => {
        const path = join(run, 'scores.csv');
        const text = readFileSync(path, 'utf8');
        const at = text.search(/[01]\n/);
        expect(at).toBeGreaterThan(0);
        writeFileSync(path, `${text.slice(0, at)}${text[at] === '0' ? '1' : '0'}${text.slice(at + 1)}`);
      },
      /holds files changed since retain wrote them \(scores\.csv\)/,
    ],
    [
      'its manifest is damaged',
      (run: string) => writeFileSync(join(run, 'retain-run.json'), '{"format":"retain-run"'),
      /has a damaged retain-run\.json/,
    ],
  ])('an earlier run folder once %s', async (_, change, message) => {
    const root = await workspace();
    change(join(root, 'work', 'run'));
    const before = snapshot(root);
    await expect(claim('run', join(root, 'work'))).rejects.toThrow(message);
    expect(snapshot(root)).toEqual(before);
  });
});

describe('claimOutputDir writes', () => {
  it('a new folder (and its parents), marked with a manifest listing every file with its checksum', async () => {
    const root = await workspace();
    await writeRun('deep/er/out', join(root, 'work'), { 'scores.csv': 'x\n', 'targets/warning.csv': 'y\n' });
    const m = JSON.parse(readFileSync(join(root, 'work', 'deep', 'er', 'out', 'retain-run.json'), 'utf8'));
    expect(m).toMatchObject({ format: 'retain-run', version: 1, command: 'score', month: '2025-07' });
    // The checksums are those of `printf 'x\n' | sha256sum` and `printf 'y\n' | sha256sum`.
    expect(m.files).toEqual([
      {
        path: 'scores.csv',
        bytes: 2,
        sha256: '73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac',
      },
      {
        path: 'targets/warning.csv',
        bytes: 2,
        sha256: '3bb2abb69ebb27fbfe63c7639624c6ec5e331b841a5bc8c3ebc10b9285e90877',
      },
    ]);
  });

  it.each([
    ['an empty folder', 'empty'],
    ['a folder of an earlier run', 'run'],
  ])('over %s, leaving nothing else behind', async (_, out) => {
    const root = await workspace();
    await writeRun(out, join(root, 'work'), { 'scores.csv': 'new\n' });
    expect(readFileSync(join(root, 'work', out, 'scores.csv'), 'utf8')).toBe('new\n');
    expect(readdirSync(join(root, 'work')).sort()).toEqual(['a-file', 'data', 'empty', 'mine', 'run']);
  });

  it('over an earlier run holding the report retain report wrote into it', async () => {
    const root = await workspace();
    const html =
      '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>retain: 2025-07</title>';
    writeFileSync(join(root, 'work', 'run', 'report.html'), html);
    await writeRun('run', join(root, 'work'));
    expect(readdirSync(join(root, 'work', 'run')).sort()).toEqual(['retain-run.json', 'scores.csv']);
  });

  it('over an earlier run holding an evaluation retain evaluate wrote into it, but not a look-alike', async () => {
    const root = await workspace();
    writeFileSync(
      join(root, 'work', 'run', 'evaluation.json'),
      '{\n  "format": "retain-evaluation",\n  "version": 1\n}\n',
    );
    await writeRun('run', join(root, 'work'));
    expect(readdirSync(join(root, 'work', 'run')).sort()).toEqual(['retain-run.json', 'scores.csv']);
    writeFileSync(join(root, 'work', 'run', 'evaluation.json'), '{"mine": true}\n');
    await expect(writeRun('run', join(root, 'work'))).rejects.toThrow(
      /holds files retain did not write there \(evaluation\.json\)/,
    );
  });

  it('through a symbolic link, replacing the folder it points to and keeping the link', async () => {
    const root = await workspace();
    symlinkSync(join(root, 'work', 'run'), join(root, 'work', 'latest'));
    await writeRun('latest', join(root, 'work'), { 'scores.csv': 'via link\n' });
    expect(readFileSync(join(root, 'work', 'run', 'scores.csv'), 'utf8')).toBe('via link\n');
    expect(statSync(join(root, 'work', 'latest')).isDirectory()).toBe(true);
  });

  it('on a full disk: exit 3 naming the folder and the cause, and nothing left behind', async () => {
    const root = await workspace();
    const before = snapshot(root);
    const cwd = join(root, 'work');
    const failing = async () => {
      await using o = await claim('new/out', cwd);
      await o.write(async (dir) => {
        await writeFile(join(dir, 'scores.csv'), 'half');
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      });
    };
    await expect(failing()).rejects.toThrow(InputError);
    await expect(failing()).rejects.toThrow(
      `cannot write ${join(cwd, 'new', 'out')}: no space left on the device (ENOSPC)`,
    );
    expect(snapshot(root)).toEqual(before);
    expect(pendingUndoTasks()).toBe(0);
  });

  it('and keeps an earlier run whole when writing fails', async () => {
    const root = await workspace();
    const before = snapshot(root);
    const failing = async () => {
      await using o = await claim('run', join(root, 'work'));
      await o.write(async () => {
        throw Object.assign(new Error('EIO'), { code: 'EIO' });
      });
    };
    await expect(failing()).rejects.toThrow(/input\/output error/);
    expect(snapshot(root)).toEqual(before);
  });

  it('one run at a time: a second claim of the same folder is refused naming the first (exit 3)', async () => {
    const root = await workspace();
    await using first = await claim('run', join(root, 'work'));
    await expect(claim('run', join(root, 'work'))).rejects.toThrow(/is being written by another retain run/);
    expect(first.path).toBe(join(root, 'work', 'run'));
  });
});
