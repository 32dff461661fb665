/**
 * `--out` and the other outputs through the command line: every unsafe target is refused before any
 * work with nothing on disk changed, and retain replaces only what it wrote itself.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorMessage, retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const root = join(mkdtempSync(join(tmpdir(), 'retain-outputs-')), 'work');
const data = (prefix: string) => files.filter((f) => f.startsWith(prefix)).map((f) => join('data', f));
const inputs = [...data('billing-'), '--cdr', ...data('cdr-')];
/** June scored, so that July's billing is its outcome. */
const june = [...data('billing-').slice(0, -1), '--cdr', ...data('cdr-').slice(0, -1)];

/** Every path under the workspace's parent with a hash of its content. */
function snapshot(dir = join(root, '..')): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out[p] = statSync(p).isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(p)).digest('hex');
      if (out[p] === 'dir') walk(p);
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  mkdirSync(join(root, 'data'), { recursive: true });
  for (const f of files.filter((f) => f.endsWith('.csv') || f.endsWith('.gz')))
    copyFileSync(join(SAMPLE, f), join(root, 'data', f));
  mkdirSync(join(root, 'mine'));
  writeFileSync(join(root, 'mine', 'notes.txt'), 'the analyst notes');
  writeFileSync(join(root, 'notes.txt'), 'the analyst notes');
  // A user's JSON that starts as a model file does (retain's tag), but hashes to no id of its own.
  writeFileSync(join(root, 'look-alike.json'), '{"format":"retain-model","mine":"precious"}');
  const r = await retain(['-q', 'score', ...june, '--out', 'run'], root);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('retain score --out refuses what it did not write (exit 2, nothing touched)', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['the current folder',             ['--out', '.'],  /--out \S+\/work is the current folder/],
    ['a folder above the current one', ['--out', '..'], /contains the current folder/],
    [
      'the folder of the inputs',
      ['--out', 'data'],
      /--out \S+\/data contains the billing file billing-2025-01\.csv/,
    ],
    ['an input file', ['--out', 'data/billing-2025-07.csv'], /is the billing file this run reads/],
    [
      'a folder of the user',
      ['--out', 'mine'],
      /holds files retain did not write \(it has no retain-run\.json\)/,
    ],
    ['a file', ['--out', 'notes.txt'], /--out \S+\/notes\.txt is a file/],
    [
      'its own --rejects file inside it',
      ['--out', 'new', '--rejects', 'new/rejects.csv'],
      /contains the --rejects file rejects\.csv/,
    ],
    [
      'a --rejects file of the user',
      ['--out', 'new', '--rejects', 'notes.txt'],
      /--rejects \S+ exists and is not a rejects file written by retain/,
    ],
    ['a --rejects folder', ['--out', 'new', '--rejects', 'mine'], /--rejects \S+ is a folder/],
  ])('%s', async (_, flags, message) => {
    const before = snapshot();
    const r = await retain(['score', ...inputs, ...flags], root);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(snapshot()).toEqual(before);
  });

  it('an earlier run folder someone added a file to', async () => {
    writeFileSync(join(root, 'run', 'notes.txt'), 'added by hand');
    const before = snapshot();
    const r = await retain(['score', ...inputs, '--out', 'run'], root);
    expect([r.code, r.stderr]).toEqual([
      2,
      expect.stringMatching(/holds files retain did not write there \(notes\.txt\)/),
    ]);
    expect(snapshot()).toEqual(before);
    rmSync(join(root, 'run', 'notes.txt'));
  });
});

describe('retain score --out where the file system says no (exit 3, nothing left)', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    [
      'under a file',
      ['--out', 'notes.txt/out'],
      /cannot write \S+\/notes\.txt\/out: a file is in the way \(EEXIST at \S+\/notes\.txt\)/,
    ],
    ['a name too long', ['--out', 'x'.repeat(300)], /: file name too long \(ENAMETOOLONG\)/],
  ])('%s', async (_, flags, message) => {
    const before = snapshot();
    const r = await retain(['score', ...inputs, ...flags], root);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(3);
    expect(snapshot()).toEqual(before);
  });
});

