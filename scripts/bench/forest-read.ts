/**
 * Reading a wide table as `retain train --table` reads it (readCellTable), timed: wall and CPU
 * seconds, MB/s of each, and peak RSS. Generate a table with forest.ts --generate first, e.g.
 *   npx tsx scripts/bench/forest.ts --generate t1m66.csv --rows 1000000 --features 66 --churn 0.12
 *   npx tsx scripts/bench/forest-read.ts t1m66.csv
 */
import { statSync } from 'node:fs';
import { readCellTable } from '../../src/index.js';

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: forest-read.ts <table.csv>');
  process.exit(2);
}
const mb = statSync(path).size / 1e6;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const table = await readCellTable(path);
const wall = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
const cpu = (used.user + used.system) / 1e6;
const rssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(
  `${path}: ${table.rowCount} rows x ${table.names.length} columns, ${mb.toFixed(0)} MB: ` +
    `${wall.toFixed(2)} s wall (${(mb / wall).toFixed(1)} MB/s), ${cpu.toFixed(2)} s CPU (${(mb / cpu).toFixed(1)} MB/s), peak RSS ${rssMiB} MiB`,
);
