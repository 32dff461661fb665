/**
 * `retain features` on the shipped sample operator: the columns are the feature schema plus id, month
 * and label, and values equal an independent recomputation from the raw files (papaparse + zlib, not
 * the project's readers or feature code).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { usableCores } from '../../src/cores.js';
import { featureSchema } from '../../src/index.js';
import { errorMessage, logText, retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const billingFiles = files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f));
const cdrFiles = files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f));
/** Every month's features of the sample, CDRs included. */
const ALL_MONTHS = ['features', ...billingFiles, '--cdr', ...cdrFiles, '--all-months'];
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07'];

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const r = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
}

const DAY = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY;
const monthEnd = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return Date.UTC(y, mo, 0) / DAY;
};
const nextMonth = (m: string) => MONTHS[MONTHS.indexOf(m) + 1];

/** What the reference computes per "id@month", each as the value written in the file. */
interface Expected {
  days_since_voice_out: number;
  days_since_data: number;
  days_since_incoming: number;
  own_care_calls: number;
  competitor_care_calls: number;
  tenure_days: number;
  no_plan_end: number;
  churned_next_month: number | null;
}

function reference(billing: Row[], cdr: Row[]): Map<string, Expected> {
  const last = new Map<string, number>();
  const care = new Map<string, number>();
  for (const e of cdr) {
    const key = `${e.subscriber_id}@${e.start_time!.slice(0, 7)}`;
    const day = dayOf(e.start_time!);
    const kind =
      e.event_type === 'data'
        ? 'data'
        : e.direction === 'in'
          ? 'incoming'
          : e.event_type === 'voice'
            ? 'voice'
            : '';
    if (kind) last.set(`${key} ${kind}`, Math.max(last.get(`${key} ${kind}`) ?? -1, day));
    if (kind === 'voice' && e.other_party === '10010')
      care.set(`${key} own`, (care.get(`${key} own`) ?? 0) + 1);
    if (kind === 'voice' && (e.other_party === '10086' || e.other_party === '10000'))
      care.set(`${key} competitor`, (care.get(`${key} competitor`) ?? 0) + 1);
  }
  const status = new Map(billing.map((r) => [`${r.subscriber_id}@${r.month}`, r.status!]));
  const out = new Map<string, Expected>();
  for (const r of billing) {
    if (r.status === 'closed') continue;
    const m = r.month!;
    const key = `${r.subscriber_id}@${m}`;
    const end = monthEnd(m);
    const since = (kind: string) => end - (last.get(`${key} ${kind}`) ?? dayOf(`${m}-01`) - 1);
    const next = nextMonth(m);
    const after = next === undefined ? undefined : status.get(`${r.subscriber_id}@${next}`);
    out.set(key, {
      days_since_voice_out: since('voice'),
      days_since_data: since('data'),
      days_since_incoming: since('incoming'),
      own_care_calls: care.get(`${key} own`) ?? 0,
      competitor_care_calls: care.get(`${key} competitor`) ?? 0,
      tenure_days: end - dayOf(r.activation_date!),
      no_plan_end: r.plan_end_date ? 0 : 1,
      churned_next_month: next === undefined ? null : after === undefined || after === 'closed' ? 1 : 0,
    });
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'retain-features-'));
let billing: Row[];
let expected: Map<string, Expected>;
let written: Row[];

