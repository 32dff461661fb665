import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentId } from '../../src/contract.js';
import {
  checkOutputFile,
  InputError,
  type OwnedFileKind,
  out,
  REJECTS_HEADER,
  UsageError,
  writeArrow,
  writeOwnedFile,
  writeParquet,
} from '../../src/index.js';
import { loadSchemaReaders } from '../../src/io/output-file.js';
import { tempDir } from './helpers.js';

/** A model file as retain writes it: the format tag first, the id the hash of the rest. */
const model = (body: Record<string, unknown>) => {
  const { format, version, ...rest } = body;
  return JSON.stringify({ format, version, id: contentId(body), ...rest });
};

/** The first bytes of a file of each kind, as retain writes it (a model whole: its id is checked). */
// biome-ignore format: a case table reads best aligned
const OWN: Record<OwnedFileKind, string> = {
  model: model({ format: 'retain-model', version: 1, engine: 'boost' }),
  report: '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>retain: 2025-07</title>',
  evaluation: '{\n  "format": "retain-evaluation",\n  "version": 1\n}\n',
  rejects: `${REJECTS_HEADER}\nb.csv,2,month,bad_month,x,not a month\n`,
  features: '\uFEFFsubscriber_id,month,churned_next_month,voice_out_calls\nA,2025-07,0,3\n',
};
const KINDS = Object.keys(OWN) as OwnedFileKind[];

