import { describe, expect, it } from 'vitest';
import { topRows } from '../../src/index.js';

const warning = {
  names: ['subscriber_id', 'stage', 'reasons'],
  columns: [
    ['001', '002', '003'],
    ['warning', 'warning', 'warning'],
    ['spend fell', null, 'silent 5 days'],
  ],
  rowCount: 3,
};

describe('topRows', () => {
  it.each([
    [2, ['001', '002']],
    [3, ['001', '002', '003']],
    [10, ['001', '002', '003']],
    [0, []],
  ])('the first %i rows of the list, each by column name', (top, ids) => {
    const rows = topRows(warning, top);
    expect(rows.map((r) => r.subscriber_id)).toEqual(ids);
  });

  it('keeps an empty cell as null', () => {
    expect(topRows(warning, 2)).toEqual([
      { subscriber_id: '001', stage: 'warning', reasons: 'spend fell' },
      { subscriber_id: '002', stage: 'warning', reasons: null },
    ]);
  });
});
