import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  churnRate,
  createFileSinks,
  type GenerateOptions,
  type GenerateStats,
  generateOperator,
  resolveGenerateOptions,
} from '../../scripts/generate/index.js';
import { formatMonth, parseDate, parseLocalDateTime, parseMonth } from '../../src/calendar.js';
import {
  BILLING_FIELDS,
  CARD_TYPES,
  CDR_FIELDS,
  CUSTOMER_TYPES,
  EVENT_TYPES,
  STATUSES,
} from '../../src/contract.js';
import { UsageError } from '../../src/errors.js';
import { readBilling } from '../../src/io/index.js';

type Row = Record<string, string>;
const ROOT = resolve(import.meta.dirname, '../..');

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'retain-generate-'));

function readText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

function readCsv(path: string): { fields: string[]; rows: Row[] } {
  const parsed = Papa.parse<Row>(readText(path), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

async function generate(
  dir: string,
  options: Partial<GenerateOptions>,
  files: Parameters<typeof createFileSinks>[0] = {},
): Promise<GenerateStats> {
  return generateOperator(options, createFileSinks({ out: dir, ...files }));
}

const months = (start: string, n: number): string[] =>
  Array.from({ length: n }, (_, k) => formatMonth(parseMonth(start) + k));

describe('determinism', () => {
  it.each([
    ['csv', false],
    ['csv', true],
    ['arrow', false],
  ] as const)('the same seed writes byte-identical %s files (gzip %s)', async (format, gzip) => {
    const a = tempDir();
    const b = tempDir();
    const options = { subscribers: 300, months: 2, seed: 7 };
    await generate(a, options, { format, gzip });
    await generate(b, options, { format, gzip });
    const names = readdirSync(a).sort();
    expect(names.length).toBe(6);
    expect(readdirSync(b).sort()).toEqual(names);
    for (const name of names)
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name)))).toBe(true);
  });

  it('--churn sets the monthly churn share; the default 2% leaves the data as it was', async () => {
    const high = await generate(
      tempDir(),
      { subscribers: 1500, months: 3, seed: 7, churn: 0.2 },
      { cdr: false },
    );
    for (const m of high.months.slice(0, -1)) {
      expect(churnRate(m)).toBeGreaterThan(0.15);
      expect(churnRate(m)).toBeLessThan(0.3);
    }
    const a = tempDir();
    const b = tempDir();
    await generate(a, { subscribers: 300, months: 2, seed: 7 });
    await generate(b, { subscribers: 300, months: 2, seed: 7, churn: 0.02 });
    for (const name of readdirSync(a))
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name)))).toBe(true);
  });

  it('--units adds the unit and manager columns and changes nothing else; managers sit in one unit', async () => {
    const plain = tempDir();
    const owned = tempDir();
    await generate(plain, { subscribers: 400, months: 2, seed: 7 }, { cdr: false });
    await generate(owned, { subscribers: 400, months: 2, seed: 7 }, { cdr: false, units: 4 });
    for (const m of months('2025-01', 2)) {
      const a = readCsv(join(plain, `billing-${m}.csv`));
      const b = readCsv(join(owned, `billing-${m}.csv`));
      expect(b.fields).toEqual([...a.fields, 'unit', 'manager']);
      expect(b.rows.map(({ unit, manager, ...rest }) => rest)).toEqual(a.rows);
      const unitOfManager = new Map<string, string>();
      for (const r of b.rows) {
        expect(r.unit).toMatch(/^unit-0[1-4]$/);
        expect(unitOfManager.get(r.manager!) ?? r.unit).toBe(r.unit);
        unitOfManager.set(r.manager!, r.unit!);
      }
      expect(new Set(b.rows.map((r) => r.unit)).size).toBe(4);
      expect(unitOfManager.size).toBeGreaterThan(4);
    }
    const arrow = tempDir();
    await generate(
      arrow,
      { subscribers: 100, months: 1, seed: 7 },
      { cdr: false, units: 2, format: 'arrow' },
    );
    const read = await readBilling([join(arrow, 'billing-2025-01.arrow')]);
    const unit = read.table.cols.unit!;
    expect(read.table.n).toBeGreaterThan(90);
    expect([...unit.dictionary].sort()).toEqual(['unit-01', 'unit-02']);
    expect(unit.codes.every((c) => c >= 0)).toBe(true);
  });

  it('a different seed writes different data', async () => {
    const a = tempDir();
    const b = tempDir();
    await generate(a, { subscribers: 300, months: 1, seed: 7 });
    await generate(b, { subscribers: 300, months: 1, seed: 8 });
    for (const name of ['billing-2025-01.csv', 'cdr-2025-01.csv'])
      expect(readFileSync(join(a, name)).equals(readFileSync(join(b, name)))).toBe(false);
  });

  it('billing does not depend on whether CDRs are written', async () => {
    const a = tempDir();
    const b = tempDir();
    await generate(a, { subscribers: 300, months: 3, seed: 3, cdrMonths: 1 });
    await generate(b, { subscribers: 300, months: 3, seed: 3 }, { cdr: false });
    expect(readdirSync(a).filter((f) => f.startsWith('cdr-'))).toEqual(['cdr-2025-03.csv']);
    expect(readdirSync(b).filter((f) => f.startsWith('cdr-'))).toEqual([]);
    for (const m of months('2025-01', 3))
      expect(readText(join(b, `billing-${m}.csv`))).toBe(readText(join(a, `billing-${m}.csv`)));
  });
});

