import { describe, expect, it } from 'vitest';
import { IdTable } from '../../../src/features/cdr/id-table.js';
import { hashBytes, hashString } from '../../../src/random.js';
import { idOfKey, numericKey, numericKeyOfBytes } from '../../../src/subscriber-key.js';

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

  it.each([
    ['ids whose low key word is negative', [2 ** 31 / 16, 2 ** 32 / 16 - 1, 2 ** 32 / 16]],
    ['14-digit ids', [99999999999999, 99999999999998, 10000000000000]],
  ])('finds %s by id and by key', (_name, values) => {
    const table = new IdTable(16);
    const ids = values.map((v) => String(v));
    for (const [v, id] of ids.entries()) table.set(id, v);
    expect(ids.map((id) => table.get(id))).toEqual([0, 1, 2]);
    expect(ids.map((id) => table.getKey(numericKey(id)))).toEqual([0, 1, 2]);
  });
});
