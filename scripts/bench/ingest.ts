/**
 * CDR ingest benchmark: writes a contract-conformant CDR CSV (default 5 million rows, ~100k subscribers)
 * into a temp folder, reads it with readCdr into a counting sink, and reports rows/s, MB/s and peak RSS
 * (sampled during the read, to show memory does not grow with the file). When DuckDB's Node API is
 * installed in /tmp/duck, times the peer aggregation (../shared/bench/duckdb_cdr.mjs) on the same file.
 *
 *   npx tsx scripts/bench/ingest.ts [--rows 5000000] [--dir DIR]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CdrEvent } from '../../src/contract.js';
import { readCdr } from '../../src/io/index.js';
import { createRandom } from '../../src/random.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '5000000' }, dir: { type: 'string' } },
});
const rows = Number(values.rows);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'retain-ingest-'));
const file = join(dir, `cdr-${rows}.csv`);
const SUBSCRIBERS = 100_000;
const CARE = ['10010', '10086', '10000'];

async function writeCdr(): Promise<void> {
  const rnd = createRandom(42, 1);
  const out = createWriteStream(file);
  let buf = 'subscriber_id,start_time,event_type,direction,duration_s,bytes,other_party,charge\n';
  const base = Date.UTC(2024, 2, 1) / 1000;
  for (let i = 0; i < rows; i++) {
    const sub = `0${String(138_0000_0000 + rnd.int(SUBSCRIBERS) * 7919).padStart(11, '0')}`;
    const t = new Date((base + rnd.int(31 * 86_400)) * 1000).toISOString().slice(0, 19);
    const u = rnd.next();
    if (u < 0.55) {
      const other = rnd.next() < 0.01 ? CARE[rnd.int(3)]! : `13${String(rnd.int(1e9)).padStart(9, '0')}`;
      buf += `${sub},${t},voice,${rnd.next() < 0.5 ? 'in' : 'out'},${rnd.int(900)},,${other},${(rnd.int(500) / 100).toFixed(2)}\n`;
    } else if (u < 0.75) {
      buf += `${sub},${t},sms,${rnd.next() < 0.5 ? 'in' : 'out'},,,13${String(rnd.int(1e9)).padStart(9, '0')},0.10\n`;
    } else buf += `${sub},${t},data,,,${rnd.int(50_000_000)},,\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

if (!existsSync(file)) await writeCdr();
const bytes = statSync(file).size;
let count = 0;
let seconds = 0;
const sink = {
  add(e: Readonly<CdrEvent>) {
    count++;
    seconds += e.durationS;
  },
};
let peak = process.memoryUsage().rss;
const rssBefore = peak;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const t0 = performance.now();
const report = await readCdr(file, sink);
const s = (performance.now() - t0) / 1000;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
const mb = bytes / 1e6;
console.log(
  `retain readCdr rows=${report.rows} accepted=${report.accepted} file_mb=${mb.toFixed(0)} seconds=${s.toFixed(2)} ` +
    `rows_per_s=${Math.round(report.rows / s)} mb_per_s=${(mb / s).toFixed(1)} ` +
    `rss_before_mb=${(rssBefore / 1e6).toFixed(0)} peak_rss_mb=${(peak / 1e6).toFixed(0)} subscribers=${report.subscribers} sink_events=${count} (checksum ${seconds})`,
);

const duck = '/tmp/duck/node_modules';
const peer = resolve(import.meta.dirname, '../../../shared/bench/duckdb_cdr.mjs');
if (existsSync(join(duck, '@duckdb/node-api')) && existsSync(peer)) {
  const t1 = performance.now();
  const outText = execFileSync('node', [peer, file], {
    env: { ...process.env, NODE_PATH: duck },
    encoding: 'utf8',
  });
  console.log(`${outText.trim()} wall_seconds=${((performance.now() - t1) / 1000).toFixed(2)}`);
} else console.log('duckdb peer not installed (npm install --prefix /tmp/duck @duckdb/node-api); skipped');
if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
