/**
 * retain evaluate on the shipped sample: June scored with the shipped model and a large control
 * group, July's billing as the outcome. Every figure is recomputed here from the raw files
 * (papaparse, and Wilson and Newcombe written out again), not with the project's code.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileSinks, generateOperator, readCampaignPlan } from '../../scripts/generate/index.js';
import { errorMessage, logText, retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const june = (prefix: string) =>
  files.filter((f) => f.startsWith(prefix) && !f.includes('2025-07')).map((f) => join(SAMPLE, f));
const JULY = join(SAMPLE, 'billing-2025-07.csv');

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => {
  const r = Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return r.data;
};

// simple-statistics' erf is exact to about 1e-7, which bounds the agreement of the quantile and so of the interval ends.
const Z = 1.959963984540054;
function wilsonByHand(x: number, n: number): [number, number] {
  const p = x / n;
  const centre = p + (Z * Z) / (2 * n);
  const spread = Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  const d = 1 + (Z * Z) / n;
  return [(centre - spread) / d, (centre + spread) / d];
}
function newcombeByHand(x1: number, n1: number, x2: number, n2: number): [number, number, number] {
  const [l1, u1] = wilsonByHand(x1, n1);
  const [l2, u2] = wilsonByHand(x2, n2);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  return [d, d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/**
 * Expected calibration error: rows sorted by probability in ten bins of equal size, a run of equal
 * probabilities shared between the bins it straddles, each part at the run's churn rate; Σ over bins
 * of |Σ probability − Σ churned| / rows.
 */
function eceByHand(p: number[], y: number[], bins = 10): number {
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const runs: { p: number; w: number; k: number }[] = [];
  for (const i of order) {
    const last = runs.at(-1);
    if (last && last.p === p[i]) {
      last.w++;
      last.k += y[i]!;
    } else runs.push({ p: p[i]!, w: 1, k: y[i]! });
  }
  const size = p.length / bins;
  let error = 0;
  let filled = 0;
  let sumP = 0;
  let sumY = 0;
  for (const run of runs) {
    let left = run.w;
    while (left > 1e-9) {
      const take = Math.min(left, size - filled);
      filled += take;
      sumP += take * run.p;
      sumY += (take * run.k) / run.w;
      left -= take;
      if (filled >= size - 1e-9) {
        error += Math.abs(sumP - sumY);
        filled = 0;
        sumP = 0;
        sumY = 0;
      }
    }
  }
  return (error + Math.abs(sumP - sumY)) / p.length;
}

const dir = mkdtempSync(join(tmpdir(), 'retain-evaluate-'));
let stayed: Set<string>;

async function scoreJune(out: string, extra: string[]): Promise<void> {
  const r = await retain(
    [
      'score',
      ...june('billing-'),
      '--cdr',
      ...june('cdr-'),
      '--out',
      out,
      '--control-share',
      '0.4',
      ...extra,
    ],
    dir,
  );
  expect(r.code, r.stderr).toBe(0);
}

/** The arms and churn as a reader of the files sees them. */
function armsByHand(out: string, cutoff: boolean) {
  const scores = readCsv(join(dir, out, 'scores.csv')).filter((r) => r.exclusion !== 'closed');
  const listed = readCsv(join(dir, out, 'targets', 'warning.csv'));
  const onList = new Set(listed.map((r) => r.subscriber_id));
  const lowest = Math.min(...listed.map((r) => Number(r.revenue_at_risk)));
  const called = scores.filter((r) => onList.has(r.subscriber_id!));
  const control = scores.filter(
    (r) => r.control === '1' && r.eligible === '1' && (!cutoff || Number(r.revenue_at_risk) >= lowest),
  );
  const left = (rows: Row[]) => rows.filter((r) => !stayed.has(r.subscriber_id!)).length;
  return { scores, called, control, xt: left(called), xc: left(control) };
}

beforeAll(async () => {
  stayed = new Set(
    readCsv(JULY)
      .filter((r) => r.status !== 'closed')
      .map((r) => r.subscriber_id!),
  );
  await scoreJune('june', []);
  await scoreJune('capped', ['--capacity', '40']);
}, 120_000);

