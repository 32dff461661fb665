import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Float64, Schema, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildFeatures,
  createCdrAggregator,
  DEFAULT_CONFIG,
  dictToStrings,
  type FeatureResult,
  isDict,
  readBilling,
  readCdr,
} from '../../src/index.js';

// Same small operator as CSV text and as Arrow IPC: numbers typed as Float64, the rest as Utf8.
const BILLING_HEADER = [
  'subscriber_id',
  'month',
  'activation_date',
  'plan_id',
  'plan_end_date',
  'billed_amount',
  'status',
  'suspension_count',
  'topups',
];
// biome-ignore format: a case table reads best aligned
const BILLING: (string | number | null)[][] = [
  ['007', '2024-01', '2023-05-10', 'P1', '2024-02-15', 100,    'active',         0, 2],
  ['007', '2024-02', '2023-05-10', 'P1', '2024-02-15', 65.5,   'suspended',      4, 0],
  ['007', '2024-03', '2023-05-10', 'P2', null,         80,     'active',         0, 1],
  ['12',  '2024-01', '2024-01-20', 'P2', null,         30,     'active',         0, null],
  ['12',  '2024-02', '2024-01-20', 'P2', '2024-03-20', 30,     'closed',         0, 3],
  ['99',  '2024-03', '2024-03-01', 'P1', null,         250.25, 'pending_cancel', 1, 5],
];
const CDR_HEADER = [
  'subscriber_id',
  'start_time',
  'event_type',
  'direction',
  'duration_s',
  'bytes',
  'other_party',
  'charge',
];
// biome-ignore format: a case table reads best aligned
const CDR: (string | number | null)[][] = [
  ['007', '2024-02-01T00:00:00', 'voice', 'out', 120,  null,    '13900000001', 0.5],
  ['007', '2024-02-29T23:59:59', 'voice', 'in',  30,   null,    '13900000002', null],
  ['007', '2024-02-10T22:30:00', 'sms',   'out', null, null,    '10086',       0.1],
  ['007', '2024-02-11T08:00:00', 'voice', 'out', 60,   null,    '10086',       0],
  ['007', '2024-02-12T09:00:00', 'data',  null,  null, 5242880, null,          1.25],
  ['12',  '2024-02-03T12:00:00', 'voice', 'out', 600,  null,    '010-5550000', null],
  ['007', '2024-03-05T07:00:00', 'voice', 'out', 45,   null,    '13900000001', null],
  ['99',  '2024-03-02T18:00:00', 'data',  null,  null, 1048576, null,          null],
  ['555', '2024-03-02T18:00:00', 'sms',   'in',  null, null,    '13900000009', null],
];
const NUMERIC = new Set(['billed_amount', 'suspension_count', 'topups', 'duration_s', 'bytes', 'charge']);

function csv(header: string[], rows: (string | number | null)[][]): string {
  return `${[header.join(','), ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))].join('\n')}\n`;
}

function arrow(header: string[], rows: (string | number | null)[][]): Uint8Array {
  const fields = header.map((name) => new Field(name, NUMERIC.has(name) ? new Float64() : new Utf8(), true));
  const columns = header.map((name, c) =>
    vectorFromArray(
      rows.map((r) => r[c] ?? null),
      NUMERIC.has(name) ? new Float64() : new Utf8(),
    ),
  );
  const table = new Table(new Schema(fields), Object.fromEntries(header.map((h, c) => [h, columns[c]!])));
  return tableToIPC(table, 'file');
}

async function features(billingPath: string, cdrPath: string): Promise<FeatureResult> {
  const { table } = await readBilling([billingPath]);
  const agg = createCdrAggregator(DEFAULT_CONFIG);
  await readCdr(cdrPath, agg);
  return buildFeatures(table, agg.finish(), DEFAULT_CONFIG);
}

describe('features from CSV and Arrow inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retain-features-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'billing.csv'), csv(BILLING_HEADER, BILLING));
  writeFileSync(join(dir, 'cdr.csv'), csv(CDR_HEADER, CDR));
  writeFileSync(join(dir, 'billing.arrow'), arrow(BILLING_HEADER, BILLING));
  writeFileSync(join(dir, 'cdr.arrow'), arrow(CDR_HEADER, CDR));

  it('builds identical feature frames', async () => {
    const fromCsv = await features(join(dir, 'billing.csv'), join(dir, 'cdr.csv'));
    const fromArrow = await features(join(dir, 'billing.arrow'), join(dir, 'cdr.arrow'));
    expect(fromArrow.schema).toEqual(fromCsv.schema);
    expect(fromArrow.stats).toEqual(fromCsv.stats);
    expect(Object.keys(fromArrow.frame.cols)).toEqual(Object.keys(fromCsv.frame.cols));
    for (const [name, c] of Object.entries(fromCsv.frame.cols)) {
      const other = fromArrow.frame.cols[name]!;
      const values = (x: typeof c) => (isDict(x) ? dictToStrings(x) : Array.from(x));
      expect(values(other), name).toEqual(values(c));
    }
  });

  it('reads the values the hand-made rows say', async () => {
    const { frame, stats } = await features(join(dir, 'billing.csv'), join(dir, 'cdr.csv'));
    expect(dictToStrings(frame.cols.subscriber_id as never)).toEqual(['007', '007', '007', '12', '12', '99']);
    const at = (name: string) => Array.from(frame.cols[name] as Float64Array);
    expect(at('voice_out_calls')).toEqual([Number.NaN, 2, 1, Number.NaN, 1, 0]);
    expect(at('competitor_care_calls')).toEqual([Number.NaN, 1, 0, Number.NaN, 0, 0]);
    expect(at('data_mb')).toEqual([Number.NaN, 5, 0, Number.NaN, 0, 1]);
    expect(at('cdr_charges')[1]).toBeCloseTo(1.85, 12);
    expect(at('x_topups')).toEqual([2, 0, 1, Number.NaN, 3, 5]);
    expect(at('trigger_competitor_care')).toEqual([0, 1, 0, 0, 0, 0]);
    expect(at('trigger_spend_drop')).toEqual([0, 1, 0, 0, 0, 0]);
    expect(at('trigger_status_change')).toEqual([0, 1, 0, 0, 0, 0]);
    expect(at('churned_next')).toEqual([0, 0, 0, 1, 0, 0]);
    expect(at('labelled')).toEqual([1, 1, 0, 1, 0, 0]);
    expect(stats.cdrOrphans).toEqual({
      subscriberMonths: 1,
      unbilledSubscribers: 1,
      examples: ['555@2024-03'],
    });
  });
});
