import { describe, expect, it } from 'vitest';
import { DistinctIds } from '../../../src/io/cdr/distinct-ids.js';
import { createRandom } from '../../../src/random.js';

function countOf(ids: readonly string[], capacity?: number): number {
  const d = new DistinctIds(capacity);
  for (const id of ids) d.add(id);
  return d.count;
}

describe('DistinctIds', () => {
  it.each([
    ['none', [], 0],
    ['repeats in a row', ['13800000001', '13800000001', '13800000001'], 1],
    ['repeats apart', ['1', '2', '1', '2', '1'], 2],
    ['leading zeros are distinct ids', ['007', '07', '7', '0007', '007'], 4],
    ['letters and long ids beside digits', ['A1', 'A1', 'a1', '123456789012345', '123456789012345', '12'], 4],
    ['14 digits at the edge of exact', ['99999999999999', '99999999999998', '99999999999999'], 2],
    ['digit-looking with a sign or space', ['-1', '1', ' 1', '1 '], 4],
  ])('%s', (_name, ids, expected) => {
    expect(countOf(ids)).toBe(expected);
  });

  it('matches a Set of strings on 50,000 random ids while the table grows', () => {
    const rnd = createRandom(3, 0);
    const ids: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const v = rnd.int(60_000);
      ids.push(v % 7 === 0 ? `X${v}` : String(v).padStart(rnd.int(3) + 5, '0'));
    }
    const expected = new Set(ids).size;
    expect(expected).toBeGreaterThan(50_000);
    expect(countOf(ids, 16)).toBe(expected);
  });
});
