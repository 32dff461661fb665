/**
 * The scored folder read back in either format: `score --format arrow` followed by `report` and
 * `evaluate` gives what the CSV folder of the same run gives.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const of = (prefix: string) =>
  files
    .filter((f) => f.startsWith(prefix))
    .slice(0, -1)
    .map((f) => join(SAMPLE, f));
const june = [...of('billing-'), '--cdr', ...of('cdr-')];
const july = join(SAMPLE, 'billing-2025-07.csv');
const dir = mkdtempSync(join(tmpdir(), 'retain-report-'));

beforeAll(async () => {
  for (const format of ['csv', 'arrow']) {
    const r = await retain(['-q', 'score', ...june, '--format', format, '--out', format], dir);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

describe('a scored folder in Arrow', () => {
  it('holds Arrow tables and says so in its manifest', () => {
    expect(readdirSync(join(dir, 'arrow')).sort()).toEqual([
      'retain-run.json',
      'scores.arrow',
      'summary.json',
      'targets',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'arrow', 'retain-run.json'), 'utf8')).table_format).toBe(
      'arrow',
    );
  });

  it('is reported as its CSV twin is', async () => {
    for (const format of ['csv', 'arrow']) {
      const r = await retain(['report', format, '--out', `${format}.html`, '--top', '20'], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    const html = readFileSync(join(dir, 'arrow.html'), 'utf8');
    expect(html).toContain('Retention report for 2025-06');
    expect([...html.matchAll(/<tr><td>(\d{10})<\/td>/g)]).toHaveLength(20);
    expect(html).toBe(readFileSync(join(dir, 'csv.html'), 'utf8'));
  });

  it('is evaluated as its CSV twin is', async () => {
    const out: Record<string, { stdout: string; json: unknown }> = {};
    for (const format of ['csv', 'arrow']) {
      const r = await retain(['evaluate', format, july, '--out', `${format}.json`], dir);
      expect(r.code, r.stderr).toBe(0);
      out[format] = { stdout: r.stdout, json: JSON.parse(readFileSync(join(dir, `${format}.json`), 'utf8')) };
    }
    expect(out.arrow!.stdout).toMatch(/^2025-06 scored, outcome from 2025-07: 1120 subscribers, 22 left/);
    expect(out.arrow).toEqual(out.csv);
  });
});
