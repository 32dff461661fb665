/**
 * Parquet end to end on the shipped sample operator. Its billing and CDR files are converted to
 * typed Parquet (DATE, TIMESTAMP, INT64, DOUBLE, STRING; several codecs and row groups): scoring them
 * gives byte for byte the scores and lists the CSV files give. A scored folder written as Parquet is
 * reported, evaluated and merged as its CSV twin is.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LISTS, listTable, openScoredFolder, type ScoredTable } from '../../src/index.js';
import { errorMessage, retain } from '../helpers/cli.js';
import { CODECS, col, csvToParquet, parquetBytes } from '../helpers/parquet.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const billing = files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f));
const cdr = files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f));
const dir = mkdtempSync(join(tmpdir(), 'retain-parquet-'));
const read = (...p: string[]) => readFileSync(join(dir, ...p));
const pq = (p: string) =>
  join(
    dir,
    'in',
    p
      .split('/')
      .pop()!
      .replace(/\.csv(\.gz)?$/, '.parquet'),
  );

beforeAll(async () => {
  mkdirSync(join(dir, 'in'));
  // Each file in another codec, CDR files in several row groups.
  const all = [...billing, ...cdr];
  for (const [k, p] of all.entries())
    await csvToParquet(p, pq(p), { codec: CODECS[k % CODECS.length]!, rowGroupSize: 20_000 });
  const runs: [string, string[]][] = [
    ['csv', [...billing, '--cdr', ...cdr]],
    ['parquet-in', [...billing.map(pq), '--cdr', ...cdr.map(pq)]],
  ];
  for (const [out, inputs] of runs) {
    const r = await retain(['-q', 'score', ...inputs, '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
  }
  // June scored, so that July is its outcome for evaluate.
  const june = [...billing.slice(0, -1), '--cdr', ...cdr.slice(0, -1)];
  for (const [out, more] of [
    ['june-csv', []],
    ['parquet-out', ['--format', 'parquet']],
    ['s0', ['--format', 'parquet', '--shard', '0/2']],
    ['s1', ['--format', 'parquet', '--shard', '1/2']],
  ] as const) {
    const r = await retain(['-q', 'score', ...june, '--out', out, ...more], dir);
    expect(r.code, r.stderr).toBe(0);
  }
}, 300_000);

describe('Parquet inputs', () => {
  it('give byte for byte the scores and lists of the same month in CSV', () => {
    const scores = read('csv', 'scores.csv');
    expect(scores.toString().split('\n').length).toBeGreaterThan(1000);
    expect(read('parquet-in', 'scores.csv').equals(scores)).toBe(true);
    for (const l of LISTS)
      expect(read('parquet-in', 'targets', `${l}.csv`).equals(read('csv', 'targets', `${l}.csv`))).toBe(true);
    const summary = (d: string) => JSON.parse(read(d, 'summary.json').toString());
    expect(summary('parquet-in').kpis).toEqual(summary('csv').kpis);
  });

  it('are named with their format in the manifest inputs and sizes', () => {
    const m = JSON.parse(read('parquet-in', 'retain-run.json').toString());
    expect(m.inputs.filter((i: { path: string }) => i.path.endsWith('.parquet'))).toHaveLength(
      billing.length + cdr.length,
    );
  });

  it('that are truncated stop the run with exit 3, naming the file', async () => {
    const whole = readFileSync(pq(billing[0]!));
    const cut = join(dir, 'in', 'cut.parquet');
    writeFileSync(cut, whole.subarray(0, whole.length - 100));
    const r = await retain(['score', cut, ...billing.slice(1).map(pq), '--out', 'cut'], dir);
    expect(r.code).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(
      new RegExp(`^${cut}: cannot read the Parquet file: it is truncated or damaged`),
    );
  });
});

describe('a scored folder in Parquet', () => {
  it('holds Parquet tables and says so in its manifest', () => {
    expect(readdirSync(join(dir, 'parquet-out')).sort()).toEqual([
      'retain-run.json',
      'scores.parquet',
      'summary.json',
      'targets',
    ]);
    expect(read('parquet-out', 'scores.parquet').subarray(0, 4).toString()).toBe('PAR1');
    expect(JSON.parse(read('parquet-out', 'retain-run.json').toString()).table_format).toBe('parquet');
  });

  it('is reported as its CSV twin is', async () => {
    for (const f of ['june-csv', 'parquet-out']) {
      const r = await retain(['report', f, '--out', `${f}.html`, '--top', '20'], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(read('parquet-out.html').toString()).toContain('Retention report for 2025-06');
    expect(read('parquet-out.html').toString()).toBe(read('june-csv.html').toString());
  });

  it('is evaluated as its CSV twin is', async () => {
    const out: Record<string, { stdout: string; json: unknown }> = {};
    for (const f of ['june-csv', 'parquet-out']) {
      const r = await retain(['evaluate', f, billing.at(-1)!, '--out', `${f}.json`], dir);
      expect(r.code, r.stderr).toBe(0);
      out[f] = { stdout: r.stdout, json: JSON.parse(read(`${f}.json`).toString()) };
    }
    expect(out['parquet-out']!.stdout).toMatch(
      /^2025-06 scored, outcome from 2025-07: 1120 subscribers, 22 left/,
    );
    // Each names the folder it measured; nothing else differs.
    const { scoredFolder: parquetFolder, ...parquet } = out['parquet-out']!.json as Record<string, unknown>;
    const { scoredFolder: csvFolder, ...csv } = out['june-csv']!.json as Record<string, unknown>;
    expect(parquetFolder).toMatchObject({ path: join(dir, 'parquet-out') });
    expect(csvFolder).toMatchObject({ path: join(dir, 'june-csv') });
    expect(out['parquet-out']!.stdout).toBe(out['june-csv']!.stdout);
    expect(parquet).toEqual(csv);
  });

  it('merges from Parquet shards into the folder one process writes', async () => {
    const r = await retain(['merge', 's0', 's1', '--format', 'parquet', '--out', 'merged'], dir);
    expect(r.code, r.stderr).toBe(0);
    const asCsv = await retain(['-q', 'merge', 's0', 's1', '--out', 'merged-csv'], dir);
    expect(asCsv.code, asCsv.stderr).toBe(0);
    const rows = async (folder: string, name: ScoredTable) => {
      const t = await (await openScoredFolder(join(dir, folder))).readTable(name);
      return t.columns[0]!.map((_, i) => t.columns.map((c) => c[i]).join(','));
    };
    expect((await rows('merged', 'scores')).sort()).toEqual((await rows('parquet-out', 'scores')).sort());
    for (const l of LISTS) {
      expect(await rows('merged', listTable(l))).toEqual(await rows('parquet-out', listTable(l)));
      expect(await rows('merged', listTable(l))).toEqual(await rows('merged-csv', listTable(l)));
    }
  });
});

describe('a wide Parquet table (--table)', () => {
  it('trains and scores as its CSV does', async () => {
    const n = 300;
    const tenure = Array.from({ length: n }, (_, i) => (i * 7) % 60);
    const calls = Array.from({ length: n }, (_, i) => ((i * 13) % 11 === 5 ? null : (i * 13) % 11));
    const plan = Array.from({ length: n }, (_, i) => ['basic', 'plus', 'max'][i % 3]!);
    const label = tenure.map((t, i) => (t < 12 && (calls[i] ?? 0) > 6 ? 1 : 0));
    const csv = tenure.map((t, i) => `C${i},${t},${calls[i] ?? ''},${plan[i]},${label[i]}`);
    writeFileSync(join(dir, 'wide.csv'), `customer,tenure,care_calls,plan,churned\n${csv.join('\n')}\n`);
    writeFileSync(
      join(dir, 'wide.parquet'),
      parquetBytes(
        [
          {
            element: col('customer', 'BYTE_ARRAY', { converted_type: 'UTF8' }),
            data: tenure.map((_, i) => `C${i}`),
          },
          { element: col('tenure', 'INT64'), data: tenure.map(BigInt) },
          { element: col('care_calls', 'DOUBLE'), data: calls },
          { element: col('plan', 'BYTE_ARRAY', { converted_type: 'UTF8' }), data: plan },
          { element: col('churned', 'BOOLEAN'), data: label.map((v) => v === 1) },
        ],
        { codec: 'ZSTD', rowGroupSize: 64 },
      ),
    );
    const train = ['-q', 'train', '--label', 'churned', '--id', 'customer', '--trees', '5', '--seed', '3'];
    for (const f of ['csv', 'parquet']) {
      const t = await retain([...train, '--table', `wide.${f}`, '--out', `wide-${f}.json`], dir);
      expect(t.code, t.stderr).toBe(0);
      const s = await retain(
        ['-q', 'score', '--table', `wide.${f}`, '--model', 'wide-csv.json', '--out', `wide-${f}`],
        dir,
      );
      expect(s.code, s.stderr).toBe(0);
    }
    expect(read('wide-parquet', 'scores.csv').equals(read('wide-csv', 'scores.csv'))).toBe(true);
    const model = (f: string) => {
      // The id hashes the model with its command line, which names the file.
      const { id: _, ...rest } = JSON.parse(read(`wide-${f}.json`).toString());
      return JSON.stringify(rest).replaceAll('wide.parquet', 'wide.csv');
    };
    expect(model('parquet')).toBe(model('csv'));
  });
});
