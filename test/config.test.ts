import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, parseConfig } from '../src/index.js';

describe('config', () => {
  it('fills every default from an empty object', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.triggers.spend_drop_share).toBe(0.3);
    expect(DEFAULT_CONFIG.service_numbers.competitor_care).toEqual(['10086', '10000']);
    expect(DEFAULT_CONFIG.stages.hard_triggers).toEqual(['arrears_or_cancel', 'competitor_care']);
  });

  it('keeps overrides and defaults side by side', () => {
    const r = parseConfig({
      triggers: { silent_days: 5 },
      columns: { billing: { subscriber_id: 'MSISDN_HASH' } },
    });
    expect(r.ok && r.config.triggers.silent_days).toBe(5);
    expect(r.ok && r.config.triggers.care_calls_max).toBe(5);
    expect(r.ok && r.config.columns.billing.subscriber_id).toBe('MSISDN_HASH');
  });

  it('reports every problem at once, each with its path', () => {
    const r = parseConfig({
      triggers: { spend_drop_share: 2, silent_days: 0 },
      tiers: { bounds: [300, 150, 50] },
      columns: { billing: { msisdn: 'X' } },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual([
      'columns.billing.msisdn',
      'tiers.bounds',
      'triggers.silent_days',
      'triggers.spend_drop_share',
    ]);
  });

  it('takes the KPI year, the owner columns and the assessment rules, and names each bad one', () => {
    const r = parseConfig({
      columns: { billing: { unit: '归属单位', manager: '客户经理' } },
      kpi: { year_start_month: 4, assessment: { billed_churn: { target: 0.02 } } },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.kpi.year_start_month).toBe(4);
    expect(r.config.kpi.assessment.billed_churn).toEqual({ max: 30, target: 0.02, points_per_point: 5 });
    expect(r.config.kpi.assessment.revenue_retention.max).toBe(60);
    expect(r.config.columns.billing.unit).toBe('归属单位');
    const bad = parseConfig({
      kpi: { year_start_month: 13, lock_months: 0, assessment: { management: { max: -1 }, people: {} } },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.path).sort()).toEqual([
      'kpi.assessment.management.max',
      'kpi.assessment.people',
      'kpi.lock_months',
      'kpi.year_start_month',
    ]);
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    [null,  'must be a JSON object of settings, not null'],
    [[],    'must be a JSON object of settings, not an array'],
    [3,     'must be a JSON object of settings, not a number (3)'],
    ['{}',  'must be a JSON object of settings, not a string ("{}")'],
    [false, 'must be a JSON object of settings, not a boolean (false)'],
  ])('refuses %j: a config is an object, never "all defaults"', (value, message) => {
    expect(parseConfig(value)).toEqual({ ok: false, problems: [{ path: '(root)', message }] });
  });

  it('checks rules across fields even when other fields are wrong, in the same section or not', () => {
    const r = parseConfig({
      input: 'none',
      stages: { onboarding_months: 6, growth_months: 2, warning_deciles: 'x' },
      segments: { k_min: 8, k_max: 5, restarts: -1 },
      tiers: { bounds: [3, 2, 1], arpu_months: 'x' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual([
      'input',
      'segments.k_max',
      'segments.restarts',
      'stages.growth_months',
      'stages.warning_deciles',
      'tiers.arpu_months',
      'tiers.bounds',
    ]);
  });

  it('bounds the segments to what a team can use and the restarts to what pays', () => {
    const r = parseConfig({ segments: { k: 51, k_min: 2, k_max: 1000, restarts: 100_001 } });
    expect(r.ok || r.problems.map((p) => p.path).sort()).toEqual([
      'segments.k',
      'segments.k_max',
      'segments.restarts',
    ]);
    expect(parseConfig({ segments: { k: 50, k_min: 50, k_max: 50, restarts: 100 } }).ok).toBe(true);
  });

  it('skips a rule across fields when a field it reads is itself wrong', () => {
    const r = parseConfig({ stages: { onboarding_months: 'six', growth_months: 2 } });
    expect(r.ok || r.problems.map((p) => p.path)).toEqual(['stages.onboarding_months']);
  });

  it('refuses a mapping that has two fields read one column', () => {
    const r = parseConfig({
      columns: { billing: { subscriber_id: 'month' }, cdr: { subscriber_id: 'A', other_party: 'A' } },
    });
    expect(r.ok || r.problems).toEqual([
      {
        path: 'columns.billing.subscriber_id',
        message: 'reads column "month", as month does; each field needs its own column',
      },
      {
        path: 'columns.cdr.subscriber_id',
        message: 'reads column "A", as other_party does; each field needs its own column',
      },
      {
        path: 'columns.cdr.other_party',
        message: 'reads column "A", as subscriber_id does; each field needs its own column',
      },
    ]);
  });

  it('names each unknown key at its own path, cut and escaped', () => {
    const r = parseConfig({ triggers: { silentdays: 2 }, [`x\n${'k'.repeat(1000)}`]: 1 });
    expect(r.ok || r.problems).toEqual([
      { path: 'triggers.silentdays', message: 'is not a known setting' },
      { path: `"x\\n${'k'.repeat(57)}"… (1,002 characters)`, message: 'is not a known setting' },
    ]);
  });
});

describe('config: drift thresholds', () => {
  it('defaults to a warning above PSI 0.1 and retraining above 0.25', () => {
    expect(DEFAULT_CONFIG.drift).toEqual({ warn_above: 0.1, retrain_above: 0.25 });
    const r = parseConfig({ drift: { retrain_above: 0.4 } });
    expect(r.ok && r.config.drift).toEqual({ warn_above: 0.1, retrain_above: 0.4 });
  });

  // prettier-ignore
  it.each([
    [{ warn_above: 0.3 }, 'drift.retrain_above', 'must be greater than drift.warn_above'],
    [{ warn_above: 0.2, retrain_above: 0.2 }, 'drift.retrain_above', 'must be greater than drift.warn_above'],
    [{ warn_above: -0.1 }, 'drift.warn_above', 'Too small: expected number to be >=0'],
    [{ warn_above: '0.1' }, 'drift.warn_above', 'Invalid input: expected number, received string'],
    [{ warnAbove: 0.1 }, 'drift.warnAbove', 'is not a known setting'],
  ])('refuses drift %j', (drift, path, message) => {
    expect(parseConfig({ drift })).toEqual({ ok: false, problems: [{ path, message }] });
  });

  it('reports warn >= retrain together with problems elsewhere', () => {
    const r = parseConfig({ drift: { warn_above: 0.5, retrain_above: 0.3 }, triggers: { silent_days: 0 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path).sort()).toEqual(['drift.retrain_above', 'triggers.silent_days']);
  });

  it('DEFAULT_CONFIG is what an empty config file reads as', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-config-'));
    writeFileSync(join(dir, 'empty.json'), '{}\n');
    expect(await loadConfig('empty.json', dir)).toEqual(DEFAULT_CONFIG);
  });

  // Each default is written once, in its field: an empty section and an absent one read the same.
  it.each(Object.keys(DEFAULT_CONFIG))('an empty %s section gives the defaults', (section) => {
    expect(parseConfig({ [section]: {} })).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it.each(['revenue_retention', 'billed_churn', 'management'])(
    'an empty kpi.assessment.%s gives its defaults',
    (rule) => {
      expect(parseConfig({ kpi: { assessment: { [rule]: {} } } })).toEqual({
        ok: true,
        config: DEFAULT_CONFIG,
      });
    },
  );

  it('reports every problem at once, rules across fields included, each at its path', () => {
    const r = parseConfig({
      columns: { billing: { subscriber_id: 'a', month: 'a' } },
      triggers: { silent_days: 0 },
      stages: { onboarding_months: 8 },
      tiers: { bounds: [3, 2, 1], typo: 1 },
      segments: { k_min: 'x', k_max: 2 },
      drift: { warn_above: 0.5, retrain_above: 0.3 },
    });
    expect(r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'columns.billing.subscriber_id: reads column "a", as month does; each field needs its own column',
      'columns.billing.month: reads column "a", as subscriber_id does; each field needs its own column',
      'triggers.silent_days: Too small: expected number to be >0',
      // growth_months was not given: its default (6) is checked against onboarding_months.
      'stages.growth_months: must be greater than stages.onboarding_months',
      'tiers.typo: is not a known setting',
      'tiers.bounds: must be increasing',
      // k_min is not a number, so the rule comparing it with k_max is not run.
      'segments.k_min: Invalid input: expected number, received string',
      'drift.retrain_above: must be greater than drift.warn_above',
    ]);
  });
});
