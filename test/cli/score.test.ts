/**
 * End to end on the shipped sample operator: train a small model, score the last month, then check
 * the lists and summary against an independent recomputation from the raw files (papaparse + zlib,
 * not the project's readers or feature code).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIST_COLUMNS, LISTS, TRIGGERS } from '../../src/index.js';
import { retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const billingFiles = files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f));
const cdrFiles = files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f));

type Row = Record<string, string>;

function parse(text: string): Row[] {
  const r = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
}

const readCsv = (path: string): Row[] =>
  parse(path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'retain-score-'));
const outDir = join(dir, 'out');
let billing: Row[];
let lists: Record<string, Row[]>;
let scores: Row[];
let summary: Record<string, unknown>;

beforeAll(async () => {
  const train = await retain(
    [
      'train',
      ...billingFiles.slice(0, -1),
      '--cdr',
      ...cdrFiles.slice(0, -1),
      '--out',
      'model.json',
      '--trees',
      '30',
      '--min-leaf',
      '10',
      '--threads',
      '2',
      '--log-level',
      'warn',
    ],
    dir,
  );
  expect(train.stderr).toBe('');
  expect(train.code).toBe(0);
  const score = await retain(
    [
      'score',
      ...billingFiles,
      '--cdr',
      ...cdrFiles,
      '--model',
      'model.json',
      '--out',
      'out',
      '--log-level',
      'warn',
    ],
    dir,
  );
  expect(score.code, score.stderr).toBe(0);
  billing = billingFiles.flatMap(readCsv);
  lists = Object.fromEntries(LISTS.map((l) => [l, readCsv(join(outDir, 'targets', `${l}.csv`))]));
  scores = readCsv(join(outDir, 'scores.csv'));
  summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
}, 300_000);

const month = '2025-07';
const monthRows = () => billing.filter((r) => r.month === month);
const byId = () => new Map(monthRows().map((r) => [r.subscriber_id!, r]));

describe('retain score on the sample operator', () => {
  it('scores every subscriber billed in the last month exactly once', () => {
    expect(scores.map((r) => r.subscriber_id).sort()).toEqual(
      monthRows()
        .map((r) => r.subscriber_id)
        .sort(),
    );
    expect(new Set(scores.map((r) => r.month))).toEqual(new Set([month]));
  });

  it('writes every list, with the contract columns', () => {
    for (const l of LISTS) {
      const header = readFileSync(join(outDir, 'targets', `${l}.csv`), 'utf8').split('\n')[0];
      expect(header).toBe(LIST_COLUMNS.join(','));
    }
    expect(lists.warning!.length).toBeGreaterThan(0);
    expect(lists.maturity!.length).toBeGreaterThan(0);
  });

  it('never lists excluded cards, do-not-disturb or closed accounts', () => {
    const rows = byId();
    for (const l of LISTS) {
      for (const r of lists[l]!) {
        const b = rows.get(r.subscriber_id!)!;
        expect(b.card_type === '' || b.card_type === 'normal', `${l} ${r.subscriber_id}`).toBe(true);
        expect(b.do_not_disturb, `${l} ${r.subscriber_id}`).not.toBe('1');
        expect(b.status, `${l} ${r.subscriber_id}`).not.toBe('closed');
      }
    }
    // The sample does hold excluded subscribers, so the check above is not vacuous.
    expect(monthRows().some((r) => r.card_type !== 'normal')).toBe(true);
    expect(monthRows().some((r) => r.do_not_disturb === '1')).toBe(true);
  });

  it('puts group customers on the group list only, and only them', () => {
    const rows = byId();
    for (const l of LISTS) {
      for (const r of lists[l]!)
        expect(rows.get(r.subscriber_id!)!.customer_type === 'group').toBe(l === 'group');
    }
    expect(lists.group!.length).toBeGreaterThan(0);
  });

  it('sorts every list by revenue at risk, highest first', () => {
    for (const l of LISTS) {
      const v = lists[l]!.map((r) => Number(r.revenue_at_risk));
      for (let i = 1; i < v.length; i++) expect(v[i]!).toBeLessThanOrEqual(v[i - 1]!);
    }
  });

  it('holds the control group out of the warning list', () => {
    const control = new Set(scores.filter((r) => r.control === '1').map((r) => r.subscriber_id));
    expect(control.size).toBeGreaterThan(0);
    for (const r of lists.warning!) expect(control.has(r.subscriber_id)).toBe(false);
  });

  it('fires the same triggers as a recomputation from the raw files', () => {
    const expected = recomputeTriggers(billing, cdrFiles.flatMap(readCsv));
    let compared = 0;
    for (const r of scores) {
      const fired = r.triggers === '' ? [] : r.triggers!.split(';');
      expect(fired.sort(), r.subscriber_id).toEqual([...expected.get(r.subscriber_id!)!].sort());
      compared++;
    }
    expect(compared).toBe(monthRows().length);
    // Every trigger fires for someone in the sample, so each rule was really compared.
    const counts = summary.triggers as Record<string, number>;
    for (const t of ['spend_drop', 'competitor_care', 'arrears_or_cancel', 'suspensions', 'plan_expiring'])
      expect(counts[t], t).toBeGreaterThan(0);
  });

  it('reports the retention KPIs of the locked subscribers', () => {
    const kpis = summary.kpis as Record<string, unknown>;
    const expected = recomputeKpis(billing);
    expect(expected.locked).toBeGreaterThan(100);
    expect(kpis).toMatchObject({
      locked: expected.locked,
      daily_revenue_retention: expect.closeTo(expected.retention, 9),
      monthly_billed_churn: expect.closeTo(expected.churn, 9),
    });
  });

  it('counts stages, tiers and lists consistently with the files', () => {
    const stages = summary.stages as Record<string, number>;
    for (const s of ['onboarding', 'growth', 'maturity', 'warning'])
      expect(stages[s]).toBe(scores.filter((r) => r.stage === s).length);
    const listed = summary.lists as Record<string, number>;
    for (const l of LISTS) expect(listed[l]).toBe(lists[l]!.length);
  });
});

describe('retain report', () => {
  it('writes a self-contained HTML report of the scored month', async () => {
    const r = await retain(['report', 'out', '--top', '5'], dir);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('Retention report for 2025-07');
    expect(html).toContain(`${scores.length.toLocaleString('en')} subscribers scored`);
    // The five riskiest-by-revenue warning rows, in list order.
    const ids = [...html.matchAll(/<tr><td>(\d{10})<\/td>/g)].map((m) => m[1]);
    expect(ids).toEqual(lists.warning!.slice(0, 5).map((x) => x.subscriber_id));
    // No script and nothing fetched: the only addresses are the SVG namespaces.
    expect(html).not.toMatch(/<script|(src|href)="https?:|url\(https?:|@import/);
  });
});

describe('retain score --format arrow', () => {
  it('writes the same lists as Arrow IPC files', async () => {
    const r = await retain(
      [
        'score',
        ...billingFiles,
        '--cdr',
        ...cdrFiles,
        '--model',
        'model.json',
        '--out',
        'arrow',
        '--format',
        'arrow',
        '-q',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    for (const l of LISTS) {
      const t = tableFromIPC(readFileSync(join(dir, 'arrow', 'targets', `${l}.arrow`)));
      expect(t.schema.fields.map((f) => f.name)).toEqual([...LIST_COLUMNS]);
      expect(t.getChild('subscriber_id')!.toArray()).toEqual(lists[l]!.map((x) => x.subscriber_id));
      expect(Array.from(t.getChild('revenue_at_risk')!.toArray() as Float64Array)).toEqual(
        lists[l]!.map((x) => Number(x.revenue_at_risk)),
      );
    }
  });
});

describe('retain evaluate on a held-out future month', () => {
  it('measures June scores against who left in July, as a brute-force recomputation does', async () => {
    const june = await retain(
      [
        'score',
        ...billingFiles.slice(0, -1),
        '--cdr',
        ...cdrFiles.slice(0, -1),
        '--model',
        'model.json',
        '--out',
        'june',
        '--log-level',
        'warn',
      ],
      dir,
    );
    expect(june.code, june.stderr).toBe(0);
    const r = await retain(
      ['evaluate', 'june', billingFiles.at(-1)!, '--out', 'eval.json', '--log-level', 'warn'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8'));
    const stayed = new Set(
      billing.filter((b) => b.month === '2025-07' && b.status !== 'closed').map((b) => b.subscriber_id),
    );
    const rows = readCsv(join(dir, 'june', 'scores.csv')).filter((x) => x.exclusion !== 'closed');
    const left = rows.filter((x) => !stayed.has(x.subscriber_id));
    const kept = rows.filter((x) => stayed.has(x.subscriber_id));
    let wins = 0;
    for (const a of left)
      for (const b of kept) {
        const d = Number(a.churn_probability) - Number(b.churn_probability);
        wins += d > 0 ? 1 : d === 0 ? 0.5 : 0;
      }
    expect(e.evaluated).toBe(rows.length);
    expect(e.metrics.positives).toBe(left.length);
    expect(e.metrics.auc).toBeCloseTo(wins / (left.length * kept.length), 3);
    expect(e.metrics.auc).toBeGreaterThan(0.7);
    expect(r.stdout).toMatch(/^2025-06 scored, outcome from 2025-07/);
  });
});

describe('retain score --control-share', () => {
  it('auto sizes the control group by power, records it in summary.json, and warns when no size is enough', async () => {
    const r = await retain(
      [
        'score',
        ...billingFiles,
        '--cdr',
        ...cdrFiles,
        '--model',
        'model.json',
        '--out',
        'auto',
        '--control-share',
        'auto',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'auto', 'summary.json'), 'utf8'));
    const rows = readCsv(join(dir, 'auto', 'scores.csv'));
    // The sample's warning band is about a hundred subscribers: no control group detects 2 points.
    expect(s.control_sizing).toMatchObject({ basis: 'power', reachesPower: false });
    // The largest share allowed (evaluation.max_control_share, 0.5) in whole subscribers.
    const band = s.control_sizing.band;
    expect(s.control_sizing.share).toBe(Math.floor(0.5 * band) / band);
    expect(band).toBe(
      rows.filter((x) => x.stage === 'warning' && x.eligible === '1').length -
        lists.group!.filter((x) => x.stage === 'warning').length,
    );
    expect(s.control_group).toBe(rows.filter((x) => x.control === '1').length);
    expect(s.control_group).toBeGreaterThan(s.control_sizing.band * 0.3);
    expect(r.stderr).toMatch(/detects a 2\.0-point effect with only \d+% power/);
  });

  it('logs the sizing without float noise, and keeps summary.json whole', async () => {
    const band = (summary.control_sizing as { band: number }).band;
    const twoPlaces = (x: number) => Math.round(x * 100) / 100;
    // A share whose product with the band is not exact in binary (0.08 × 95 = 7.6000000000000005).
    const share = Array.from({ length: 99 }, (_, i) => (i + 1) / 100).find(
      (x) => String(x * band) !== String(twoPlaces(x * band)),
    )!;
    const args = ['score', ...billingFiles, '--cdr', ...cdrFiles, '--model', 'model.json'];
    const r = await retain([...args, '--out', 'noise', '--control-share', String(share)], dir);
    expect(r.code, r.stderr).toBe(0);
    const logged = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'control group sized')!;
    const kept = JSON.parse(readFileSync(join(dir, 'noise', 'summary.json'), 'utf8')).control_sizing;
    expect(kept).toMatchObject({ band, share, control: share * band });
    expect(logged).toMatchObject({
      band,
      share,
      control: twoPlaces(share * band),
      called: twoPlaces(kept.called),
    });
    expect(String(logged.control)).toMatch(/^\d+(\.\d{1,2})?$/);
  });

  it('refuses a share outside 0..1 as a usage error', async () => {
    const r = await retain(['score', ...billingFiles, '--control-share', '1.5'], dir);
    expect(r.code).toBe(2);
  });
});

describe('retain score --contact-history', () => {
  it('lists nobody a call reached within the contact gap, and says why in scores.csv', async () => {
    // July is scored, so lists are issued on 1 August; the gap is 30 days (2 July excluded).
    const warning = lists.warning!.map((r) => r.subscriber_id!);
    const [recent, edge, unreached, older] = warning;
    writeFileSync(
      join(dir, 'history.csv'),
      'subscriber_id,month,list,contacted,contact_date\n' +
        `${recent},2025-06,warning,1,2025-07-20\n` +
        `${edge},2025-06,warning,1,2025-07-02\n` +
        `${unreached},2025-06,warning,0,2025-07-25\n` +
        `${older},2025-05,warning,1,2025-06-10\n`,
    );
    const r = await retain(
      [
        'score',
        ...billingFiles,
        '--cdr',
        ...cdrFiles,
        '--model',
        'model.json',
        '--out',
        'history',
        '--contact-history',
        'history.csv',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const listed = new Set(
      LISTS.flatMap((l) => readCsv(join(dir, 'history', 'targets', `${l}.csv`)).map((x) => x.subscriber_id)),
    );
    expect(listed.has(recent)).toBe(false);
    for (const id of [edge, unreached, older]) expect(listed.has(id)).toBe(true);
    const row = readCsv(join(dir, 'history', 'scores.csv')).find((x) => x.subscriber_id === recent)!;
    expect([row.eligible, row.exclusion, row.control]).toEqual(['0', 'recently_contacted', '0']);
    const s = JSON.parse(readFileSync(join(dir, 'history', 'summary.json'), 'utf8'));
    expect(s.excluded.recently_contacted).toBe(1);
    expect(s.inputs.at(-1)).toMatchObject({ kind: 'outcomes', rows: 4, rejects: 0 });
  });
});

describe('retain score on a month with bad rows', () => {
  it('stops with exit 3 past the bad-row limit, naming the file, and writes nothing', async () => {
    const lines = readFileSync(billingFiles.at(-1)!, 'utf8').trim().split('\n');
    // 20 of ~1,150 rows with a negative amount: above the default 1% limit.
    const bad = lines.map((l, i) => (i > 0 && i <= 20 ? l.replace(/,(\d+\.\d+),/, ',-$1,') : l));
    writeFileSync(join(dir, 'billing-bad.csv'), `${bad.join('\n')}\n`);
    const r = await retain(
      [
        'score',
        ...billingFiles.slice(0, -1),
        'billing-bad.csv',
        '--cdr',
        ...cdrFiles,
        '--model',
        'model.json',
        '--out',
        'bad-out',
        '--rejects',
        'rejects.csv',
      ],
      dir,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/billing-bad\.csv: 20 of 1154 rows are bad \(1\.73%, limit 1\.00%\)/);
    expect(r.stderr).toMatch(/billed_amount: negative_value/);
    expect(readdirSync(dir)).not.toContain('bad-out');
  });
});

describe('retain score with a model that does not fit the data', () => {
  it('refuses billing without CDRs for a model trained with them, naming the missing features (exit 4)', async () => {
    const r = await retain(['score', ...billingFiles, '--model', 'model.json', '--out', 'nocdr'], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /model\.json does not fit the data: .*no CDR file covers 2025-07, so the data lacks voice_out_calls, voice_in_calls/,
    );
    expect(readdirSync(dir)).not.toContain('nocdr');
  });

  it('refuses a file that is not a model (exit 4)', async () => {
    const r = await retain(['score', ...billingFiles, '--model', billingFiles[0]!], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not a model file/);
  });
});

const OWN = new Set(['10010']);
const COMPETITOR = new Set(['10086', '10000']);
const DAY = 86_400_000;
const dayOf = (s: string) => Date.parse(`${s.slice(0, 10)}T00:00:00Z`) / DAY;
const monthOf = (s: string) => s.slice(0, 7);
const prevMonths = (m: string, k: number) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return Array.from({ length: k }, (_, i) => {
    const d = new Date(Date.UTC(y, mo - 2 - i, 1));
    return d.toISOString().slice(0, 7);
  });
};

/** Longest run of days in the month without an outgoing voice call (days are counted in UTC day numbers). */
function longestSilentRun(outDays: Map<string, Set<number>>, id: string, m: string): number {
  const start = dayOf(`${m}-01`);
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const end = Date.UTC(y, mo, 0) / DAY;
  let run = 0;
  let longest = 0;
  for (let d = start; d <= end; d++) {
    run = outDays.get(`${id}@${m}`)?.has(d) ? 0 : run + 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

function recomputeTriggers(billing: Row[], cdr: Row[]): Map<string, Set<string>> {
  const bill = new Map(billing.map((r) => [`${r.subscriber_id}@${r.month}`, r]));
  const minutes = new Map<string, number>();
  const calls = new Map<string, number>();
  const care = new Map<string, number>();
  const competitor = new Map<string, number>();
  const outDays = new Map<string, Set<number>>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const e of cdr) {
    if (e.event_type !== 'voice') continue;
    const key = `${e.subscriber_id}@${monthOf(e.start_time!)}`;
    add(minutes, key, Number(e.duration_s) / 60);
    add(calls, key, 1);
    if (e.direction !== 'out') continue;
    if (!outDays.has(key)) outDays.set(key, new Set());
    outDays.get(key)!.add(dayOf(e.start_time!));
    if (OWN.has(e.other_party!) || COMPETITOR.has(e.other_party!)) add(care, key, 1);
    if (COMPETITOR.has(e.other_party!)) add(competitor, key, 1);
  }
  const out = new Map<string, Set<string>>();
  const first = dayOf(`${month}-01`);
  const last = dayOf('2025-07-31');
  for (const r of billing.filter((b) => b.month === month)) {
    const id = r.subscriber_id!;
    const key = `${id}@${month}`;
    const fired = new Set<string>();
    const history = prevMonths(month, 3).filter((m) => bill.has(`${id}@${m}`));
    if (history.length > 0) {
      const spendAvg =
        history.reduce((s, m) => s + Number(bill.get(`${id}@${m}`)!.billed_amount), 0) / history.length;
      if (spendAvg > 0 && (spendAvg - Number(r.billed_amount)) / spendAvg >= 0.3 - 1e-9)
        fired.add('spend_drop');
      const voiceAvg = history.reduce((s, m) => s + (minutes.get(`${id}@${m}`) ?? 0), 0) / history.length;
      if (voiceAvg > 0 && Math.abs((minutes.get(key) ?? 0) / voiceAvg - 1) >= 0.5 - 1e-9)
        fired.add('usage_shift');
    }
    // silent_days, relative rule: a run of >= 3 days that is at least twice the longest run of the
    // previous 3 months billed (every sample month has CDRs); none billed, no fire.
    const longest = longestSilentRun(outDays, id, month);
    const usual = history.map((m) => longestSilentRun(outDays, id, m));
    if (longest >= 3 && usual.length > 0 && longest >= 2 * Math.max(...usual)) fired.add('silent_days');
    if ((calls.get(key) ?? 0) === 0) fired.add('zero_usage');
    if ((care.get(key) ?? 0) > 5) fired.add('care_calls');
    if ((competitor.get(key) ?? 0) >= 1) fired.add('competitor_care');
    if (Number(r.suspension_count || 0) > 3) fired.add('suspensions');
    if (r.status === 'suspended' || r.ownership_change === '1' || r.plan_change === '1')
      fired.add('status_change');
    if (r.status === 'arrears_suspended' || r.status === 'pending_cancel') fired.add('arrears_or_cancel');
    if (r.plan_end_date) {
      const end = dayOf(r.plan_end_date);
      if (end >= first && end <= last + 30) fired.add('plan_expiring');
    }
    for (const t of fired) expect(TRIGGERS).toContain(t);
    out.set(id, fired);
  }
  return out;
}

/** DATA-CONTRACT §6, straight from the billing rows. */
function recomputeKpis(billing: Row[]): { locked: number; retention: number; churn: number } {
  const prev = '2025-06';
  const bill = new Map(billing.map((r) => [`${r.subscriber_id}@${r.month}`, r]));
  const locked = billing.filter((r) => {
    if (r.month !== prev || (r.card_type || 'normal') !== 'normal') return false;
    const window = ['2025-04', '2025-05', '2025-06']
      .map((m) => bill.get(`${r.subscriber_id}@${m}`))
      .filter(Boolean);
    const avg = window.reduce((s, w) => s + Number(w!.billed_amount), 0) / window.length;
    return avg >= 50;
  });
  const before = locked.reduce((s, r) => s + Number(r.billed_amount), 0) / 30;
  const now =
    locked.reduce((s, r) => s + Number(bill.get(`${r.subscriber_id}@${month}`)?.billed_amount ?? 0), 0) / 31;
  const gone = locked.filter((r) => !bill.has(`${r.subscriber_id}@${month}`)).length;
  return { locked: locked.length, retention: now / before, churn: gone / locked.length };
}