describe('the single-file outputs refuse a folder or a file retain did not write (exit 2)', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['train --out a folder', ['train', ...data('billing-'), '--out', 'mine'], /--out \S+\/mine is a folder/],
    [
      'train --out a billing file',
      ['train', ...data('billing-'), '--out', 'data/billing-2025-07.csv'],
      /exists and is not a retain model file/,
    ],
    [
      'train --out a file that only starts like a model',
      ['train', ...data('billing-'), '--out', 'look-alike.json'],
      /look-alike\.json exists and is not a retain model file/,
    ],
    ['report --out a folder', ['report', 'run', '--out', 'mine'], /--out \S+\/mine is a folder/],
    [
      'report --out a user file',
      ['report', 'run', '--out', 'notes.txt'],
      /exists and is not a report written by retain report/,
    ],
    [
      'evaluate --out a folder',
      ['evaluate', 'run', 'data/billing-2025-07.csv', '--out', 'mine'],
      /--out \S+\/mine is a folder/,
    ],
    [
      'evaluate --out a user file',
      ['evaluate', 'run', 'data/billing-2025-07.csv', '--out', 'notes.txt'],
      /is not an evaluation written by retain evaluate/,
    ],
    [
      'validate --rejects a device',
      ['validate', 'data/billing-2025-07.csv', '--rejects', '/dev/null'],
      /--rejects \/dev\/null is not a regular file/,
    ],
  ])('%s', async (_, args, message) => {
    const before = snapshot();
    const r = await retain(args, root);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(snapshot()).toEqual(before);
  });
});

describe('an output flag naming standard output, a stream or a device is refused before any work (exit 2)', () => {
  // `-` was written as a file or folder named "-", and /dev/stdout failed (exit 3) once the work was
  // done. Only the feature file, as CSV, goes to standard output (features.test.ts).
  const billing = data('billing-');
  const next = 'data/billing-2025-07.csv';
  const stream = (flag: string, value: string, what: string) =>
    `${flag} ${value} is a standard stream, not a path for ${what}; give a path`;
  const dash = (flag: string, what: string) => `${flag} -: ${what} cannot go to standard output; give a path`;
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['train --out -',             ['train', ...billing, '--out', '-'],             dash('--out', 'the model file')],
    ['train --out /dev/stdout',   ['train', ...billing, '--out', '/dev/stdout'],   stream('--out', '/dev/stdout', 'the model file')],
    ['score --out -',             ['score', ...inputs, '--out', '-'],              dash('--out', 'the output folder')],
    ['score --out /dev/stdout',   ['score', ...inputs, '--out', '/dev/stdout'],    stream('--out', '/dev/stdout', 'the output folder')],
    ['merge --out -',             ['merge', 'run', '--out', '-'],                  dash('--out', 'the output folder')],
    ['report --out -',            ['report', 'run', '--out', '-'],                 dash('--out', 'the report')],
    ['report --out /dev/fd/1',    ['report', 'run', '--out', '/dev/fd/1'],         stream('--out', '/dev/fd/1', 'the report')],
    ['evaluate --out -',          ['evaluate', 'run', next, '--out', '-'],         dash('--out', 'the evaluation')],
    ['validate --rejects -',      ['validate', next, '--rejects', '-'],            dash('--rejects', 'the rejects file')],
    ['score --rejects /proc/self/fd/2', ['score', ...inputs, '--out', 'x', '--rejects', '/proc/self/fd/2'], stream('--rejects', '/proc/self/fd/2', 'the rejects file')],
    ['train --out models/',         ['train', ...billing, '--out', 'models/'],       '--out models/ names a folder (it ends in a slash); give a path for the model file'],
    ['features --out -/',         ['features', ...billing, '--out', '-/'],         '--out -/ names a folder (it ends in a slash); give a path for the feature file'],
    ['features --rejects //dev/stderr', ['features', ...billing, '--rejects', '//dev/stderr'], stream('--rejects', '//dev/stderr', 'the rejects file')],
    ['train --out /dev/./fd/2',   ['train', ...billing, '--out', '/dev/./fd/2'],   stream('--out', '/dev/./fd/2', 'the model file')],
    [
      'features --format parquet --out -',
      ['features', ...billing, '--format', 'parquet', '--out', '-'],
      '--out -: the feature file cannot go to standard output (only --format csv does); give a path',
    ],
    [
      'features --out /dev/stdout',
      ['features', ...billing, '--out', '/dev/stdout'],
      '--out /dev/stdout is a standard stream, not a path for the feature file; give --out - to write it to standard output',
    ],
    [
      'score --out /dev/null',
      ['score', ...inputs, '--out', '/dev/null'],
      '--out /dev/null is not a regular file (a device, pipe or socket); retain writes only regular files and folders',
    ],
  ])('%s', async (_, args, message) => {
    const before = snapshot();
    const r = await retain(args, root);
    expect(r.code, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toBe(message);
    // Before any work: no input was read.
    expect(r.stderr).not.toMatch(/"msg":"(billing: read|phase)"/);
    expect(snapshot()).toEqual(before);
  });
});

