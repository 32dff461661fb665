import { describe, expect, it } from 'vitest';
import {
  factGroups,
  featureSchema,
  PHRASES,
  phrasingOf,
  reasonsColumn,
  reasonText,
  TRIGGERS,
} from '../../src/index.js';

describe('the phrasing table', () => {
  const schema = featureSchema([]);

  it('words every feature of the default schema, and nothing else', () => {
    const names = schema.features.map((f) => f.name);
    expect(names.filter((n) => !Object.hasOwn(PHRASES, n))).toEqual([]);
    expect(Object.keys(PHRASES).filter((n) => !names.includes(n))).toEqual([]);
  });

  it.each(featureSchema([]).features.map((f) => [f.name, f.type] as const))(
    '%s (%s) reads as plain words for typical and missing values',
    (name, type) => {
      const values = type === 'flag' ? [0, 1] : [0, 1, 2.5, -0.45, 12];
      for (const v of [...values, Number.NaN]) {
        const text = reasonText(name, v);
        expect(text.length).toBeGreaterThan(3);
        expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
      }
      expect(['higher', 'lower', 'either']).toContain(phrasingOf(name).raises);
    },
  );

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['spend_change',            -0.45,      'spend 45% below the 3-month average'],
    ['spend_change',            0.2,        'spend 20% above the 3-month average'],
    ['own_care_calls',          7,          '7 calls to the care line'],
    ['own_care_calls',          1,          '1 call to the care line'],
    ['months_to_plan_end',      12 / 30.4,  'plan ends in 12 days'],
    ['months_to_plan_end',      -3 / 30.4,  'plan ended 3 days ago'],
    ['months_to_plan_end',      Number.NaN, 'no plan end date'],
    ['voice_out_calls',         Number.NaN, 'no usage records this month'],
    ['longest_silent_run',      9,          '9 days in a row without an outgoing call'],
    ['is_arrears',              1,          'suspended for arrears'],
    ['night_share',             0.314,      '31% of calls and texts at night'],
    ['spend_slope',             -3.2,       'spend falling by 3.20 a month'],
    ['tenure_months',           0,          'activated this month'],
    ['trigger_competitor_care', 1,          "called a competitor's care line"],
    ['x_roaming_fee',           12.345,     'roaming_fee 12.35'],
  ] as const)('%s = %d reads "%s"', (name, value, text) => {
    expect(reasonText(name, value)).toBe(text);
  });
});

describe('facts: a trigger and the value it fires on make one reason', () => {
  it('groups them and lets the value speak before the trigger', () => {
    const names = [
      'spend_change',
      'arpu',
      'trigger_spend_drop',
      'competitor_care_calls',
      'trigger_competitor_care',
    ];
    const g = factGroups(names);
    expect(g.count).toBe(3);
    expect(g.of[0]).toBe(g.of[2]);
    expect(g.of[3]).toBe(g.of[4]);
    expect(g.of[1]).not.toBe(g.of[0]);
    expect(Array.from(g.priority)).toEqual([1, 1, 0, 1, 0]);
  });

  it('every trigger shares its fact with some value feature', () => {
    const schema = featureSchema([]).features.map((f) => f.name);
    const g = factGroups(schema);
    for (const t of TRIGGERS) {
      const f = schema.indexOf(`trigger_${t}`);
      const partners = schema.filter((_, j) => j !== f && g.of[j] === g.of[f]);
      expect(partners.length, t).toBeGreaterThan(0);
    }
  });
});

describe('reasonsColumn', () => {
  it('joins each row’s drivers in order and shares identical texts', () => {
    const group = Int32Array.from([2, 0, -1, 2, 0, -1, -1, -1, -1]);
    const speaker = group.slice();
    const column = reasonsColumn({ k: 3, group, speaker }, (row, g) => `g${g}@${row === 1 ? 0 : row}`);
    expect(column.dictionary).toEqual(['g2@0; g0@0', '']);
    expect(Array.from(column.codes)).toEqual([0, 0, 1]);
  });

  it.each([
    [3, 'rows of up to three parts'],
    [4, 'rows of four parts'],
  ])('codes texts in first-seen order, one entry per text whatever parts spell it (k = %i: %s)', (k) => {
    // Part texts by (group, speaker): two different part pairs spell "a; b" ("a; b" alone and "a" + "b").
    const words = ['a', 'b', 'a; b', 'c'];
    const rows = [[0, 1], [2], [3], [0, 1], [], [2], [3, 0], [0, 1, 3]];
    const group = new Int32Array(rows.length * k).fill(-1);
    rows.forEach((r, i) => {
      r.forEach((g, j) => {
        group[i * k + j] = g;
      });
    });
    const column = reasonsColumn({ k, group, speaker: group.slice() }, (_row, g) => words[g]!);
    expect(column.dictionary).toEqual(['a; b', 'c', '', 'c; a', 'a; b; c']);
    expect(Array.from(column.codes)).toEqual([0, 0, 1, 0, 2, 0, 3, 4]);
  });
});
