import { describe, expect, it } from 'vitest';
import { ContactSet } from '../../../src/features/cdr/contact-set.js';
import {
  longestClearRun,
  popcount32,
  trailingClearRun,
  weekendMask,
} from '../../../src/features/cdr/day-mask.js';
import { IdTable } from '../../../src/features/cdr/id-table.js';
import { parseDate } from '../../../src/index.js';
import { hashBytes, hashString } from '../../../src/random.js';
import { idOfKey, numericKey, numericKeyOfBytes } from '../../../src/subscriber-key.js';

const mask = (days: number[]) => days.reduce((m, d) => m | (1 << (d - 1)), 0);

describe('day masks', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    // set days,           days in month, popcount, longest clear, trailing clear
    [[],            31, 0, 31, 31],
    [[1, 31],       31, 2, 29, 0],
    [[31],          31, 1, 30, 0],
    [[1],           29, 1, 28, 28],
    [[2, 3, 4, 10], 30, 4, 20, 20],
    [
      [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
        29, 30, 31,
      ],
      31,
      31,
      0,
      0,
    ],
  ])('days %j of %i: %i set, longest clear %i, trailing clear %i', (days, n, count, longest, trailing) => {
    const m = mask(days);
    expect(popcount32(m)).toBe(count);
    expect(longestClearRun(m, n)).toBe(longest);
    expect(trailingClearRun(m, n)).toBe(trailing);
  });

  it('marks Saturdays and Sundays', () => {
    // March 2024 starts on a Friday: weekends are 2-3, 9-10, 16-17, 23-24, 30-31.
    expect(weekendMask(parseDate('2024-03-01'), 31)).toBe(mask([2, 3, 9, 10, 16, 17, 23, 24, 30, 31]));
    // 1969-12-27 was a Saturday (days before the epoch are negative).
    expect(weekendMask(parseDate('1969-12-27'), 2)).toBe(mask([1, 2]));
  });
});

describe('ContactSet', () => {
  it('keeps pairs distinct per slot across growth', () => {
    const set = new ContactSet(16);
    let added = 0;
    for (let slot = 0; slot < 500; slot++)
      for (let h = 0; h < 20; h++) if (set.add(slot, h * 2654435761)) added++;
    for (let slot = 0; slot < 500; slot++)
      for (let h = 0; h < 20; h++) if (set.add(slot, h * 2654435761)) added++;
    expect(added).toBe(10_000);
    expect(set.count).toBe(10_000);
    expect(set.bytes).toBeGreaterThanOrEqual(10_000 * 8);
  });
});

describe('IdTable', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['007',             7 * 16 + 3],
    ['7',               7 * 16 + 1],
    ['0',               1],
    ['99999999999999',  99999999999999 * 16 + 14],
    ['999999999999999', -1],
    ['12a',             -1],
    ['',                -1],
    ['+8613800000000',  -1],
  ])('encodes %j as %i', (id, key) => {
    expect(numericKey(id)).toBe(key);
    const bytes = Buffer.from(`,${id},`, 'latin1');
    expect(numericKeyOfBytes(bytes, 1, bytes.length - 1)).toBe(key);
    if (key >= 0) expect(idOfKey(key)).toBe(id);
  });

  it('hashes bytes as hashString hashes their text', () => {
    for (const text of ['', '10086', '13900000001', 'Zoë', 'x y']) {
      const bytes = Buffer.from(`[${text}]`, 'latin1');
      expect(hashBytes(bytes, 1, bytes.length - 1)).toBe(hashString(text));
    }
  });

  it('keeps numeric and other ids apart, with leading zeros, across growth', () => {
    const table = new IdTable(16);
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) ids.push(String(i), `0${i}`, `id-${i}`, `${10 ** 15 + i}`);
    for (const [v, id] of ids.entries()) table.set(id, v);
    expect(table.count).toBe(ids.length);
    expect(ids.every((id, v) => table.get(id) === v)).toBe(true);
    expect(table.get('5000')).toBe(-1);
    expect(table.get('id-5000')).toBe(-1);
    table.set('007', 1);
    table.set('007', 2);
    expect(table.get('007')).toBe(2);
  });
});
