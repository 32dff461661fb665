import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../src/index.js';

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