describe('checkOutputFile', () => {
  // An Arrow or Parquet feature file is recognised by its schema, read with the readers loaded here.
  beforeAll(loadSchemaReaders);

  it.each(KINDS)('lets a %s replace a file of its own kind, an empty file, or nothing', (kind) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'own'), OWN[kind]);
    writeFileSync(join(dir, 'empty'), '');
    for (const name of ['own', 'empty', 'new'])
      expect(checkOutputFile(join(dir, name), kind, '--out')).toBe(join(dir, name));
  });

  it('knows a feature file in Arrow by the column names of its schema, and no other Arrow file', async () => {
    const dir = tempDir();
    const table = (names: string[]) => ({ n: 2, columns: names.map((h) => out.number(h, (i) => i)) });
    await writeArrow(
      table(['subscriber_id', 'month', 'churned_next_month', 'voice_out_calls']),
      join(dir, 'f'),
    );
    expect(checkOutputFile(join(dir, 'f'), 'features', '--out')).toBe(join(dir, 'f'));
    // The names elsewhere than first, in another order, or inside longer names: someone else's file.
    const others = [
      ['subscriber_id', 'month', 'churn_probability'],
      ['note', 'subscriber_id', 'month', 'churned_next_month'],
      ['month', 'subscriber_id', 'churned_next_month'],
      ['subscriber_id_hash', 'month_seen', 'churned_next_month_reviewed'],
    ];
    for (const [k, names] of others.entries()) {
      const path = join(dir, `g${k}`);
      await writeArrow(table(names), path);
      const before = readFileSync(path);
      expect(() => checkOutputFile(path, 'features', '--out')).toThrow(
        'exists and is not a feature file written by retain features',
      );
      expect(readFileSync(path).equals(before)).toBe(true);
    }
  });

  it('knows a feature file in Parquet by the first columns of its schema, and no other Parquet file', async () => {
    const dir = tempDir();
    const table = (names: string[]) => ({ n: 2, columns: names.map((h) => out.number(h, (i) => i)) });
    await writeParquet(table(['subscriber_id', 'month', 'churned_next_month', 'x']), join(dir, 'f.parquet'));
    expect(checkOutputFile(join(dir, 'f.parquet'), 'features', '--out')).toBe(join(dir, 'f.parquet'));
    await writeParquet(table(['subscriber_id', 'churned_next_month', 'month']), join(dir, 'g.parquet'));
    expect(() => checkOutputFile(join(dir, 'g.parquet'), 'features', '--out')).toThrow(
      'exists and is not a feature file written by retain features',
    );
    // A damaged file that merely starts as Parquet does.
    writeFileSync(join(dir, 'h.parquet'), 'PAR1garbagegarbagePAR1');
    expect(() => checkOutputFile(join(dir, 'h.parquet'), 'features', '--out')).toThrow(UsageError);
  });

  it('knows an evaluation of an older retain, written without its tag', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'e.json'), '{\n  "nextMonth": "2025-07",\n  "evaluated": 3\n}\n');
    expect(checkOutputFile(join(dir, 'e.json'), 'evaluation', '--out')).toBe(join(dir, 'e.json'));
  });

  it.each(KINDS)('refuses to let a %s replace a file of another kind or of the user (exit 2)', (kind) => {
    const dir = tempDir();
    const others = [
      ...KINDS.filter((k) => k !== kind).map((k) => OWN[k]),
      'subscriber_id,month\n1,2025-07\n',
    ];
    others.forEach((text, i) => {
      const p = join(dir, `f${i}`);
      writeFileSync(p, text);
      expect(() => checkOutputFile(p, kind, '--out')).toThrow(UsageError);
      expect(() => checkOutputFile(p, kind, '--out')).toThrow(`--out ${p} exists and is not a`);
      expect(readFileSync(p, 'utf8')).toBe(text);
    });
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['a folder', (d: string) => mkdirSync(join(d, 'x')), /is a folder; give the path of a file/],
    [
      'a dangling link',
      (d: string) => symlinkSync(join(d, 'none'), join(d, 'x')),
      /is a symbolic link to nothing/,
    ],
  ])('refuses %s (exit 2)', (_, make, message) => {
    const dir = tempDir();
    make(dir);
    expect(() => checkOutputFile(join(dir, 'x'), 'model', '--out')).toThrow(message);
  });

  it('refuses a device: /dev/null would be replaced by a regular file', () => {
    expect(() => checkOutputFile('/dev/null', 'rejects', '--rejects')).toThrow(
      '--rejects /dev/null is not a regular file (a device, pipe or socket)',
    );
  });

  it('refuses, before any work, a path through a file (exit 3)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'f'), 'x');
    expect(() => checkOutputFile(join(dir, 'f', 'model.json'), 'model', '--out')).toThrow(InputError);
    expect(() => checkOutputFile(join(dir, 'f', 'a', 'model.json'), 'model', '--out')).toThrow(
      /a part of the path is a file, not a folder \(ENOTDIR/,
    );
  });

  it('refuses a file that starts like a model but whose content does not hash to its id', () => {
    const dir = tempDir();
    const edited = OWN.model.replace('"boost"', '"forest"');
    writeFileSync(join(dir, 'edited.json'), edited);
    writeFileSync(join(dir, 'look-alike.json'), '{"format":"retain-model","mine":"precious"}');
    writeFileSync(join(dir, 'uplift.json'), model({ format: 'retain-uplift-model', version: 1 }));
    for (const name of ['edited.json', 'look-alike.json'])
      expect(() => checkOutputFile(join(dir, name), 'model', '--out')).toThrow(
        /exists and is not a retain model file; retain replaces only a file it wrote/,
      );
    expect(checkOutputFile(join(dir, 'uplift.json'), 'model', '--out')).toBe(join(dir, 'uplift.json'));
  });

  it('follows a link to a file of its kind: the file is replaced, the link stays', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'v3.json'), OWN.model);
    symlinkSync(join(dir, 'v3.json'), join(dir, 'current.json'));
    const written = await writeOwnedFile(join(dir, 'current.json'), 'model', '--out', (tmp) =>
      writeFile(tmp, `${OWN.model}new`),
    );
    expect(written).toBe(join(dir, 'v3.json'));
    expect(readFileSync(join(dir, 'current.json'), 'utf8')).toBe(`${OWN.model}new`);
  });
});
