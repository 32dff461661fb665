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
      'columns.billing',
      'tiers.bounds',
      'triggers.silent_days',
      'triggers.spend_drop_share',
    ]);
  });
});
