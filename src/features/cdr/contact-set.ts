/**
 * Distinct contacts per subscriber-month without a JS Set per subscriber: one hash set
 * (hash-table.ts) of (slot, 32-bit contact hash) pairs for all slots.
 * Two distinct numbers of one subscriber-month collide only when their FNV-1a hashes are equal,
 * which at a few hundred contacts is about one in ten million.
 *
 * The pair of a cell sits side by side in one Int32Array, so a probe costs one cache miss, not
 * two: on a file in time order nearly every add lands on a cold cell of a table of tens of MB.
 */
import { HashTable } from '../../hash-table.js';

export class ContactSet {
  /** Cells [slot + 1, hash]. */
  private table: HashTable;

  constructor(capacity = 1 << 16) {
    this.table = new HashTable(2, capacity, cell);
  }

  /** A set over the cells of another set (see pairs()) holding `size` pairs, taken over as they are. */
  static fromPairs(cells: Int32Array, size: number): ContactSet {
    const set = new ContactSet(16);
    set.table = HashTable.adopt(2, cells, size, cell);
    return set;
  }

  /** Adds the pair; returns true when it was not there yet. */
  add(slot: number, contactHash: number): boolean {
    const key = slot + 1;
    const hash = contactHash | 0;
    const o = this.table.find(cell(key, hash), key, hash);
    if (o >= 0) return false;
    this.table.insert(o, key, hash);
    return true;
  }

  get count(): number {
    return this.table.count;
  }

  /** The table's cells, pairs [slot + 1, contact hash] with 0 where empty (shared, not copied). */
  pairs(): Int32Array {
    return this.table.cells;
  }

  /** Bytes held by the table, for memory reports. */
  get bytes(): number {
    return this.table.cells.byteLength;
  }
}

/**
 * Home cell of a pair: a window of 64 cells picked by the slot, a cell in it picked by the contact.
 * The contacts of one subscriber-month thus share a few cache lines, which stay hot while a file
 * in subscriber order feeds that subscriber's events; scattered slots still spread over the table.
 */
function cell(key: number, hash: number): number {
  let h = Math.imul(key, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  return ((h & ~63) | ((hash ^ (hash >>> 16)) & 63)) >>> 0;
}