describe('contract conformance', () => {
  const dir = tempDir();
  const monthList = months('2024-11', 3);
  beforeAll(async () => {
    await generate(dir, { subscribers: 600, months: 3, seed: 11, start: '2024-11' }, { gzip: true });
  });

  const isDate = (s: string) => !Number.isNaN(parseDate(s));
  const isAmount = (s: string) => /^\d+(\.\d+)?$/.test(s);
  const isCount = (s: string) => /^\d+$/.test(s);
  const isFlag = (s: string) => s === '0' || s === '1';

  it.each(monthList)('billing %s has the contract columns and valid values', (month) => {
    const { fields, rows } = readCsv(join(dir, `billing-${month}.csv`));
    expect(fields).toEqual(BILLING_FIELDS.map((f) => f.name).filter((n) => n !== 'unit' && n !== 'manager'));
    expect(rows.length).toBeGreaterThan(600);
    const bad = rows.filter(
      (r) =>
        !/^0\d{9}$/.test(r.subscriber_id!) ||
        r.month !== month ||
        !isDate(r.activation_date!) ||
        parseDate(r.activation_date!) > parseDate(`${month}-28`) + 3 ||
        r.plan_id === '' ||
        !(r.plan_end_date === '' || isDate(r.plan_end_date!)) ||
        !isAmount(r.billed_amount!) ||
        !(STATUSES as readonly string[]).includes(r.status!) ||
        !isCount(r.suspension_count!) ||
        !(CARD_TYPES as readonly string[]).includes(r.card_type!) ||
        !(CUSTOMER_TYPES as readonly string[]).includes(r.customer_type!) ||
        !isFlag(r.ownership_change!) ||
        !isFlag(r.plan_change!) ||
        !isFlag(r.do_not_disturb!),
    );
    expect(bad).toEqual([]);
    expect(new Set(rows.map((r) => r.subscriber_id)).size).toBe(rows.length);
    expect(rows.some((r) => r.plan_end_date === '')).toBe(true);
    expect(rows.some((r) => r.plan_end_date !== '')).toBe(true);
  });

  it.each(monthList)('CDR %s follows the per-event-type rules', (month) => {
    const { fields, rows } = readCsv(join(dir, `cdr-${month}.csv.gz`));
    expect(fields).toEqual(CDR_FIELDS.map((f) => f.name));
    const billed = new Set(readCsv(join(dir, `billing-${month}.csv`)).rows.map((r) => r.subscriber_id));
    const from = parseLocalDateTime(`${month}-01T00:00:00`);
    const to = parseLocalDateTime(`${formatMonth(parseMonth(month) + 1)}-01T00:00:00`);
    const bad = rows.filter((r) => {
      const t = parseLocalDateTime(r.start_time!);
      const common =
        billed.has(r.subscriber_id!) &&
        r.start_time!.charAt(10) === 'T' &&
        t >= from &&
        t < to &&
        (EVENT_TYPES as readonly string[]).includes(r.event_type!) &&
        (r.charge === '' || isAmount(r.charge!));
      if (!common) return true;
      if (r.event_type === 'data') return !(r.direction === '' && isCount(r.bytes!) && r.duration_s === '');
      const party = r.other_party !== '' && (r.direction === 'in' || r.direction === 'out') && r.bytes === '';
      return r.event_type === 'voice' ? !(party && isCount(r.duration_s!)) : !(party && r.duration_s === '');
    });
    expect(bad).toEqual([]);
    const perSubscriber = rows.length / billed.size;
    expect(perSubscriber).toBeGreaterThan(35);
    expect(perSubscriber).toBeLessThan(65);
    for (const type of EVENT_TYPES) expect(rows.some((r) => r.event_type === type)).toBe(true);
  });

  it('every enum value and flag occurs across the months', () => {
    const rows = monthList.flatMap((m) => readCsv(join(dir, `billing-${m}.csv`)).rows);
    for (const [column, values] of [
      ['status', STATUSES],
      ['card_type', CARD_TYPES],
      ['customer_type', CUSTOMER_TYPES],
      ['ownership_change', ['0', '1']],
      ['plan_change', ['0', '1']],
      ['do_not_disturb', ['0', '1']],
    ] as const)
      expect(new Set(rows.map((r) => r[column])), column).toEqual(new Set(values));
  });

  it('Arrow files hold the same rows as CSV with Utf8 ids, Int32 counts and Float64 amounts', async () => {
    const arrowDir = tempDir();
    const csvDir = tempDir();
    await generate(arrowDir, { subscribers: 200, months: 1, seed: 5 }, { format: 'arrow' });
    await generate(csvDir, { subscribers: 200, months: 1, seed: 5 });
    for (const kind of ['billing', 'cdr']) {
      const table = tableFromIPC(readFileSync(join(arrowDir, `${kind}-2025-01.arrow`)));
      const csv = readCsv(join(csvDir, `${kind}-2025-01.csv`));
      expect(table.schema.fields.map((f) => f.name)).toEqual(csv.fields);
      const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
      expect(types.subscriber_id).toBe('Utf8');
      expect(types[kind === 'billing' ? 'billed_amount' : 'charge']).toBe('Float64');
      expect(types[kind === 'billing' ? 'suspension_count' : 'duration_s']).toBe('Int32');
      expect(table.numRows).toBe(csv.rows.length);
      const asText = (v: unknown) => (v === null ? '' : String(v));
      for (const r of [0, 1, Math.floor(table.numRows / 2), table.numRows - 1]) {
        const row = table.get(r)!.toJSON() as Record<string, unknown>;
        const text = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asText(v)]));
        expect(text).toEqual(csv.rows[r]);
      }
    }
  });
});