describe('an output that is the file a shell opened for standard output or error is refused', () => {
  // `retain features … --out o.csv > o.csv`, or a link to /dev/stdout: the rename would put the
  // output in place of the file the shell redirects to (an empty file, which retain may replace).
  const BIN = resolve(import.meta.dirname, '../../bin/retain');
  it.each([
    ['the same path', (file: string) => file],
    [
      'a link to /dev/stdout',
      (file: string) => {
        const link = `${file}.link`;
        symlinkSync('/dev/stdout', link);
        return link;
      },
    ],
  ])('through %s (exit 2), the file left as it was', (_, name) => {
    // A folder of its own: the link to /dev/stdout must not meet the other tests' snapshots.
    const file = join(mkdtempSync(join(tmpdir(), 'retain-redirected-')), 'o.csv');
    writeFileSync(file, '');
    const inode = statSync(file).ino;
    const fd = openSync(file, 'a');
    const r = spawnSync(process.execPath, [BIN, 'features', ...data('billing-'), '--out', name(file)], {
      cwd: root,
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
    });
    closeSync(fd);
    expect(r.status, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toMatch(
      /^--out \S+ is a standard stream, not a path for the feature file/,
    );
    expect(statSync(file).ino).toBe(inode);
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});

describe('an output that is a device is named one, whatever the standard streams are', () => {
  it('score --out /dev/null with /dev/null as standard input and output (as under cron)', () => {
    const BIN = resolve(import.meta.dirname, '../../bin/retain');
    const r = spawnSync(process.execPath, [BIN, 'score', ...data('billing-'), '--out', '/dev/null'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toBe(
      '--out /dev/null is not a regular file (a device, pipe or socket); retain writes only regular files and folders',
    );
  });
});

describe('retain score --table writes its folder as safely', () => {
  it('refuses a folder of the user, then writes a marked folder of scores', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${(i * 37) % 101},${i % 7 === 0 ? 1 : 0}`);
    writeFileSync(join(root, 'wide.csv'), `id,usage,churned\n${rows.join('\n')}\n`);
    const table = ['--table', 'wide.csv', '--id', 'id'];
    const train = await retain(
      ['-q', 'train', ...table, '--label', 'churned', '--trees', '5', '--out', 'wide.json'],
      root,
    );
    expect(train.code, train.stderr).toBe(0);
    const before = snapshot();
    const refused = await retain(['score', ...table, '--model', 'wide.json', '--out', 'mine'], root);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      expect.stringMatching(/--out \S+\/mine exists and holds files/),
    ]);
    expect(snapshot()).toEqual(before);
    const r = await retain(['-q', 'score', ...table, '--model', 'wide.json', '--out', 'wide-scores'], root);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(root, 'wide-scores', 'retain-run.json'), 'utf8'));
    expect(manifest).toMatchObject({ command: 'score', month: null, table_format: 'csv' });
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['scores.csv', 'summary.json']);
    expect(manifest.inputs.map((i: { kind: string }) => i.kind)).toEqual(['table', 'model']);
    expect(readdirSync(root).filter((n) => n.includes('retain-'))).toEqual([]);
  }, 60_000);
});

describe('retain replaces what it wrote itself', () => {
  it('a scored folder holding its report, and the report and evaluation it wrote', async () => {
    expect((await retain(['-q', 'report', 'run'], root)).code).toBe(0);
    expect(
      (await retain(['-q', 'evaluate', 'run', 'data/billing-2025-07.csv', '--out', 'e.json'], root)).code,
    ).toBe(0);
    const r = await retain(['-q', 'score', ...june, '--out', 'run', '--format', 'arrow'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(root, 'run')).sort()).toEqual([
      'retain-run.json',
      'scores.arrow',
      'summary.json',
      'targets',
    ]);
    expect((await retain(['-q', 'report', 'run'], root)).code).toBe(0);
    expect((await retain(['-q', 'report', 'run'], root)).code).toBe(0);
    expect(readFileSync(join(root, 'e.json'), 'utf8')).toMatch(/^\{\n {2}"format": "retain-evaluation"/);
    expect(readdirSync(root).filter((n) => n.includes('retain-'))).toEqual([]);
  }, 60_000);
});
