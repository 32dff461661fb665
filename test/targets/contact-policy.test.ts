import { describe, expect, it } from 'vitest';
import {
  dictFromStrings,
  LISTS,
  makeFrame,
  type OutcomesTable,
  parseDate,
  parseMonth,
  recentContacts,
} from '../../src/index.js';

function history(rows: [id: string, contacted: number, date: string][]): OutcomesTable {
  return makeFrame(
    {
      subscriber_id: dictFromStrings(rows.map((r) => r[0])),
      month: new Int32Array(rows.length).fill(parseMonth('2025-06')),
      list: new Uint8Array(rows.length).fill(LISTS.indexOf('warning')),
      contacted: Uint8Array.from(rows, (r) => r[1]),
      contact_date: Float64Array.from(rows, (r) => (r[2] === '' ? Number.NaN : parseDate(r[2]))),
      action: dictFromStrings(rows.map(() => '')),
      accepted: new Float64Array(rows.length).fill(Number.NaN),
      channel: dictFromStrings(rows.map(() => 'call')),
    },
    rows.length,
  ) as OutcomesTable;
}

describe('recentContacts', () => {
  const listDate = parseDate('2025-08-01');
  // biome-ignore format: a case table reads best aligned
  const h = history([
    ['a', 1, '2025-07-02'], // 30 days before: the gap has passed
    ['b', 1, '2025-07-03'], // 29 days before
    ['c', 1, '2025-08-01'], // on the list date
    ['d', 1, '2025-08-02'], // after it: a later history, not counted
    ['e', 0, '2025-07-20'], // an attempt that did not reach
    ['f', 0, ''],
    ['b', 1, '2025-05-01'], // an older contact of b changes nothing
  ]);

  it.each([
    ['a', 0],
    ['b', 1],
    ['c', 1],
    ['d', 0],
    ['e', 0],
    ['f', 0],
    ['z', 0],
  ])('subscriber %s: %i', (id, recent) => {
    const r = recentContacts(h, dictFromStrings([id]), listDate, 30);
    expect(r.recent[0]).toBe(recent);
  });

  it('marks each row of the scored month, and counts them', () => {
    const r = recentContacts(h, dictFromStrings(['c', 'a', 'b', null]), listDate, 30);
    expect(Array.from(r.recent)).toEqual([1, 0, 1, 0]);
    expect(r.count).toBe(2);
  });
});
