/**
 * summary.json as the report, evaluate and train --uplift read it back: a summary retain wrote passes
 * as it is, with or without the parts older summaries lack; anything else is an InputError naming the
 * file and every field missing or mistyped, never a crash in the reader.
 */
import { describe, expect, it } from 'vitest';
import { checkScoredMonthSummary, checkSummary, checkTrendSummary, InputError } from '../../src/index.js';
import { DRIFT, generatedSummary } from './report-input.js';

const PATH = 'scored/summary.json';
const whole = (): Record<string, unknown> =>
  JSON.parse(JSON.stringify(generatedSummary('2024-03', { drift: DRIFT })));

/** The message checkSummary (or `check`) throws for `json`; fails the test when it throws none. */
function refusal(json: unknown, check: (json: unknown, path: string) => unknown = checkSummary): string {
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

describe('checkScoredMonthSummary', () => {
  const figures = { daily_revenue_retention: 0.97, monthly_billed_churn: 0.02 };
  const cohorts = {
    month: '2024-03',
    definition: 'cohort',
    reason: 'cohort year 2024',
    overall: figures,
    by_unit: { north: figures, '': { ...figures, monthly_billed_churn: null } },
  };

  it('passes a summary retain wrote, with its KPI cohorts, as it is', () => {
    const json = { ...whole(), kpi_cohorts: cohorts };
    expect(checkScoredMonthSummary(json, PATH)).toBe(json);
    expect(checkScoredMonthSummary(json, PATH).capacity.cut).toBe(0);
  });

  it('passes a summary of an older retain, without KPI cohorts or a month', () => {
    expect(checkScoredMonthSummary({ capacity: { cut: 3 } }, PATH).kpi_cohorts).toBeUndefined();
  });

  // biome-ignore format: column-aligned table
  it.each([
    ['cohorts of another shape', { kpi_cohorts: { x: 1 } },                  4, ['capacity', 'kpi_cohorts.month', 'kpi_cohorts.definition', 'kpi_cohorts.overall']],
    ['null',                     null,                                       1, ['(top)']],
    ['a bad cut and unit',       { capacity: { cut: '3' }, kpi_cohorts: { ...cohorts, by_unit: { north: null } } },
                                                                             2, ['capacity.cut', 'kpi_cohorts.by_unit.north']],
    ['a month not a month',      { month: 'June', capacity: { cut: 0 } },    1, ['month: not a month (YYYY-MM)']],
  ])('refuses %s, naming the file and every bad field', (_, json, count, fields) => {
    const message = refusal(json, checkScoredMonthSummary);
    expect(message).toMatch(
      new RegExp(`^scored/summary\\.json: not a summary retain score wrote for a billing month \\(${count} problems?: `),
    );
    for (const field of fields) expect(message).toContain(field.includes(':') ? field : `${field}: `);
  });
});
