/**
 * `retain score --split-by unit|manager` end to end on generated billing with owner columns, one of
 * them rewritten to hostile values: each owner's lists are the whole lists' rows of that owner, in
 * safe folders inside the output, listed by the index and the manifest.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator } from '../../scripts/generate/index.js';
import { LISTS } from '../../src/index.js';
import { errorMessage, retain } from '../helpers/cli.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => {
  const r = Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
};

const dir = mkdtempSync(join(tmpdir(), 'retain-split-'));
const data = join(dir, 'data');
const plain = join(dir, 'plain');
const billing = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.startsWith('billing-'))
    .sort()
    .map((f) => join(folder, f));

beforeAll(async () => {
  const options = { subscribers: 900, months: 5, seed: 4, start: '2025-10' };
  await generateOperator(options, createFileSinks({ out: data, cdr: false, truth: false, units: 3 }));
  await generateOperator(options, createFileSinks({ out: plain, cdr: false, truth: false }));
  // Hostile unit names: a path out of the folder, and two that clean to one name.
  for (const path of billing(data))
    writeFileSync(
      path,
      readFileSync(path, 'utf8')
        .replaceAll(',unit-01', ',../../../escaped')
        .replaceAll(',unit-02', ',North/East')
        .replaceAll(',unit-03', ',north east'),
    );
  const train = await retain(
    ['train', ...billing(data).slice(0, -1), '--out', 'model.json', '--trees', '10', '--log-level', 'warn'],
    dir,
  );
  expect(train.code, train.stderr).toBe(0);
  for (const by of ['unit', 'manager']) {
    const r = await retain(
      ['score', ...billing(data), '--model', 'model.json', '--split-by', by, '--out', `by-${by}`],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
  }
}, 240_000);

describe('score --split-by', () => {
  it.each(['unit', 'manager'])("splits every list by %s: each owner's rows, in the list's order", (by) => {
    const out = join(dir, `by-${by}`);
    const index = JSON.parse(readFileSync(join(out, 'targets', `by-${by}`, 'index.json'), 'utf8'));
    expect(index.by).toBe(by);
    const manifest = JSON.parse(readFileSync(join(out, 'retain-run.json'), 'utf8'));
    const listed = new Set(manifest.files.map((f: { path: string }) => f.path));
    for (const list of LISTS) {
      const whole = readCsv(join(out, 'targets', `${list}.csv`));
      expect(whole.length === 0 || by in whole[0]!).toBe(true);
      const parts: Row[] = [];
      for (const owner of index.owners) {
        const rel = `targets/by-${by}/${owner.folder}/${list}.csv`;
        expect(listed.has(rel)).toBe(true);
        const rows = readCsv(join(out, ...rel.split('/')));
        expect(rows.length).toBe(owner.rows[list]);
        for (const r of rows) expect(r[by]).toBe(owner[by] ?? '');
        // Each owner's list is the whole list filtered, order kept.
        expect(rows).toEqual(whole.filter((r) => r[by] === (owner[by] ?? '')));
        parts.push(...rows);
      }
      expect(parts.length).toBe(whole.length);
    }
    expect(listed.has(`targets/by-${by}/index.json`)).toBe(true);
  });

  it('keeps hostile unit names inside the folder and apart', () => {
    const out = join(dir, 'by-unit');
    const index = JSON.parse(readFileSync(join(out, 'targets', 'by-unit', 'index.json'), 'utf8'));
    expect(index.owners.map((o: Row) => [o.unit, o.folder])).toEqual([
      ['../../../escaped', 'escaped'],
      ['North/East', 'North_East'],
      ['north east', 'north_east-2'],
    ]);
    expect(existsSync(join(dir, 'escaped'))).toBe(false);
    expect(readdirSync(join(out, 'targets', 'by-unit')).sort()).toEqual(
      ['North_East', 'escaped', 'index.json', 'north_east-2'].sort(),
    );
  });

  it('reports the KPIs, cohorts and assessment per unit in summary.json', () => {
    const s = JSON.parse(readFileSync(join(dir, 'by-unit', 'summary.json'), 'utf8'));
    expect(s.kpi_cohorts).toMatchObject({ definition: 'cohort', year_start: '2026-01' });
    expect(Object.keys(s.kpi_cohorts.by_unit).sort()).toEqual([
      '../../../escaped',
      'North/East',
      'north east',
    ]);
    expect(Object.keys(s.assessment.by_unit).sort()).toEqual(Object.keys(s.kpi_cohorts.by_unit).sort());
    expect(s.assessment.overall.management.points).toBeNull();
  });

  it('refuses (exit 3) when the billing has no such column, naming the config setting', async () => {
    const r = await retain(
      ['score', ...billing(plain), '--model', 'model.json', '--split-by', 'manager', '--out', 'none'],
      dir,
    );
    expect(r.code).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(
      /--split-by manager: the billing files have no manager column.*columns\.billing\.manager/,
    );
    expect(existsSync(join(dir, 'none', 'scores.csv'))).toBe(false);
  });

  it.each([
    [['--table', 'x.csv'], /applies to billing files, not to --table/],
    [['--shard', '0/2'], /cannot be used with --shard/],
    [['--split-by', 'region'], /region/],
  ])('refuses %j as a usage error (exit 2)', async (flags, message) => {
    const files = flags[0] === '--table' ? [] : billing(data);
    const split = flags[0] === '--split-by' ? [] : ['--split-by', 'unit'];
    const r = await retain(['score', ...files, '--model', 'model.json', ...split, ...flags], dir);
    expect(r.code).toBe(2);
    expect(errorMessage(r.stderr) + r.stderr).toMatch(message);
  });
});
