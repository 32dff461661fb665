/**
 * Parquet reading beside CSV on the same month: generates one month of a synthetic operator (billing
 * and CDR CSV, `scripts/generate.ts`), writes its billing and CDR files as typed Parquet too (DATE,
 * TIMESTAMP, INT64, DOUBLE, STRING; snappy, row groups of 100,000), then reads each file with
 * retain's readers, CSV and Parquet in turn, `--runs` times in the same process. Prints per file and
 * format the seconds of each run, the best, rows/s and MB/s of the file as stored; then the process's
 * peak RSS (both readers hold one chunk or row group at a time).
 *
 * With `--tables DIR` (the public churn tables, ../shared/data; see SOURCES.md there) it also reads each
 * public table as a wide table (`readCellTable`, what `train --table` reads), CSV and its Parquet copy
 * in turn. Their columns are written as Parquet strings, as an export with no declared types would be.
 *
 *   npx tsx scripts/bench/parquet.ts [--subscribers 50000] [--runs 3] [--dir DIR] [--tables DIR]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readBilling, readCdr, readCellTable } from '../../src/io/index.js';
import { csvToParquet } from '../../test/helpers/parquet.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string' },
    tables: { type: 'string' },
  },
});
const subscribers = Number(values.subscribers);
const runs = Number(values.runs);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'retain-parquet-bench-'));
const root = resolve(import.meta.dirname, '../..');

const csvOf = (prefix: string) => readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.csv'));
if (csvOf('billing-') === undefined) {
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'scripts/generate.ts'),
      '--subscribers',
      String(subscribers),
      '--months',
      '1',
      '--seed',
      '1',
      '--no-truth',
      '--out',
      dir,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: root },
  );
}

const PUBLIC_TABLES = [
  'ibm-telco/Telco-Customer-Churn.csv',
  'bigml-churn/churn-bigml-80.csv',
  'iranian-churn/Customer_Churn.csv',
];
const files = [
  ...(['billing-', 'cdr-'] as const).map((prefix) => {
    const csv = join(dir, csvOf(prefix)!);
    return { kind: prefix.slice(0, -1), csv, parquet: csv.replace(/\.csv$/, '.parquet') };
  }),
  ...(values.tables === undefined
    ? []
    : PUBLIC_TABLES.map((t) => ({
        kind: 'table',
        csv: join(values.tables!, t),
        parquet: join(dir, `${t.replace(/[/.]/g, '_')}.parquet`),
      }))),
];
for (const f of files) {
  if (existsSync(f.parquet)) continue;
  const t0 = performance.now();
  await csvToParquet(f.csv, f.parquet, { codec: 'SNAPPY', rowGroupSize: 100_000 });
  process.stderr.write(`wrote ${f.parquet} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

let peak = 0;
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 25);

/** Reads `path` once with the reader of its kind; returns the rows read. */
async function readOnce(kind: string, path: string): Promise<number> {
  if (kind === 'billing') return (await readBilling([path])).files[0]!.rows;
  if (kind === 'table') return (await readCellTable(path)).rowCount;
  let events = 0;
  const report = await readCdr(path, { add: () => void events++ });
  if (events !== report.accepted)
    throw new Error(`${path}: ${events} events for ${report.accepted} accepted`);
  return report.rows;
}

console.log(`month of ${subscribers} subscribers in ${dir}, ${runs} runs each, CSV and Parquet in turn`);
for (const f of files) {
  const seconds: Record<string, number[]> = { csv: [], parquet: [] };
  const rows: Record<string, number> = {};
  for (let r = 0; r < runs; r++) {
    for (const format of ['csv', 'parquet'] as const) {
      const path = format === 'csv' ? f.csv : f.parquet;
      const t0 = performance.now();
      rows[format] = await readOnce(f.kind, path);
      seconds[format]!.push((performance.now() - t0) / 1000);
    }
  }
  if (rows.csv !== rows.parquet)
    throw new Error(`${f.kind}: ${rows.csv} CSV rows, ${rows.parquet} Parquet rows`);
  for (const format of ['csv', 'parquet'] as const) {
    const path = format === 'csv' ? f.csv : f.parquet;
    const mb = statSync(path).size / 1e6;
    const best = Math.min(...seconds[format]!);
    console.log(
      `${f.kind.padEnd(7)} ${format.padEnd(7)} ${f.kind === 'table' ? `${f.csv.split('/').at(-1)} ` : ''}rows=${rows[format]} file_mb=${mb.toFixed(1)} ` +
        `runs_s=${seconds[format]!.map((s) => s.toFixed(2)).join('/')} best_s=${best.toFixed(2)} ` +
        `rows_per_s=${Math.round(rows[format]! / best)} mb_per_s=${(mb / best).toFixed(1)}`,
    );
  }
}
clearInterval(sample);
console.log(`peak_rss_mb=${(Math.max(peak, process.memoryUsage().rss) / 1e6).toFixed(0)}`);
