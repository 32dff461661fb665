/**
 * summary.json as the report reads it back: a summary retain wrote passes as it is, with or without
 * the parts older summaries lack; anything else is an InputError naming the file and every field
 * missing or mistyped, never a crash in the report.
 */
import { describe, expect, it } from 'vitest';
import { checkSummary, checkTrendSummary, InputError } from '../../src/index.js';
import { DRIFT, generatedSummary } from './report-input.js';

const PATH = 'scored/summary.json';
const whole = (): Record<string, unknown> =>
  JSON.parse(JSON.stringify(generatedSummary('2024-03', { drift: DRIFT })));

/** The message checkSummary (or `check`) throws for `json`; fails the test when it throws none. */
function refusal(json: unknown, check = checkSummary): string {
  try {
    check(json, PATH);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('not refused');
}

describe('checkSummary', () => {
  it('passes a summary retain wrote, as it is', () => {
    const json = whole();
    expect(checkSummary(json, PATH)).toBe(json);
    expect(checkSummary(json, PATH).kpis.monthly_billed_churn).toBe(0.5);
  });

  it('passes a summary of an older retain, without stage × tier counts or drift', () => {
    const { stage_tier: _, drift: __, ...json } = whole();
    expect(checkSummary(json, PATH).month).toBe('2024-03');
  });

  it('passes a drift block that says why drift was not measured', () => {
    const json = { ...whole(), drift: { available: false, reason: 'no reference' } };
    expect(checkSummary(json, PATH).drift).toEqual({ available: false, reason: 'no reference' });
  });

  // biome-ignore format: column-aligned table
  it.each([
    ['an empty object', {},                         10, ['month', 'kpis', 'revenue_at_risk', 'model_id', 'lists', 'segments', 'triggers']],
    ['null',            null,                        1, ['(top)']],
    ['an array',        [],                          1, ['(top)']],
  ])('refuses %s, naming every missing part', (_, json, count, fields) => {
    const message = refusal(json);
    expect(message).toMatch(
      new RegExp(`^scored/summary\\.json: not a summary retain score wrote for a billing month \\(${count} problems?: `),
    );
    for (const field of fields) expect(message).toContain(`${field}: `);
  });

  // biome-ignore format: column-aligned table
  it.each([
    ['triggers',           null,                  'triggers: '],
    ['kpis.reason',        3,                     'kpis.reason: '],
    ['lists.warning',      undefined,             'lists.warning: '],
    ['month',              'June',                'month: not a month (YYYY-MM)'],
    ['drift.features',     'none',                'drift.features: '],
    ['drift.score.level',  'fine',                'drift.score.level: '],
    ['stage_tier.new',     { high: 'x' },         'stage_tier.new.high: '],
  ])('refuses a summary whose %s is %j, naming it alone', (field, value, named) => {
    const json = whole();
    const keys = field.split('.');
    const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, json);
    parent[keys.at(-1)!] = value;
    const message = refusal(json);
    expect(message).toContain('(1 problem: ');
    expect(message).toContain(named);
  });
});

describe('checkTrendSummary', () => {
  it('passes the month, KPIs and revenue at risk the trend reads, and nothing more is needed', () => {
    const json = {
      month: '2024-02',
      kpis: { daily_revenue_retention: 0.9, monthly_billed_churn: null },
      revenue_at_risk: { listed: 120.5 },
    };
    expect(checkTrendSummary(json, PATH)).toBe(json);
  });

  it('refuses a summary without KPIs, naming the file and the field', () => {
    const message = refusal({ month: '2024-02', revenue_at_risk: { listed: 1 } }, checkTrendSummary);
    expect(message).toBe(
      'scored/summary.json: not a summary retain score wrote for a billing month (1 problem: kpis: Invalid input: expected object, received undefined)',
    );
  });
});
