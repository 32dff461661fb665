import { describe, expect, it } from 'vitest';
import {
  assignLifecycle,
  buildTargetLists,
  DEFAULT_CONFIG,
  LISTS,
  lifecycleSettingsOf,
  listSettingsOf,
  lockRuleOf,
  parseDate,
  parseMonth,
  retentionKpis,
  STAGES,
  summarize,
  TIERS,
  TRIGGERS,
} from '../../src/index.js';
import { population, scoredFrame } from '../lifecycle/scored-frame.js';
import { billingTable } from './billing-table.js';

describe('summarize', () => {
  const rows = population(3000, 5);
  const staged = assignLifecycle(scoredFrame(rows), lifecycleSettingsOf(DEFAULT_CONFIG), { seed: 2 });
  const targets = buildTargetLists(staged, listSettingsOf(DEFAULT_CONFIG), {
    capacity: 100,
    listDate: parseDate('2024-04-01'),
  });
  const kpis = retentionKpis(
    billingTable([
      { id: 'a', month: '2024-02', billed: 100 },
      { id: 'a', month: '2024-03', billed: 90 },
    ]),
    parseMonth('2024-03'),
    lockRuleOf(DEFAULT_CONFIG),
  );
  const summary = summarize({
    staged,
    targets,
    kpis,
    segmentNames: ['light', 'heavy', 'roamer'],
    modelId: 'model-2024-02-abc',
    inputs: [{ file: 'billing-2024-03.csv', kind: 'billing', rows: 3010, rejects: 10 }],
    extra: { shard: '1/1' },
  });

  it('has a stable key order and survives JSON', () => {
    expect(Object.keys(summary)).toEqual([
      'month',
      'model_id',
      'inputs',
      'subscribers',
      'eligible',
      'excluded',
      'stages',
      'tiers',
      'stage_tier',
      'segments',
      'triggers',
      'lists',
      'control_group',
      'capacity',
      'revenue_at_risk',
      'kpis',
      'shard',
    ]);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(Object.keys(summary.stages)).toEqual([...STAGES]);
    expect(Object.keys(summary.triggers)).toEqual([...TRIGGERS]);
  });

  it('counts subscribers by stage, tier, segment, exclusion and trigger, matching the rows', () => {
    const count = <T>(pick: (r: (typeof rows)[number]) => T, value: T): number =>
      rows.filter((r) => pick(r) === value).length;
    expect(summary.month).toBe('2024-03');
    expect(summary.subscribers).toBe(3000);
    expect(summary.excluded).toEqual({
      card_type: count((r) => r.card, 'employee'),
      do_not_disturb: rows.filter((r) => r.card === 'normal' && r.dnd).length,
      closed: rows.filter((r) => r.card === 'normal' && !r.dnd && r.status === 'closed').length,
      recently_contacted: 0,
    });
    expect(summary.eligible + Object.values(summary.excluded).reduce((a, b) => a + b, 0)).toBe(3000);
    expect(Object.values(summary.stages).reduce((a, b) => a + b, 0)).toBe(3000);
    expect(Object.values(summary.tiers).reduce((a, b) => a + b, 0)).toBe(3000);
    const stage = staged.cols.stage as Uint8Array;
    const tier = staged.cols.tier as Uint8Array;
    STAGES.forEach((s, a) => {
      // Each row of the matrix adds up to its stage, each cell to the rows of that stage and tier.
      expect(Object.values(summary.stage_tier[s]).reduce((x, y) => x + y, 0)).toBe(summary.stages[s]);
      TIERS.forEach((t, b) => {
        const n = stage.filter((v, i) => v === a && tier[i] === b).length;
        expect(summary.stage_tier[s][t]).toBe(n);
      });
    });
    expect(summary.segments).toEqual({
      light: count((r) => r.segment, 0),
      heavy: count((r) => r.segment, 1),
      roamer: count((r) => r.segment, 2),
      '3': count((r) => r.segment, 3),
    });
    expect(summary.triggers.competitor_care).toBe(
      rows.filter((r) => r.triggers?.includes('competitor_care')).length,
    );
    expect(summary.triggers.spend_drop).toBe(rows.filter((r) => r.triggers?.includes('spend_drop')).length);
    expect(summary.triggers.zero_usage).toBe(0);
  });

  it('reports lists, the control group, the capacity cut and the KPIs', () => {
    for (const name of LISTS) expect(summary.lists[name]).toBe(targets.lists[name].n);
    expect(summary.lists.warning).toBe(100);
    expect(summary.capacity.limit).toBe(100);
    expect(summary.capacity.cut).toBeGreaterThan(0);
    expect(summary.capacity.cut).toBe(targets.capped);
    expect(summary.control_group).toBe(targets.heldOut);
    expect(summary.revenue_at_risk.listed).toBeLessThan(summary.revenue_at_risk.eligible);
    expect(summary.kpis.locked).toBe(1);
    expect(summary.kpis.monthly_billed_churn).toBe(0);
    expect(summary.inputs).toEqual([
      { file: 'billing-2024-03.csv', kind: 'billing', rows: 3010, rejects: 10 },
    ]);
  });
});
