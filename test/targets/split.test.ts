import { describe, expect, it } from 'vitest';
import {
  dictFromStrings,
  type Frame,
  LISTS,
  type ListName,
  makeFrame,
  NO_OWNER_FOLDER,
  safeFolderNames,
  splitListsBy,
} from '../../src/index.js';

describe('safe folder names from hostile owner values', () => {
  const hostile = [
    '../../etc',
    '..',
    '.',
    'a/b',
    'A\\B',
    'a b',
    'CON',
    'nul',
    '',
    '城东分局',
    'x'.repeat(300),
    'a\u0000b',
    '(none)',
  ];
  const names = safeFolderNames(hostile);

  it('keeps letters of any script and digits, and nothing that could leave the folder', () => {
    for (const name of names) {
      expect(name).toMatch(/^[\p{L}\p{N}_-]+$/u);
      expect(name.length).toBeLessThanOrEqual(70);
    }
    expect(names[9]).toBe('城东分局');
    expect(names[6]).toBe('CON_');
    expect(names[7]).toBe('nul_');
  });

  it('gives every value its own name, ignoring case, and never the no-owner folder', () => {
    const lower = names.map((n) => n.toLowerCase());
    expect(new Set(lower).size).toBe(names.length);
    expect(lower).not.toContain(NO_OWNER_FOLDER);
    // a/b, A\B, a b and a\0b all clean to a_b: the later ones are numbered in the order given.
    expect([names[3], names[4], names[5], names[11]]).toEqual(['a_b', 'A_B-2', 'a_b-3', 'a_b-4']);
  });
});

describe('splitting the lists by owner', () => {
  const list = (units: (string | null)[]): Frame =>
    makeFrame(
      {
        subscriber_id: dictFromStrings(units.map((_, i) => `s${i}`)),
        revenue_at_risk: Float64Array.from(units, (_, i) => 100 - i),
        unit: dictFromStrings(units),
      },
      units.length,
    );
  const lists = Object.fromEntries(LISTS.map((l) => [l, list([])])) as Record<ListName, Frame>;
  lists.warning = list(['north', 'south', null, 'north', '../up']);
  lists.growth = list(['south']);

  it('gives each owner every list with its rows in the list order, the unowned last', () => {
    const split = splitListsBy(lists, 'unit');
    expect(split.map((o) => [o.value, o.folder])).toEqual([
      ['../up', 'up'],
      ['north', 'north'],
      ['south', 'south'],
      [null, NO_OWNER_FOLDER],
    ]);
    const north = split[1]!;
    expect(Object.keys(north.lists)).toEqual([...LISTS]);
    expect(north.lists.warning.cols.subscriber_id).toMatchObject({ codes: Int32Array.from([0, 3]) });
    expect(Array.from(north.lists.warning.cols.revenue_at_risk as Float64Array)).toEqual([100, 97]);
    expect(split[2]!.lists.growth.n).toBe(1);
    expect(split[3]!.lists.warning.n).toBe(1);
    expect(split.reduce((s, o) => s + o.lists.warning.n, 0)).toBe(5);
  });
});