beforeAll(async () => {
  const r = await retain([...ALL_MONTHS, '--out', 'all.csv', '--log-level', 'warn'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(
    /^\d+ subscriber-months \(2025-01, .*2025-07\), \d+ features \(schema v\d+\): .*all\.csv\n$/,
  );
  billing = billingFiles.flatMap(readCsv);
  expected = reference(billing, cdrFiles.flatMap(readCsv));
  written = readCsv(join(dir, 'all.csv'));
}, 120_000);

const schemaNames = () => featureSchema([]).features.map((f) => f.name);
const asNumber = (cell: string) => (cell === '' ? null : Number(cell));

describe('retain features --all-months on the sample operator', () => {
  it('writes id, month and label, then the feature schema in order', () => {
    const header = readFileSync(join(dir, 'all.csv'), 'utf8').split('\n')[0]!.split(',');
    expect(header).toEqual(['subscriber_id', 'month', 'churned_next_month', ...schemaNames()]);
  });

  it('writes every billed subscriber-month that is not closed, once', () => {
    const keys = written.map((r) => `${r.subscriber_id}@${r.month}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual([...expected.keys()].sort());
    // The sample has closed rows, so leaving them out is not vacuous.
    expect(billing.some((r) => r.status === 'closed')).toBe(true);
  });

  it.each([
    'days_since_voice_out',
    'days_since_data',
    'days_since_incoming',
    'own_care_calls',
    'competitor_care_calls',
    'tenure_days',
    'no_plan_end',
    'churned_next_month',
  ] as const)('%s equals the recomputation from the raw files for every row', (name) => {
    const got = new Map(written.map((r) => [`${r.subscriber_id}@${r.month}`, asNumber(r[name]!)]));
    const want = new Map([...expected].map(([k, e]) => [k, e[name]]));
    expect(got).toEqual(want);
    // Not a constant column: the comparison can tell rows apart.
    expect(new Set(want.values()).size).toBeGreaterThan(1);
  });

  it('labels every month but the last', () => {
    const blank = written.filter((r) => r.churned_next_month === '');
    expect(new Set(blank.map((r) => r.month))).toEqual(new Set(['2025-07']));
    expect(blank.length).toBe(written.filter((r) => r.month === '2025-07').length);
  });
});

/**
 * Per "id@month" of every billing row: the usage the history features compare (NaN-free: every
 * sample month has CDRs), from the raw records.
 */
interface Usage {
  billed: number;
  voiceCalls: number;
  voiceMinutes: number;
  dataMb: number;
  activeDays: number;
  longestSilent: number;
  lastSmsOut: number | null;
}

function usageOf(billing: Row[], cdr: Row[]): Map<string, Usage> {
  const out = new Map<string, Usage>();
  const outDays = new Map<string, Set<number>>();
  const active = new Map<string, Set<number>>();
  for (const r of billing)
    out.set(`${r.subscriber_id}@${r.month}`, {
      billed: Number(r.billed_amount),
      voiceCalls: 0,
      voiceMinutes: 0,
      dataMb: 0,
      activeDays: 0,
      longestSilent: 0,
      lastSmsOut: null,
    });
  for (const e of cdr) {
    const key = `${e.subscriber_id}@${e.start_time!.slice(0, 7)}`;
    const u = out.get(key);
    if (!u) continue;
    const day = dayOf(e.start_time!);
    active.set(key, (active.get(key) ?? new Set()).add(day));
    if (e.event_type === 'voice') {
      u.voiceCalls++;
      u.voiceMinutes += Number(e.duration_s) / 60;
      if (e.direction === 'out') outDays.set(key, (outDays.get(key) ?? new Set()).add(day));
    } else if (e.event_type === 'data') u.dataMb += Number(e.bytes) / 2 ** 20;
    else if (e.direction === 'out') u.lastSmsOut = Math.max(u.lastSmsOut ?? -1, day);
  }
  for (const [key, u] of out) {
    const m = key.slice(key.indexOf('@') + 1);
    u.activeDays = active.get(key)?.size ?? 0;
    let run = 0;
    for (let d = dayOf(`${m}-01`); d <= monthEnd(m); d++) {
      run = outDays.get(key)?.has(d) ? 0 : run + 1;
      u.longestSilent = Math.max(u.longestSilent, run);
    }
  }
  return out;
}

describe('retain features --all-months: the history features against the raw records', () => {
  const HISTORY = [
    'days_since_sms_out',
    'active_day_share',
    'spend_change',
    'voice_minutes_change',
    'data_change',
    'voice_calls_change',
    'active_days_change',
    'silent_run_vs_usual',
    'months_to_plan_end',
  ] as const;
  /** Each row's expected values: the mean of the previous 3 months' rows, NaN without one. */
  function expectedHistory(): Map<string, Record<(typeof HISTORY)[number], number>> {
    const usage = usageOf(billing, cdrFiles.flatMap(readCsv));
    const out = new Map<string, Record<(typeof HISTORY)[number], number>>();
    for (const r of billing) {
      if (r.status === 'closed') continue;
      const m = r.month!;
      const key = `${r.subscriber_id}@${m}`;
      const u = usage.get(key)!;
      const previous = MONTHS.slice(Math.max(0, MONTHS.indexOf(m) - 3), MONTHS.indexOf(m))
        .map((p) => usage.get(`${r.subscriber_id}@${p}`))
        .filter((p) => p !== undefined);
      const mean = (f: (p: Usage) => number) =>
        previous.length === 0 ? Number.NaN : previous.reduce((a, p) => a + f(p), 0) / previous.length;
      const change = (f: (p: Usage) => number) => {
        const avg = mean(f);
        return avg > 0 ? f(u) / avg - 1 : Number.NaN;
      };
      const end = monthEnd(m);
      const onNetwork = end - Math.max(dayOf(`${m}-01`), dayOf(r.activation_date!)) + 1;
      out.set(key, {
        days_since_sms_out: end - (u.lastSmsOut ?? dayOf(`${m}-01`) - 1),
        active_day_share: u.activeDays / onNetwork,
        spend_change: change((p) => p.billed),
        voice_minutes_change: change((p) => p.voiceMinutes),
        data_change: change((p) => p.dataMb),
        voice_calls_change: change((p) => p.voiceCalls),
        active_days_change: change((p) => p.activeDays),
        silent_run_vs_usual:
          previous.length === 0
            ? Number.NaN
            : u.longestSilent - Math.max(...previous.map((p) => p.longestSilent)),
        months_to_plan_end: r.plan_end_date ? (dayOf(r.plan_end_date) - end) / 30.4 : Number.NaN,
      });
    }
    return out;
  }

  it.each(HISTORY)('%s equals the recomputation for every row', (name) => {
    const want = expectedHistory();
    let defined = 0;
    for (const w of written) {
      const key = `${w.subscriber_id}@${w.month}`;
      const e = want.get(key)![name];
      if (Number.isNaN(e)) expect(w[name], key).toBe('');
      else {
        defined++;
        expect(Number(w[name]), key).toBeCloseTo(e, 9);
      }
    }
    // Most rows have a value, and not one value: the comparison can tell rows apart.
    expect(defined / written.length).toBeGreaterThan(0.5);
    expect(new Set(written.map((w) => w[name])).size).toBeGreaterThan(2);
  });
});

describe('retain features for one month', () => {
  it('writes the latest month by default, as Arrow, with the same values as the CSV', async () => {
    const r = await retain(
      ['-q', 'features', ...billingFiles, '--cdr', ...cdrFiles, '--format', 'arrow'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const table = tableFromIPC(readFileSync(join(dir, 'retain-features-2025-07.arrow')));
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'subscriber_id',
      'month',
      'churned_next_month',
      ...schemaNames(),
    ]);
    const july = written.filter((r) => r.month === '2025-07');
    expect(table.numRows).toBe(july.length);
    const ids = table.getChild('subscriber_id')!.toArray() as string[];
    const csvById = new Map(july.map((r) => [r.subscriber_id!, r]));
    for (const name of ['days_since_voice_out', 'tenure_days', 'own_care_calls', 'months_to_plan_end']) {
      const col = table.getChild(name)!.toArray() as Float64Array;
      ids.forEach((id, i) => {
        const cell = csvById.get(id)![name]!;
        if (cell === '') expect(col[i], `${id} ${name}`).toBeNaN();
        else expect(col[i], `${id} ${name}`).toBe(Number(cell));
      });
    }
  });

  it('writes the month asked for, labelled', async () => {
    const r = await retain(
      ['-q', 'features', ...billingFiles, '--cdr', ...cdrFiles, '--month', '2025-03', '--out', 'march.csv'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const march = readCsv(join(dir, 'march.csv'));
    expect(march).toEqual(written.filter((w) => w.month === '2025-03'));
  });

  it('lowers --threads above the core count to it, says so, and writes the same file', async () => {
    const r = await retain([...ALL_MONTHS, '--threads', '1024', '--out', 'many.csv'], dir);
    expect(r.code, r.stderr).toBe(0);
    const cores = usableCores();
    const noun = cores === 1 ? 'core' : 'cores';
    expect(r.stderr).toContain(
      `--threads 1024 is more than the ${cores} ${noun} this process may use: using ${cores}`,
    );
    expect(readFileSync(join(dir, 'many.csv'))).toEqual(readFileSync(join(dir, 'all.csv')));
  });

  it('without CDRs, writes the CDR features blank', async () => {
    const r = await retain(['-q', 'features', ...billingFiles, '--out', 'nocdr.csv'], dir);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsv(join(dir, 'nocdr.csv'));
    expect(rows.every((w) => w.days_since_voice_out === '' && w.tenure_days !== '')).toBe(true);
  });
});

describe('retain features --out -', () => {
  it('writes the CSV to standard output, byte for byte the file --out FILE writes, and its summary to the log', async () => {
    const file = await retain(['-q', 'features', ...billingFiles, '--bom', '--out', 'piped.csv'], dir);
    expect(file.code, file.stderr).toBe(0);
    const r = await retain(['features', ...billingFiles, '--bom', '--out', '-'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(Buffer.from(r.stdout).equals(readFileSync(join(dir, 'piped.csv')))).toBe(true);
    expect(existsSync(join(dir, '-'))).toBe(false);
    expect(logText(r.stderr)).toMatch(/features written to standard output/);
  });
});

describe('retain features refuses', () => {
  it.each([
    [['--month', '2030-01'], /^--month 2030-01 is not in the billing input \(months: 2025-01, .*2025-07\)$/],
    [['--month', 'March'], /^--month "March" is not a month/],
    [['--month', '2025-03', '--all-months'], /--month or --all-months, not both/],
    [['--format', 'xlsx'], /argument 'xlsx' is invalid/],
    [
      ['--out', 'same.csv', '--rejects', './same.csv'],
      /^--out and --rejects name the same path \(same\.csv\)/,
    ],
    [
      ['--out', 'g.parquet'],
      /^--out g\.parquet names a Parquet file, but --format is csv: give --format parquet, or a name ending \.csv$/,
    ],
    [
      ['--out', 'g.CSV', '--format', 'arrow'],
      /^--out g\.CSV names a CSV file, but --format is arrow: give --format csv, or a name ending \.arrow$/,
    ],
  ])('%j (exit 2)', async (flags, message) => {
    const r = await retain(['features', ...billingFiles, ...flags], dir);
    expect(r.code).toBe(2);
    expect(errorMessage(r.stderr)).toMatch(message);
  });

  it('a billing file that is not there, naming it (exit 3)', async () => {
    const r = await retain(['features', join(dir, 'none.csv')], dir);
    expect(r.code).toBe(3);
    expect(errorMessage(r.stderr)).toContain('none.csv');
  });

  it('an --out that is a folder, leaving it as it was (exit 2)', async () => {
    const folder = join(dir, 'taken');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'mine');
    const r = await retain(['features', ...billingFiles, '--out', 'taken'], dir);
    expect(r.code).toBe(2);
    expect(errorMessage(r.stderr)).toMatch(/--out .*taken is a folder/);
    expect(readdirSync(folder)).toEqual(['notes.txt']);
  });

  it.each([
    ['a file of the user', 'notes.csv', 'subscriber_id,month,my_score\nA,2025-07,3\n'],
    ['an input billing file', null, null],
  ])('an --out that is %s, leaving it as it was (exit 2)', async (_, name, text) => {
    const path = name === null ? billingFiles[0]! : join(dir, name);
    if (text !== null) writeFileSync(path, text);
    const before = readFileSync(path);
    const r = await retain(['features', ...billingFiles, '--out', path], dir);
    expect(r.code).toBe(2);
    expect(errorMessage(r.stderr)).toContain('exists and is not a feature file written by retain features');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it.each(['csv', 'arrow', 'parquet'])(
    'replaces a %s feature file it wrote, and an empty file',
    async (format) => {
      const path = join(dir, `again.${format}`);
      writeFileSync(path, '');
      for (let run = 0; run < 2; run++) {
        const r = await retain(['-q', 'features', ...billingFiles, '--format', format, '--out', path], dir);
        expect(r.code, r.stderr).toBe(0);
      }
      const rows =
        format === 'csv'
          ? readCsv(path).length
          : format === 'arrow'
            ? tableFromIPC(readFileSync(path)).numRows
            : Number(parquetMetadata(new Uint8Array(readFileSync(path)).buffer).num_rows);
      expect(rows).toBe(written.filter((w) => w.month === '2025-07').length);
    },
  );
});

describe('silent_days on the sample operator', () => {
  /** Share of rows per month where silent_days fired, under a config. */
  async function firingShare(config: object): Promise<number[]> {
    const name = `silent-${Object.keys(config).length}.json`;
    writeFileSync(join(dir, name), JSON.stringify(config));
    const out = `silent-${Object.keys(config).length}.csv`;
    const r = await retain(
      [
        '-q',
        'features',
        ...billingFiles,
        '--cdr',
        ...cdrFiles,
        '--all-months',
        '--config',
        name,
        '--out',
        out,
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsv(join(dir, out));
    return MONTHS.map((m) => {
      const month = rows.filter((w) => w.month === m);
      return month.filter((w) => w.trigger_silent_days === '1').length / month.length;
    });
  }

  it('fires for most subscribers under the absolute rule, for a few under the relative one', async () => {
    const absolute = await firingShare({ triggers: { silent_days_rule: 'absolute' } });
    const relative = await firingShare({});
    for (const share of absolute) expect(share).toBeGreaterThan(0.8);
    // The first month has no earlier month to compare with.
    expect(relative[0]).toBe(0);
    for (const share of relative.slice(1)) {
      expect(share).toBeGreaterThan(0);
      expect(share).toBeLessThan(0.15);
    }
  });
});
