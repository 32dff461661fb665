/**
 * The generator's campaign: a known effect of calling the warning list. The months up to the list's
 * are those of a run without it, and the month after shows, for every subscriber of the campaign,
 * the potential outcome the truth file says they got.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CampaignPlan,
  createFileSinks,
  generateOperator,
  RESPONSE_TYPES,
} from '../../scripts/generate/index.js';
import { parseMonth, readOutcomes, UsageError } from '../../src/index.js';

type Row = Record<string, string>;
const readCsv = (path: string): Row[] =>
  Papa.parse<Row>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

const options = { subscribers: 2500, months: 3, seed: 23, cdrMonths: 0 };
const tempDir = () => mkdtempSync(join(tmpdir(), 'retain-campaign-'));
let plain: string;
let called: string;
let plan: CampaignPlan;

beforeAll(async () => {
  plain = tempDir();
  await generateOperator(options, createFileSinks({ out: plain }));
  // A plan as retain score would make one: every billed, not closed subscriber of March whose id
  // ends in 0–3 assigned, 4–5 held out.
  const march = readCsv(join(plain, 'billing-2025-03.csv')).filter((r) => r.status !== 'closed');
  const last = (r: Row) => Number(r.subscriber_id!.at(-1));
  plan = {
    month: parseMonth('2025-03'),
    listed: new Set(march.filter((r) => last(r) <= 3).map((r) => r.subscriber_id!)),
    control: new Set(march.filter((r) => last(r) === 4 || last(r) === 5).map((r) => r.subscriber_id!)),
  };
  called = tempDir();
  await generateOperator({ ...options, months: 4, campaign: plan }, createFileSinks({ out: called }));
}, 120_000);

describe('a generated campaign', () => {
  it('leaves every file up to the list month byte-identical to a run without it', () => {
    for (const name of readdirSync(plain))
      expect(readFileSync(join(called, name)).equals(readFileSync(join(plain, name))), name).toBe(true);
  });

  it('writes a truth row for every subscriber of the plan, of every response type', () => {
    const truth = readCsv(join(called, 'campaign-truth-2025-03.csv'));
    expect(truth).toHaveLength(plan.listed.size + plan.control.size);
    expect(
      truth
        .filter((t) => t.assigned === '1')
        .map((t) => t.subscriber_id)
        .sort(),
    ).toEqual([...plan.listed].sort());
    expect(new Set(truth.map((t) => t.type))).toEqual(new Set(RESPONSE_TYPES));
    for (const t of truth) {
      const expected = {
        persuadable: ['1', '0'],
        sure_thing: ['0', '0'],
        lost_cause: ['1', '1'],
        sleeping_dog: ['0', '1'],
      };
      expect([t.churn_without_call, t.churn_with_call]).toEqual(expected[t.type as keyof typeof expected]);
    }
  });

  it('gives each subscriber in April the outcome of the call they got, or the one without', () => {
    const truth = readCsv(join(called, 'campaign-truth-2025-03.csv'));
    const april = readCsv(join(called, 'billing-2025-04.csv'));
    const stayed = new Set(april.filter((r) => r.status !== 'closed').map((r) => r.subscriber_id));
    for (const t of truth) {
      const treated = t.assigned === '1' && t.reachable === '1';
      const churned = stayed.has(t.subscriber_id) ? '0' : '1';
      expect(churned, t.subscriber_id).toBe(treated ? t.churn_with_call : t.churn_without_call);
    }
    // Without the campaign the label is the one without a call: the plain run's March truth says so.
    const plainTruth = new Map(
      readCsv(join(plain, 'truth-2025-03.csv')).map((r) => [r.subscriber_id, r.churned_next]),
    );
    for (const t of truth) expect(t.churn_without_call).toBe(plainTruth.get(t.subscriber_id));
  });

  it('writes valid work orders for the listed subscribers, reached ones dated in the month after', async () => {
    const { table, files } = await readOutcomes([join(called, 'outcomes-2025-03.csv')]);
    expect(files[0]!.rejected).toBe(0);
    expect(table.n).toBe(plan.listed.size);
    const truth = new Map(
      readCsv(join(called, 'campaign-truth-2025-03.csv')).map((t) => [t.subscriber_id, t]),
    );
    const orders = readCsv(join(called, 'outcomes-2025-03.csv'));
    for (const o of orders) {
      const t = truth.get(o.subscriber_id)!;
      expect([o.contacted, o.action]).toEqual([t.reachable, t.action]);
      expect(o.contact_date === '').toBe(o.contacted === '0');
      if (o.contact_date) expect(o.contact_date >= '2025-04-01' && o.contact_date <= '2025-04-07').toBe(true);
    }
    const rate = orders.filter((o) => o.contacted === '1').length / orders.length;
    expect(rate).toBeGreaterThan(0.5);
    expect(rate).toBeLessThan(0.85);
  });

  it('refuses a plan of subscribers this simulation does not have, and a list month it does not reach', async () => {
    const other = { ...plan, listed: new Set(['x-not-a-subscriber']) };
    await expect(
      generateOperator({ ...options, months: 4, campaign: other }, createFileSinks({ out: tempDir() })),
    ).rejects.toThrow(/not billed in this simulation/);
    await expect(
      generateOperator({ ...options, campaign: plan }, createFileSinks({ out: tempDir() })),
    ).rejects.toThrow(UsageError);
  });
});
