import { describe, expect, it } from 'vitest';
import { ARM, parseMonth, type ScoredRows } from '../../src/index.js';
import { campaignOf } from '../../src/pipeline/uplift.js';

/** Six scored subscribers: a listed, b listed but closed, c and d control, e control but closed, f neither. */
function scored(saving: Float64Array | null = null): ScoredRows {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const text = (v: string) => ids.map(() => v);
  return {
    ids,
    probability: Float64Array.of(0.5, 0.4, 0.6, 0.1, 0.5, 0.2),
    eligible: Uint8Array.of(1, 1, 1, 1, 1, 1),
    control: Uint8Array.of(0, 0, 1, 1, 1, 0),
    stage: text('warning'),
    exclusion: ['', 'closed', '', '', 'closed', ''],
    tier: text('<50'),
    segment: text('0'),
    triggers: text(''),
    revenue: Float64Array.of(50, 40, 60, 10, 55, 20),
    saving,
  };
}

describe('campaignOf', () => {
  const month = parseMonth('2025-06');

  it('keeps the called and the control group by id, leaving out the closed', () => {
    const c = campaignOf(month, scored(), { ids: new Set(['a', 'b']), capped: false });
    expect(c.month).toBe(month);
    expect([...c.arm]).toEqual([
      ['a', ARM.called],
      ['c', ARM.control],
      ['d', ARM.control],
    ]);
  });

  it('compares only the control subscribers the capped list would have called', () => {
    // The list was cut at revenue 50 (a): d at 10 would not have been called.
    const c = campaignOf(month, scored(), { ids: new Set(['a']), capped: true });
    expect([...c.arm]).toEqual([
      ['a', ARM.called],
      ['c', ARM.control],
    ]);
  });

  it('under uplift targeting leaves out control subscribers with a negative expected saving', () => {
    const saving = Float64Array.of(5, 4, -1, 2, 3, 0);
    const c = campaignOf(month, scored(saving), { ids: new Set(['a']), capped: false });
    expect([...c.arm]).toEqual([
      ['a', ARM.called],
      ['d', ARM.control],
    ]);
  });
});