describe('churn dynamics', () => {
  const dir = tempDir();
  const monthList = months('2025-01', 6);
  let billing: Row[][] = [];
  let truth: Row[][] = [];
  let stats: GenerateStats;
  beforeAll(async () => {
    stats = await generate(dir, { subscribers: 4000, months: 6, seed: 21 }, { cdr: false });
    billing = monthList.map((m) => readCsv(join(dir, `billing-${m}.csv`)).rows);
    truth = monthList.map((m) => readCsv(join(dir, `truth-${m}.csv`)).rows);
  }, 60_000);

  /** Per month M (but the last): [subscriber_id, churned at M+1 per the contract's label]. */
  function labels(k: number): Map<string, number> {
    const next = new Map(billing[k + 1]!.map((r) => [r.subscriber_id!, r.status!]));
    const out = new Map<string, number>();
    for (const r of billing[k]!) {
      if (r.status === 'closed') continue;
      const status = next.get(r.subscriber_id!);
      out.set(r.subscriber_id!, status === undefined || status === 'closed' ? 1 : 0);
    }
    return out;
  }

  it('the truth files carry exactly the label the billing files imply', () => {
    for (let k = 0; k < monthList.length - 1; k++) {
      const fromTruth = new Map(truth[k]!.map((r) => [r.subscriber_id!, Number(r.churned_next)]));
      expect(fromTruth).toEqual(labels(k));
    }
  });

  it('about 1-4% churn each month, through both a missing row and a closed row', () => {
    let missing = 0;
    let closed = 0;
    for (let k = 0; k < monthList.length - 1; k++) {
      const l = labels(k);
      const rate = [...l.values()].reduce((a, b) => a + b, 0) / l.size;
      expect(rate).toBeGreaterThan(0.01);
      expect(rate).toBeLessThan(0.04);
      const next = new Map(billing[k + 1]!.map((r) => [r.subscriber_id!, r.status!]));
      for (const [id, y] of l) if (y === 1) next.get(id) === 'closed' ? closed++ : missing++;
    }
    expect(missing).toBeGreaterThan(50);
    expect(closed).toBeGreaterThan(20);
  });

  it('a closed subscriber never comes back', () => {
    const closed = new Set<string>();
    for (const rows of billing) {
      for (const r of rows) expect(closed.has(r.subscriber_id!)).toBe(false);
      for (const r of rows) if (r.status === 'closed') closed.add(r.subscriber_id!);
    }
    expect(closed.size).toBeGreaterThan(20);
  });

  it('new subscribers churn more than tenured ones', () => {
    const rate = { new: [0, 0], tenured: [0, 0] };
    for (let k = 0; k < monthList.length - 1; k++) {
      const start = parseDate(`${monthList[k]}-01`);
      for (const [id, y] of labels(k)) {
        const row = billing[k]!.find((r) => r.subscriber_id === id)!;
        const days = start - parseDate(row.activation_date!);
        const bucket = days < 90 ? rate.new : days > 365 ? rate.tenured : undefined;
        if (bucket) {
          bucket[0]! += y;
          bucket[1]!++;
        }
      }
    }
    expect(rate.new[0]! / rate.new[1]!).toBeGreaterThan(1.8 * (rate.tenured[0]! / rate.tenured[1]!));
  });

  it('2-5% of the base is newly activated each month, with activation dates in that month', () => {
    for (let k = 1; k < monthList.length; k++) {
      const known = new Set(billing[k - 1]!.map((r) => r.subscriber_id));
      const fresh = billing[k]!.filter((r) => !known.has(r.subscriber_id));
      expect(fresh.every((r) => r.activation_date!.startsWith(monthList[k]!))).toBe(true);
      expect(fresh.length).toBe(stats.months[k]!.newActivations);
      expect(fresh.length / billing[k - 1]!.length).toBeGreaterThan(0.02);
      expect(fresh.length / billing[k - 1]!.length).toBeLessThan(0.05);
    }
  });

  it('leavers carry higher latent dissatisfaction, and arrears or cancellation precede some', () => {
    const all = truth.slice(0, -1).flat();
    const mean = (rows: Row[]) => rows.reduce((a, r) => a + Number(r.latent), 0) / rows.length;
    const leavers = all.filter((r) => r.churned_next === '1');
    expect(mean(leavers) - mean(all.filter((r) => r.churned_next === '0'))).toBeGreaterThan(0.4);
    const status = new Map(billing.flat().map((r) => [`${r.subscriber_id}|${r.month}`, r.status]));
    const warned = leavers.filter((r) =>
      ['arrears_suspended', 'pending_cancel'].includes(status.get(`${r.subscriber_id}|${r.month}`)!),
    );
    expect(warned.length / leavers.length).toBeGreaterThan(0.15);
    expect(warned.length / leavers.length).toBeLessThan(0.6);
  });
});