describe('retain evaluate: the measured effect', () => {
  it('gives the difference, its Newcombe interval and the capture rate a recomputation gives', async () => {
    const r = await retain(['evaluate', 'june', JULY, '--out', 'june.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, 'june.json'), 'utf8'));
    const { scores, called, control, xt, xc } = armsByHand('june', false);
    expect(control.length).toBeGreaterThan(30);
    const o = e.campaign.overall;
    expect(o.called).toMatchObject({ subscribers: called.length, churned: xt });
    expect(o.control).toMatchObject({ subscribers: control.length, churned: xc });
    const [d, low, high] = newcombeByHand(xt, called.length, xc, control.length);
    expect(o.difference).toBeCloseTo(d, 12);
    expect(o.interval.low).toBeCloseTo(low, 7);
    expect(o.interval.high).toBeCloseTo(high, 7);
    expect(o.subscribersKept.estimate).toBeCloseTo(-d * called.length, 9);

    const churners = scores.filter((x) => !stayed.has(x.subscriber_id!));
    const flagged = churners.filter((x) => x.stage === 'warning').length;
    expect(e.capture).toMatchObject({ churners: churners.length, inWarningStage: flagged });
    expect(e.capture.rate).toBeCloseTo(flagged / churners.length, 12);
    const [cl, ch] = wilsonByHand(flagged, churners.length);
    expect(e.capture.interval.low).toBeCloseTo(cl, 7);
    expect(e.capture.interval.high).toBeCloseTo(ch, 7);

    const p = scores.map((x) => Number(x.churn_probability));
    const churned = scores.map((x) => (stayed.has(x.subscriber_id!) ? 0 : 1));
    const ece = eceByHand(p, churned);
    expect(ece).toBeGreaterThan(0);
    expect(e.calibrationError).toBeCloseTo(ece, 10);
    expect(r.stdout).toContain(`ECE ${ece.toFixed(4)}`);

    expect(r.stdout).toContain(`called  ${String(called.length).padStart(9)}`);
    expect(r.stdout).toMatch(/TOO SMALL TO TELL: with \d+ in the control group a 2\.0-point effect/);
  });

  it('with a capacity compares only the control subscribers who would have made the list', async () => {
    const r = await retain(['evaluate', 'capped', JULY, '--out', 'capped.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, 'capped.json'), 'utf8'));
    const { called, control, xt, xc } = armsByHand('capped', true);
    const all = armsByHand('capped', false).control;
    expect(called.length).toBe(40);
    expect(control.length).toBeLessThan(all.length);
    expect(e.campaign.controlBelowCutoff).toBe(all.length - control.length);
    const [d, low, high] = newcombeByHand(xt, 40, xc, control.length);
    expect(e.campaign.overall.control.subscribers).toBe(control.length);
    expect(e.campaign.overall.difference).toBeCloseTo(d, 12);
    expect(e.campaign.overall.interval.low).toBeCloseTo(low, 7);
    expect(e.campaign.overall.interval.high).toBeCloseTo(high, 7);
  });

  it('with work-order outcomes gives the effect on those reached, and names what does not fit', async () => {
    const { called, control, xt, xc } = armsByHand('june', false);
    // Two in three listed subscribers reached, offers alternating; one control subscriber called
    // by mistake; one work order for a subscriber on no list; one listed subscriber without any.
    const lines = called.slice(1).map((r, k) => {
      const reached = k % 3 !== 0;
      return `${r.subscriber_id},2025-06,warning,${reached ? 1 : 0},${reached ? '2025-07-03' : ''},${k % 2 ? 'bundle' : 'discount'},${reached ? 1 : ''},call`;
    });
    lines.push(`${control[0]!.subscriber_id},2025-06,warning,1,2025-07-04,discount,0,call`);
    lines.push('9999999999,2025-06,warning,1,2025-07-04,discount,0,call');
    writeFileSync(
      join(dir, 'outcomes.csv'),
      `subscriber_id,month,list,contacted,contact_date,action,accepted,channel\n${lines.join('\n')}\n`,
    );
    const r = await retain(
      ['evaluate', 'june', JULY, '--outcomes', 'outcomes.csv', '--out', 'reached.json'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, 'reached.json'), 'utf8'));
    const reachedCalled = called.slice(1).filter((_, k) => k % 3 !== 0).length;
    const rt = reachedCalled / called.length;
    const rc = 1 / control.length;
    const itt = xt / called.length - xc / control.length;
    expect(e.campaign.overall.reached.contactRate).toBeCloseTo(rt, 12);
    expect(e.campaign.overall.reached.controlContactRate).toBeCloseTo(rc, 12);
    expect(e.campaign.overall.reached.effect).toBeCloseTo(itt / (rt - rc), 12);
    expect(e.campaign.workOrders).toMatchObject({ offList: 1, calledWithout: 1, controlContacted: 1 });
    expect(e.campaign.byAction.map((g: { group: string }) => g.group)).toEqual([
      '(none)',
      'bundle',
      'discount',
    ]);
    expect(e.campaign.byAction[1].control.subscribers).toBe(control.length);
    expect(r.stderr).toContain('1 warning work orders name subscribers neither on the 2025-06 warning list');
    expect(r.stdout).toMatch(
      /reached \d+\.\d% of the called \(and \d+\.\d% of the control group\); effect on those reached/,
    );
  });

  it('stops with exit 3 on a folder without a manifest whose summary.json is not a summary, naming every bad field', async () => {
    cpSync(join(dir, 'june'), join(dir, 'bare'), { recursive: true });
    rmSync(join(dir, 'bare', 'retain-run.json'));
    writeFileSync(join(dir, 'bare', 'summary.json'), '{"kpi_cohorts":{"x":1}}\n');
    const r = await retain(['evaluate', 'bare', JULY, '--out', 'bare.json'], dir);
    expect(r.code, r.stderr).toBe(3);
    expect(logText(r.stderr)).toContain('bare: no retain-run.json');
    const message = errorMessage(r.stderr);
    expect(message).toContain(
      `${join(dir, 'bare', 'summary.json')}: not a summary retain score wrote for a billing month (4 problems: `,
    );
    for (const field of ['capacity', 'kpi_cohorts.month', 'kpi_cohorts.definition', 'kpi_cohorts.overall'])
      expect(message).toContain(`${field}: `);
    expect(r.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
    expect(existsSync(join(dir, 'bare.json'))).toBe(false);
  });

  it('stops with exit 3 on a folder whose manifest gives another month than its scores, naming both', async () => {
    cpSync(join(dir, 'june'), join(dir, 'relabelled'), { recursive: true });
    const manifest = join(dir, 'relabelled', 'retain-run.json');
    writeFileSync(
      manifest,
      JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), month: '2025-05' }),
    );
    const r = await retain(['evaluate', 'relabelled', JULY, '--out', 'relabelled.json'], dir);
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toBe(
      `${join(dir, 'relabelled', 'scores.csv')}: of 2025-06, but ${manifest} gives 2025-05: the files of ` +
        `${join(dir, 'relabelled')} are not of one scored month (one edited, or copied in from another run); score the month again`,
    );
    expect(existsSync(join(dir, 'relabelled.json'))).toBe(false);
  });

  it('stops with exit 3 on an outcome file past the bad-row limit, naming the line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'subscriber_id,month,contacted\n0000000001,2025-06,maybe\n');
    const r = await retain(['evaluate', 'june', JULY, '--outcomes', 'bad.csv'], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 2, contacted: unknown_value');
  });

  it('stops with exit 3 on a next month holding half the scored subscribers, or with ids that lost their zeros', async () => {
    const lines = readFileSync(JULY, 'utf8').trimEnd().split('\n');
    writeFileSync(
      join(dir, 'half.csv'),
      `${[lines[0], ...lines.slice(1).filter((_, i) => i % 2 === 0)].join('\n')}\n`,
    );
    writeFileSync(join(dir, 'zeros.csv'), `${lines.map((l) => l.replace(/^0+(?=\d)/, '')).join('\n')}\n`);
    for (const file of ['half.csv', 'zeros.csv']) {
      const r = await retain(['evaluate', 'june', file], dir);
      expect(r.code, r.stderr).toBe(3);
      expect(errorMessage(r.stderr)).toMatch(
        new RegExp(
          `^${file}: only \\d+ of the \\d+ subscribers scored for 2025-06 \\(closed ones aside\\) have a row for 2025-07`,
        ),
      );
    }
  });

  it("warns of bad rows in the next month, and writes them with the outcomes' to --rejects", async () => {
    const lines = readFileSync(JULY, 'utf8').trimEnd().split('\n');
    lines[3] = lines[3]!.replace(/,(active|suspended|closed|[a-z_]+_suspended),/, ',gone,');
    writeFileSync(join(dir, 'one-bad.csv'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(dir, 'odd.csv'),
      'subscriber_id,month,contacted\n0000000001,2025-06,maybe\n0000000002,2025-06,1\n',
    );
    // One bad row of two outcomes is past the default bad-row limit.
    writeFileSync(join(dir, 'lenient.json'), JSON.stringify({ input: { max_bad_row_share: 0.6 } }));
    const r = await retain(
      [
        'evaluate',
        'june',
        'one-bad.csv',
        '--outcomes',
        'odd.csv',
        '--rejects',
        'rej.csv',
        '--config',
        'lenient.json',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(logText(r.stderr)).toMatch(/billing: 1 bad rows/);
    // Its subscriber, scored in June, is left out of the outcome (not counted as gone).
    const id = lines[3]!.split(',')[0]!;
    const scored = readCsv(join(dir, 'june', 'scores.csv')).filter((x) => x.exclusion !== 'closed');
    expect(scored.some((x) => x.subscriber_id === id)).toBe(true);
    expect(r.stdout.split('\n')[0]).toMatch(
      new RegExp(
        `: ${scored.length - 1} subscribers, .*; 1 left out, their billing row of 2025-07 set aside as bad$`,
      ),
    );
    const rejected = readCsv(join(dir, 'rej.csv'));
    expect(rejected.map((x) => [x.file!.endsWith('one-bad.csv') ? 'billing' : 'outcomes', x.line])).toEqual([
      ['billing', '4'],
      ['outcomes', '2'],
    ]);
  });
});

describe('retain evaluate on a generated campaign with a known effect', () => {
  it('covers the true effect of the calls, on everyone listed and on those reached', async () => {
    // Generate three months, score the third with the shipped model, then generate the same
    // operator for four months with that warning list called: April holds the calls' effect.
    const base = { subscribers: 5000, seed: 31, start: '2025-01' };
    await generateOperator(
      { ...base, months: 3, cdrMonths: 1 },
      createFileSinks({ out: join(dir, 'gen-a'), truth: false }),
    );
    const a = (name: string) => join(dir, 'gen-a', name);
    const s = await retain(
      [
        'score',
        ...['01', '02', '03'].map((m) => a(`billing-2025-${m}.csv`)),
        '--cdr',
        a('cdr-2025-03.csv'),
        '--out',
        'gen-scored',
        '--control-share',
        '0.5',
      ],
      dir,
    );
    expect(s.code, s.stderr).toBe(0);
    const plan = await readCampaignPlan(join(dir, 'gen-scored'));
    await generateOperator(
      { ...base, months: 4, cdrMonths: 0, campaign: plan },
      createFileSinks({ out: join(dir, 'gen-b') }),
    );
    const b = (name: string) => join(dir, 'gen-b', name);
    const r = await retain(
      [
        'evaluate',
        'gen-scored',
        b('billing-2025-04.csv'),
        '--outcomes',
        b('outcomes-2025-03.csv'),
        '--out',
        'gen.json',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, 'gen.json'), 'utf8'));

    // The truth over the subscribers compared: the listed and the control group (no capacity).
    const truth = readCsv(b('campaign-truth-2025-03.csv'));
    const effect = (t: Row) =>
      t.reachable === '1' ? Number(t.churn_with_call) - Number(t.churn_without_call) : 0;
    const itt = truth.reduce((sum, t) => sum + effect(t), 0) / truth.length;
    const reachable = truth.filter((t) => t.reachable === '1');
    const cace = reachable.reduce((sum, t) => sum + effect(t), 0) / reachable.length;
    const o = e.campaign.overall;
    expect(o.called.subscribers + o.control.subscribers).toBe(truth.length);
    expect(o.called.subscribers).toBe(plan.listed.size);
    expect(itt).toBeLessThan(0);
    expect(o.interval.low).toBeLessThanOrEqual(itt);
    expect(o.interval.high).toBeGreaterThanOrEqual(itt);
    expect(o.reached.interval.low).toBeLessThanOrEqual(cace);
    expect(o.reached.interval.high).toBeGreaterThanOrEqual(cace);
    expect(e.campaign.workOrders).toMatchObject({ calledWithout: 0, offList: 0, controlContacted: 0 });
    expect(e.campaign.byAction.map((g: { group: string }) => g.group)).toEqual([
      'bundle',
      'care_check',
      'discount',
    ]);
  }, 180_000);
});
