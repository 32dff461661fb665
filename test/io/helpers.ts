import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Table, tableToIPC } from 'apache-arrow';
import type { CdrEvent } from '../../src/index.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'retain-io-'));
}

/** Writes `table` as CSV text, gzipped CSV, Arrow file and Arrow stream; returns the four paths. */
export function writeAllFormats(
  dir: string,
  name: string,
  csv: string,
  table: Table,
): Record<string, string> {
  const paths = {
    csv: join(dir, `${name}.csv`),
    gzip: join(dir, `${name}.csv.gz`),
    arrowFile: join(dir, `${name}.arrow`),
    arrowStream: join(dir, `${name}.arrows`),
  };
  writeFileSync(paths.csv, csv);
  writeFileSync(paths.gzip, gzipSync(csv));
  writeFileSync(paths.arrowFile, tableToIPC(table, 'file'));
  writeFileSync(paths.arrowStream, tableToIPC(table, 'stream'));
  return paths;
}

/**
 * A copy of an event's contract fields: the plain-CSV fast path also hands over the keys it worked
 * out (subscriberKey, otherPartyHash), which the ordinary path leaves to the sink.
 */
export function contractFields(e: CdrEvent): CdrEvent {
  const { subscriberKey: _key, otherPartyHash: _hash, ...fields } = e;
  return fields;
}

/** A pid that runs no process now (a child that has exited). */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}
