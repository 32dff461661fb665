import { describe, expect, it } from 'vitest';
import { HashTable } from '../src/hash-table.js';
import { createRandom } from '../src/random.js';

/** A poor home function on purpose: many keys share a home cell, so probes run long and wrap. */
const crowded = (a: number, b: number) => (a * 7 + b) & 31;
const mixed = (a: number, b: number) => Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) >>> 0;

function keyOf(table: HashTable, o: number): [number, number] {
  return [table.cells[o]!, table.cells[o + 1]!];
}

describe('HashTable', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['pairs, crowded homes',  2, crowded],
    ['pairs, mixed homes',    2, mixed],
    ['4 words, crowded homes', 4, crowded],
    ['4 words, mixed homes',  4, mixed],
  ] as const)('%s: finds what was inserted and nothing else, across growth', (_name, width, homeOf) => {
    const table = new HashTable(width, 16, homeOf);
    const reference = new Map<string, number>();
    const rnd = createRandom(5, 0);
    // Each lookup's outcome against the reference's, compared once at the end.
    const wrong: string[] = [];
    for (let i = 0; i < 8000; i++) {
      const a = 1 + rnd.int(300);
      const b = rnd.int(2) === 0 ? rnd.int(20) : -1 - rnd.int(20);
      const o = table.find(homeOf(a, b), a, b);
      const known = reference.get(`${a},${b}`);
      if (known === undefined) {
        if (o >= 0) wrong.push(`${a},${b} found before it was inserted`);
        else table.insert(o, a, b, i);
        reference.set(`${a},${b}`, i);
      } else if (o < 0 || table.cells[o] !== a || table.cells[o + 1] !== b) {
        wrong.push(`${a},${b} not found`);
      } else if (width === 4 && table.cells[o + 2] !== known) {
        wrong.push(`${a},${b} holds ${table.cells[o + 2]}, not ${known}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(reference.size).toBeGreaterThan(4000);
    expect(table.count).toBe(reference.size);
    // At most 60% full after every growth, a power of two cells.
    const cap = table.cells.length / width;
    expect(cap & (cap - 1)).toBe(0);
    expect(table.count).toBeLessThanOrEqual(cap * 0.6);
    // Every key is still found after the last growth, with its value.
    const lost = [...reference].filter(([k, value]) => {
      const [a, b] = k.split(',').map(Number) as [number, number];
      const o = table.find(homeOf(a, b), a, b);
      return o < 0 || keyOf(table, o).join(',') !== k || (width === 4 && table.cells[o + 2] !== value);
    });
    expect(lost).toEqual([]);
  });

  it('gives the empty cell a missing key takes, as -1 - its offset', () => {
    const table = new HashTable(4, 16, () => 3);
    expect(table.find(3, 1, 1)).toBe(-1 - 3 * 4);
    table.insert(-1 - 12, 1, 1, 9);
    expect(table.find(3, 1, 1)).toBe(12);
    expect(table.find(3, 1, 2)).toBe(-1 - 4 * 4);
    expect([...table.cells.subarray(12, 16)]).toEqual([1, 1, 9, 0]);
  });

  it('grows at 60% load: 9 of 16 cells stay, the tenth key doubles the table', () => {
    const table = new HashTable(2, 16, mixed);
    for (let a = 1; a <= 9; a++) table.insert(table.find(mixed(a, 0), a, 0), a, 0);
    expect(table.cells.length).toBe(32);
    table.insert(table.find(mixed(10, 0), 10, 0), 10, 0);
    expect(table.cells.length).toBe(64);
    expect(table.count).toBe(10);
  });

  it('adopts the cells of another table as they are', () => {
    const table = new HashTable(2, 16, mixed);
    for (let a = 1; a <= 100; a++) table.insert(table.find(mixed(a, a), a, a), a, a);
    const other = HashTable.adopt(2, table.cells, table.count, mixed);
    expect(other.count).toBe(100);
    expect(other.cells).toBe(table.cells);
    for (let a = 1; a <= 100; a++) expect(other.find(mixed(a, a), a, a)).toBeGreaterThanOrEqual(0);
    expect(other.find(mixed(101, 101), 101, 101)).toBeLessThan(0);
  });

  it.each([
    ['not a power of two', 24],
    ['fewer than 16 cells', 8],
  ])('refuses cells %s', (_name, cells) => {
    expect(() => HashTable.adopt(2, new Int32Array(cells * 2), 0, mixed)).toThrow(/not a power of two/);
  });
});
