import { describe, expect, it } from 'vitest';
import {
  addCoverageFigures,
  type CoverageFigures,
  DEFAULT_CONFIG,
  featureSchema,
  formatMonth,
  historyNeeds,
  judgeCoverage,
  parseMonth,
} from '../../src/index.js';

const m = parseMonth;
const needs = historyNeeds(featureSchema([]).features, DEFAULT_CONFIG, true);
const figures = (billed: [string, number][], cdr: [string, number, number][]): CoverageFigures => ({
  month: m('2025-07'),
  needs,
  billed: billed.map(([k, n]) => [m(k), n] as const),
  cdrMonths: cdr.map(([k]) => m(k)),
  cdrByMonth: cdr.map(([k, events, dayMask]) => ({ month: m(k), events, dayMask })),
});

describe('shards add up to one process', () => {
  it('sums subscribers and events, unites months and ORs the days', () => {
    // Shard a saw July's first half (days 1–15), shard b its second half (days 16–31).
    const a = figures(
      [
        ['2025-06', 300],
        ['2025-07', 310],
      ],
      [
        ['2025-06', 15_000, 0x3fffffff],
        ['2025-07', 4_000, 0x7fff],
      ],
    );
    const b = figures(
      [
        ['2025-05', 5],
        ['2025-06', 200],
        ['2025-07', 190],
      ],
      [['2025-07', 5_000, 0x7fff8000 | 0]],
    );
    const whole = addCoverageFigures([a, b]);
    expect(whole.billed.map(([k, n]) => [formatMonth(k), n])).toEqual([
      ['2025-05', 5],
      ['2025-06', 500],
      ['2025-07', 500],
    ]);
    expect(whole.cdrMonths.map(formatMonth)).toEqual(['2025-06', '2025-07']);
    expect(whole.cdrByMonth).toEqual([
      { month: m('2025-06'), events: 15_000, dayMask: 0x3fffffff },
      { month: m('2025-07'), events: 9_000, dayMask: 0x7fffffff },
    ]);
    // Each shard alone looks cut; together July has events on all 31 days, 18 per subscriber.
    expect(judgeCoverage(a, DEFAULT_CONFIG.checks).cdrMonths.at(-1)!.problems).not.toEqual([]);
    const july = judgeCoverage(whole, DEFAULT_CONFIG.checks).cdrMonths.at(-1)!;
    expect(july).toMatchObject({
      days: 31,
      events: 9_000,
      billed: 500,
      eventsPerSubscriber: 18,
      problems: [],
    });
  });
});