describe('warning signs in CDRs', () => {
  interface Month {
    churned: boolean;
    own: number;
    competitor: number;
  }
  /** Care calls per subscriber-month of a generated operator, with its churn label. */
  async function careCalls(options: Partial<GenerateOptions>): Promise<Month[]> {
    const dir = tempDir();
    await generate(dir, { subscribers: 3000, months: 2, seed: 9, ...options });
    const byKey = new Map<string, Month>();
    for (const m of months('2025-01', 2)) {
      for (const r of readCsv(join(dir, `truth-${m}.csv`)).rows)
        byKey.set(`${r.subscriber_id}|${m}`, { churned: r.churned_next === '1', own: 0, competitor: 0 });
      for (const r of readCsv(join(dir, `cdr-${m}.csv`)).rows) {
        const c = byKey.get(`${r.subscriber_id}|${m}`);
        if (c && r.other_party === '10010') c.own++;
        if (c && (r.other_party === '10086' || r.other_party === '10000')) c.competitor++;
      }
    }
    return [...byKey.values()];
  }
  const competitorShare = (rows: Month[]) => rows.filter((r) => r.competitor > 0).length / rows.length;

  it('leavers call care lines more than stayers, and competitor care is a strong, imperfect signal', async () => {
    const rows = await careCalls({});
    const leavers = rows.filter((r) => r.churned);
    const stayers = rows.filter((r) => !r.churned);
    expect(leavers.length).toBeGreaterThan(60);
    const avg = (rs: typeof rows) => rs.reduce((a, r) => a + r.own + r.competitor, 0) / rs.length;
    expect(avg(leavers)).toBeGreaterThan(2 * avg(stayers));
    const leaverShare = competitorShare(leavers);
    const stayerShare = competitorShare(stayers);
    expect(leaverShare).toBeGreaterThan(5 * stayerShare);
    expect(leaverShare).toBeLessThan(0.6);
  });

  it('signShare 0 leaves no sign: leavers call a competitor no more often than stayers', async () => {
    const rows = await careCalls({ signShare: 0 });
    const leavers = rows.filter((r) => r.churned);
    expect(leavers.length).toBeGreaterThan(60);
    expect(competitorShare(leavers)).toBeLessThan(2 * competitorShare(rows.filter((r) => !r.churned)) + 0.02);
  });
});

