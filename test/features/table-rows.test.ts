import { describe, expect, it } from 'vitest';
import { checkIds, listRows } from '../../src/features/table-rows.js';
import { cellTableOf, InputError } from '../../src/index.js';
import { RowPlacesBuilder } from '../../src/io/row-places.js';

/** A one-column table of `ids` read from `path`, row i on CSV line i + 2 (after the header). */
function idTable(ids: string[], path = 'calls.csv') {
  const places = new RowPlacesBuilder();
  for (let i = 0; i < ids.length; i++) places.add(i + 2);
  const t = cellTableOf({ names: ['id'], columns: [ids], rowCount: ids.length, path }, ['id']);
  return { ...t, places: places.finish('line') };
}

describe('listRows', () => {
  it.each([
    [[0], 1, 'line 2'],
    [[0, 3], 2, 'lines 2, 5'],
    [[0, 1, 2, 3, 4, 5], 9, 'lines 2, 3, 4, 5, 6 and 4 more'],
  ])('rows %j of %i: %s', (rows, count, text) => {
    expect(listRows(idTable(['a']), rows, count)).toBe(text);
  });

  it('counts rows from 1 when the file places are not known', () => {
    const t = cellTableOf({ names: ['id'], columns: [['a', 'b']], rowCount: 2 });
    expect(listRows(t, [1], 1)).toBe('row 2');
  });
});

describe('checkIds', () => {
  it('accepts distinct filled ids', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `s${i}`);
    expect(() => checkIds(idTable(ids), 'id', ids)).not.toThrow();
  });

  it('refuses repeated ids, naming each and its lines', () => {
    const ids = ['a', 'b', 'a', 'c', 'b', 'a'];
    expect(() => checkIds(idTable(ids), 'id', ids)).toThrow(InputError);
    expect(() => checkIds(idTable(ids), 'id', ids)).toThrow(
      'calls.csv: id column "id" repeats 2 ids: "a" (lines 2, 4, 7), "b" (lines 3, 6); ' +
        'one row per subscriber, or the subscriber would be called twice',
    );
  });

  it('refuses a blank id, naming its line', () => {
    const ids = ['a', 'b', '', 'c'];
    expect(() => checkIds(idTable(ids), 'id', ids)).toThrow(
      'calls.csv: id column "id" is blank on line 4; every row needs its subscriber id',
    );
  });
});
