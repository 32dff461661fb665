/**
 * Hostile input through the command line. Each case is a file as a broken export, the wrong tool or
 * an attacker would write it, given to `retain validate` and `retain score` as billing, as CDR (beside
 * good billing) and as a `--table` wide file, in CSV and in Arrow where the case applies. Every run
 * must end in a deliberate exit code (never 1, the bug code) with a short message naming the file, and
 * the line and column when a row is the problem, and must account for every row it read:
 * rows read = accepted + rejected.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/index.js';
import { type CliResult, logText, retain } from '../helpers/cli.js';

type Kind = 'billing' | 'cdr' | 'table';
type Format = 'csv' | 'arrow';
type Command = 'validate' | 'score';
interface Sheet {
  header: string[];
  rows: string[][];
}

/** Good rows per file: one bad row among them stays under the default 1% bad-row limit. */
const N = 120;
const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const dir = mkdtempSync(join(tmpdir(), 'retain-hostile-'));

const ids = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}${i}`);
const GOOD: Record<Kind, Sheet> = {
  billing: {
    header: ['subscriber_id', 'month', 'activation_date', 'plan_id', 'billed_amount', 'status'],
    rows: ids('B').map((id, i) => [id, '2025-07', '2020-01-15', `P${i % 3}`, String(10 + i), 'active']),
  },
  cdr: {
    header: ['subscriber_id', 'start_time', 'event_type', 'direction', 'duration_s', 'bytes', 'other_party'],
    rows: ids('B').map((id, i) => [
      id,
      `2025-07-0${1 + (i % 9)}T10:00:00`,
      'voice',
      'out',
      '60',
      '',
      '13800',
    ]),
  },
  table: {
    header: ['id', 'tenure', 'charges', 'plan'],
    rows: ids('T').map((id, i) => [id, String(1 + (i % 60)), String(20 + i), i % 2 ? 'a' : 'b']),
  },
};

/** A copy of `s` with row `r`, column `c` set to `v`. */
function withCell(s: Sheet, r: number, c: number, v: string): Sheet {
  return {
    header: s.header,
    rows: s.rows.map((row, i) => (i === r ? row.map((x, j) => (j === c ? v : x)) : row)),
  };
}

/** CSV lines of `rows`, quoted where needed. */
function lines(rows: string[][]): string {
  return rows.length === 0 ? '' : `${Papa.unparse(rows, { newline: '\n' })}\n`;
}

function csvOf(s: Sheet): Buffer {
  return Buffer.from(lines([s.header, ...s.rows]));
}

/** An Arrow IPC file of text columns; names may repeat, as a schema allows. */
function arrowOf(s: Sheet): Buffer {
  const fields = s.header.map((h) => new Field(h, new Utf8(), true));
  const children = s.header.map(
    (_, c) =>
      vectorFromArray(
        s.rows.map((r) => r[c]!),
        new Utf8(),
      ).data[0]!,
  );
  const data = makeData({ type: new Struct(fields), length: s.rows.length, nullCount: 0, children });
  return Buffer.from(tableToIPC(new Table([new RecordBatch(new Schema(fields), data)]), 'file'));
}

/** `bytes` with the first `from` replaced by `to` (the same length, so Arrow offsets still hold). */
function patch(bytes: Buffer, from: Buffer, to: Buffer): Buffer {
  const at = bytes.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  const out = Buffer.from(bytes);
  to.copy(out, at);
  return out;
}

const LATIN1_E = Buffer.from('\xe9X', 'latin1'); // é as Latin-1, then X: not UTF-8
const UTF8_E = Buffer.from('é'); // the same two bytes' room in UTF-8
const FORMULAS = ["=cmd|' /C calc'!A0", '+1', '@x', '-1+2'];
const idColumn = (kind: Kind) => (kind === 'table' ? 'id' : 'subscriber_id');

interface Case {
  name: string;
  formats: readonly Format[];
  kinds: readonly Kind[];
  /** The hostile file. */
  make(kind: Kind, format: Format): Buffer;
  /** Exit codes: validate (billing, CDR), score (billing, CDR), score --table. */
  exit: { validate: number; score: number | Partial<Record<Kind, number>>; table: number };
  /** What score --table says when it refuses the file whole though `rows` is known. */
  saysTable?: RegExp;
  /** Rows read and rejected when the file is read through; null when it is refused whole. */
  rows: [read: number, rejected: number] | null;
  /** The first bad row: its data row (0-based), column and reason. */
  bad?: { row: number; column: (kind: Kind) => string | null; reason: string };
  /** What a refusal says (after the file's name). */
  says?: RegExp;
}

const sheetCase = (make: (kind: Kind) => Sheet) => (kind: Kind, format: Format) =>
  format === 'csv' ? csvOf(make(kind)) : arrowOf(make(kind));

const HUGE = 10 << 20;

const CASES: Case[] = [
  {
    name: 'an empty file',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: () => Buffer.alloc(0),
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /(no header row|columns found: none)/,
  },
  {
    name: 'a header only',
    formats: ['csv', 'arrow'],
    kinds: ['billing', 'cdr', 'table'],
    make: sheetCase((k) => ({ header: GOOD[k].header, rows: [] })),
    // A table without rows has nothing to score: refused, as billing without rows is.
    exit: { validate: 0, score: { billing: 3, cdr: 0 }, table: 3 },
    rows: [0, 0],
    says: /no billing rows \(0 read/,
    saysTable: /: the table has no rows/,
  },
  {
    name: 'binary garbage',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: () => {
      const rnd = createRandom(9, 1);
      return Buffer.from(Array.from({ length: 4096 }, () => rnd.int(256)));
    },
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    // Said for what it is, not for what reading it as CSV trips on (a header that is not UTF-8).
    says: /: not a CSV text file: it looks like binary data \(control bytes in its first line\)/,
  },
  {
    name: 'an Excel workbook',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    // The first entries of a workbook as Excel writes it, whatever the file is named.
    make: () =>
      Buffer.concat(
        ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml'].flatMap((name) => [
          Buffer.from([0x50, 0x4b, 0x03, 0x04]),
          Buffer.alloc(22),
          Buffer.from([name.length, 0, 0, 0]),
          Buffer.from(`${name}<x/>`),
        ]),
      ),
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /: not a CSV text file: it looks like an Excel workbook \(\.xlsx\); save the sheet as CSV UTF-8/,
  },
  {
    name: 'a PNG image',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: () =>
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /: not a CSV text file: it looks like a PNG image/,
  },
  {
    // It starts and ends as Parquet does; read as CSV it was a header alone, "no rows".
    name: 'PAR1garbagePAR1',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: () => Buffer.from('PAR1garbagePAR1'),
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /: cannot read the Parquet file: it is truncated or damaged/,
  },
  {
    name: 'semicolons for commas',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k) => Buffer.from(csvOf(GOOD[k]).toString().replaceAll(',', ';')),
    // A table without the model's columns is an input problem: exit 3, naming the columns it has.
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /separated by ";"/,
  },
  {
    name: 'a quoted line break',
    formats: ['csv', 'arrow'],
    kinds: ['billing', 'cdr', 'table'],
    make: sheetCase((k) => withCell(GOOD[k], 3, k === 'cdr' ? 6 : 3, k === 'table' ? 'a\nb' : 'P\n1')),
    exit: { validate: 0, score: 0, table: 0 },
    rows: [N, 0],
  },
  {
    name: 'an unclosed quote',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k) =>
      Buffer.from(
        csvOf(withCell(GOOD[k], 3, 1, '#'))
          .toString()
          .replace('#', '"oops'),
      ),
    exit: { validate: 3, score: 0, table: 3 },
    rows: [N, 1],
    bad: { row: 3, column: () => null, reason: 'malformed_row' },
  },
  {
    name: 'a 10 MB line',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k) =>
      Buffer.from(
        lines([GOOD[k].header, ...GOOD[k].rows.slice(0, 3)]) +
          `${'\x1b[2J'.repeat(HUGE / 4)}\n` +
          lines(GOOD[k].rows.slice(3)),
      ),
    exit: { validate: 3, score: 0, table: 3 },
    rows: [N + 1, 1],
    bad: { row: 3, column: () => null, reason: 'malformed_row' },
  },
  {
    name: 'a 10 MB header',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k) =>
      Buffer.from(
        csvOf(GOOD[k])
          .toString()
          .replace(idColumn(k), '\x1b[2J'.repeat(HUGE / 4)),
      ),
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /(missing required column subscriber_id|no id column)/,
  },
  {
    name: 'a truncated gzip file',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k) => {
      const z = gzipSync(csvOf(GOOD[k]));
      return z.subarray(0, z.length >> 1);
    },
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /cannot unzip the file: it is truncated or damaged gzip/,
  },
  {
    name: 'a truncated Arrow file',
    formats: ['arrow'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k) => {
      const a = arrowOf(GOOD[k]);
      return a.subarray(0, Math.floor(a.length * 0.6));
    },
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /cannot read the Arrow file: it is truncated or damaged/,
  },
  {
    name: 'formula-like ids',
    formats: ['csv', 'arrow'],
    kinds: ['billing', 'cdr', 'table'],
    make: sheetCase((k) => FORMULAS.reduce((s, f, r) => withCell(s, r, 0, f), GOOD[k])),
    exit: { validate: 0, score: 0, table: 0 },
    rows: [N, 0],
  },
  {
    name: 'bytes that are not UTF-8',
    formats: ['csv', 'arrow'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k, f) =>
      patch(sheetCase((kk) => withCell(GOOD[kk], 3, 0, `${GOOD[kk].rows[3]![0]}é`))(k, f), UTF8_E, LATIN1_E),
    exit: { validate: 3, score: 0, table: 3 },
    rows: [N, 1],
    bad: { row: 3, column: (k) => idColumn(k), reason: 'invalid_utf8' },
  },
  {
    name: 'UTF-16 text',
    formats: ['csv'],
    kinds: ['billing', 'cdr', 'table'],
    make: (k) => Buffer.from(`\ufeff${csvOf(GOOD[k]).toString()}`, 'utf16le'),
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /is UTF-16LE text; save it as UTF-8/,
  },
  {
    name: 'a repeated column name',
    formats: ['csv', 'arrow'],
    kinds: ['billing', 'cdr', 'table'],
    make: sheetCase((k) => ({
      header: [...GOOD[k].header, idColumn(k)],
      rows: GOOD[k].rows.map((r) => [...r, r[0]!]),
    })),
    exit: { validate: 3, score: 3, table: 3 },
    rows: null,
    says: /column names repeated in the header: "(subscriber_id|id)" \(columns 1, \d\)/,
  },
  {
    name: 'an activation after the billed month',
    formats: ['csv', 'arrow'],
    kinds: ['billing'],
    make: sheetCase((k) => withCell(GOOD[k], 3, 2, '2025-08-15')),
    exit: { validate: 3, score: 0, table: 3 },
    rows: [N, 1],
    bad: { row: 3, column: () => 'activation_date', reason: 'activation_after_month' },
  },
];

let billingModel = '';
let tableModel = '';
const goodBilling = join(dir, 'good-billing.csv');

beforeAll(async () => {
  const months = ['2025-05', '2025-06'].map((m) => join(SAMPLE, `billing-${m}.csv`));
  billingModel = join(dir, 'billing-model.json');
  const b = await retain(
    ['train', ...months, '--out', billingModel, '--trees', '3', '--log-level', 'error'],
    dir,
  );
  expect(b.code, b.stderr).toBe(0);
  const rnd = createRandom(3, 1);
  const training = {
    header: ['id', 'churn', 'tenure', 'charges', 'plan'],
    rows: ids('X').map((id) => {
      const tenure = 1 + rnd.int(60);
      return [
        id,
        rnd.next() < (tenure < 10 ? 0.6 : 0.1) ? 'Yes' : 'No',
        String(tenure),
        String(rnd.int(100)),
        'a',
      ];
    }),
  };
  writeFileSync(join(dir, 'train-table.csv'), csvOf(training));
  tableModel = join(dir, 'table-model.json');
  const t = await retain(
    [
      'train',
      '--table',
      'train-table.csv',
      '--label',
      'churn',
      '--id',
      'id',
      '--out',
      tableModel,
      '--trees',
      '3',
    ],
    dir,
  );
  expect(t.code, t.stderr).toBe(0);
  writeFileSync(goodBilling, csvOf(GOOD.billing));
});

interface Run {
  label: string;
  c: Case;
  kind: Kind;
  format: Format;
  command: Command;
}

const RUNS: Run[] = CASES.flatMap((c) =>
  c.kinds.flatMap((kind) =>
    c.formats.flatMap((format) =>
      (kind === 'table' ? (['score'] as const) : (['validate', 'score'] as const)).map((command) => ({
        label: `${c.name} (${format}) as ${kind}: ${command}${kind === 'table' ? ' --table' : ''}`,
        c,
        kind,
        format,
        command,
      })),
    ),
  ),
);

function expectedExit(r: Run): number {
  if (r.kind === 'table') return r.c.exit.table;
  if (r.command === 'validate') return r.c.exit.validate;
  const s = r.c.exit.score;
  return typeof s === 'number' ? s : (s[r.kind] ?? 0);
}

let runNo = 0;
/** Each case's file, written once per kind and format for all the commands given it. */
const files = new Map<string, string>();

function fileFor(r: Run): string {
  const key = `${r.c.name}|${r.kind}|${r.format}`;
  let file = files.get(key);
  if (file === undefined) {
    const ext = r.format === 'arrow' ? 'arrow' : r.c.name.includes('gzip') ? 'csv.gz' : 'csv';
    file = join(dir, `${files.size}-${r.kind}.${ext}`);
    writeFileSync(file, r.c.make(r.kind, r.format));
    files.set(key, file);
  }
  return file;
}

/** Runs the command on the case's file; returns the result, the file and the out folder. */
async function runCase(r: Run): Promise<{ res: CliResult; file: string; out: string }> {
  const file = fileFor(r);
  const out = join(dir, `out-${runNo++}`);
  const args =
    r.kind === 'table'
      ? ['score', '--table', file, '--id', 'id', '--model', tableModel, '--out', out]
      : r.command === 'validate'
        ? ['validate', file]
        : r.kind === 'billing'
          ? ['score', file, '--model', billingModel, '--out', out]
          : ['score', goodBilling, '--cdr', file, '--model', billingModel, '--out', out];
  return { res: await retain([...args, '--log-level', 'error'], dir), file, out };
}

/** The line a data row is on in the file (CSV: header = line 1, one more line per quoted break). */
const lineOf = (r: Run, row: number) => (r.format === 'csv' ? row + 2 : row + 1);

describe('hostile input through the command line', () => {
  it.each(RUNS)('$label', async (r) => {
    const { res, file, out } = await runCase(r);
    const all = res.stdout + res.stderr;
    expect(res.code, all.slice(0, 2000)).toBe(expectedExit(r));
    expect(all).not.toMatch(/internal error|This is a bug/);
    // Short whatever the input: nothing is echoed whole.
    expect(all.length).toBeLessThan(8000);
    expect(all).not.toContain('\x1b');

    const { rows, bad, says } = r.c;
    const log = logText(res.stderr);
    if (res.code !== 0 && (rows === null || (r.command === 'score' && r.kind !== 'table'))) {
      // Refused whole: the message names the file and says why.
      expect(log).toContain(file);
      if (says) expect(log).toMatch(says);
      return;
    }
    if (r.kind === 'table') {
      if (res.code === 0) {
        expect(res.stdout).toContain(`scored ${rows![0]} rows of ${file}`);
        const scores = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n');
        expect(scores).toHaveLength(rows![0] + 1);
      } else if (r.c.saysTable) {
        expect(log).toContain(file);
        expect(log).toMatch(r.c.saysTable);
      } else {
        // A table with a bad row is refused whole, naming the row's line or record (and column).
        const column = bad!.column(r.kind);
        expect(log).toContain(file);
        const place = r.format === 'csv' ? 'line' : 'row';
        expect(log).toContain(`${place} ${lineOf(r, bad!.row)}${column ? `, column ${column}` : ''}:`);
      }
      return;
    }
    if (r.command === 'validate') {
      const head = `${file} (${r.kind}, `;
      const line = res.stdout.split('\n').find((l) => l.startsWith(head));
      const m = /: (\d+) rows read, (\d+) accepted, (\d+) rejected$/.exec(line ?? '');
      expect(m, res.stdout).not.toBeNull();
      const [read, accepted, rejected] = m!.slice(1).map(Number) as [number, number, number];
      expect(read).toBe(accepted + rejected);
      expect([read, rejected]).toEqual(rows);
      if (bad) {
        const column = bad.column(r.kind);
        const where = `${r.format === 'csv' ? 'line' : 'row'} ${lineOf(r, bad.row)}${column ? `, ${column}` : ''}`;
        expect(res.stdout).toContain(`${where}: ${bad.reason}`);
      }
      return;
    }
    // A successful score: the summary accounts for every row of the file, the scores for every subscriber.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      inputs: { file: string; rows: number; rejects: number }[];
    };
    const input = summary.inputs.find((f) => f.file === file)!;
    expect([input.rows, input.rejects]).toEqual(rows);
    const scores = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n');
    expect(scores).toHaveLength((r.kind === 'billing' ? rows![0] - rows![1] : N) + 1);
  });
});

describe('formula-like ids', () => {
  it('are kept as text, neutralised in the CSV lists, and read back exactly by evaluate', async () => {
    const billing = FORMULAS.reduce((s, f, r) => withCell(s, r, 0, f), GOOD.billing);
    const month = join(dir, 'formula-billing.csv');
    writeFileSync(month, csvOf(billing));
    const out = join(dir, 'formula-out');
    const s = await retain(
      ['score', month, '--model', billingModel, '--out', out, '--log-level', 'error'],
      dir,
    );
    expect(s.code, s.stderr).toBe(0);
    const scores = Papa.parse<string[]>(readFileSync(join(out, 'scores.csv'), 'utf8').trim()).data;
    expect(scores.slice(1, 5).map((row) => row[0])).toEqual(["'=cmd|' /C calc'!A0", '+1', "'@x", "'-1+2"]);
    // Next month: the =cmd subscriber closed, everyone else stayed.
    const next = {
      header: billing.header,
      rows: billing.rows.map((row, i) => [
        row[0]!,
        '2025-08',
        row[2]!,
        row[3]!,
        row[4]!,
        i === 0 ? 'closed' : 'active',
      ]),
    };
    mkdirSync(join(dir, 'next'), { recursive: true });
    writeFileSync(join(dir, 'next', 'billing.csv'), csvOf(next));
    const e = await retain(['evaluate', out, join(dir, 'next', 'billing.csv'), '--log-level', 'error'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain(`${N} subscribers, 1 left`);
  });
});