describe('options and command line', () => {
  it.each([
    [{ subscribers: 0 }, /subscribers/],
    [{ months: 1.5 }, /months/],
    [{ start: '2025-13' }, /start/],
    [{ seed: -1 }, /seed/],
    [{ churn: 0 }, /churn must be a share/],
    [{ churn: 0.6 }, /churn must be a share/],
    [{ signShare: 1.5 }, /signShare must be a share/],
  ])('rejects %o', (input, message) => {
    expect(() => resolveGenerateOptions(input)).toThrow(UsageError);
    expect(() => resolveGenerateOptions(input)).toThrow(message);
  });

  it('writes files, keeps stdout empty and summarises on stderr', () => {
    const dir = tempDir();
    const args = ['--subscribers', '50', '--months', '2', '--seed', '2', '--out', dir];
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^2025-01 {2}billing \d+ \(closed \d+\) {2}churn next \d+\.\d\d% {2}new \d+/m,
    );
    expect(result.stderr).toMatch(/^6 files in /m);
    expect(readdirSync(dir).sort()).toEqual(
      ['billing', 'cdr', 'truth'].flatMap((k) => [`${k}-2025-01.csv`, `${k}-2025-02.csv`]).sort(),
    );
  });

  it('exits with 2 on a bad flag value', () => {
    const args = ['--subscribers', 'many', '--months', '1', '--out', tempDir()];
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"many"');
  });
});

describe('fixtures/sample', () => {
  const sample = join(ROOT, 'fixtures', 'sample');
  const monthList = months('2025-01', 7);

  it('holds seven months of billing, gzipped CDRs and truth that regenerate identically', async () => {
    const dir = tempDir();
    await generate(
      dir,
      { subscribers: 1000, months: 7, seed: 42, start: '2025-01' },
      { gzip: true, truthOut: join(dir, 'truth') },
    );
    for (const m of monthList) {
      for (const name of [`billing-${m}.csv`, `cdr-${m}.csv.gz`, join('truth', `truth-${m}.csv`)])
        expect(readText(join(sample, name)), name).toBe(readText(join(dir, name)));
    }
  });
});
