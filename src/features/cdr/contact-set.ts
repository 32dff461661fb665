/**
 * Distinct contacts per subscriber-month without a JS Set per subscriber: one open-addressing hash
 * set of (slot, 32-bit contact hash) pairs for all slots, linear probing, grown at 60% load.
 * Two distinct numbers of one subscriber-month collide only when their FNV-1a hashes are equal,
 * which at a few hundred contacts is about one in ten million.
 *
 * The pair of a cell sits side by side in one Int32Array, so a probe costs one cache miss, not
 * two: on a file in time order nearly every add lands on a cold cell of a table of tens of MB.
 */
export class ContactSet {
  /** Pairs [slot + 1, hash]; slot 0 marks an empty cell. */
  private cells: Int32Array;
  private mask: number;
  private size = 0;
  private limit: number;

  constructor(capacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < capacity) cap <<= 1;
    this.cells = new Int32Array(cap * 2);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.6);
  }

  /** A set over the cells of another set (see pairs()) holding `size` pairs, taken over as they are. */
  static fromPairs(cells: Int32Array, size: number): ContactSet {
    const set = new ContactSet(16);
    const pairs = cells.length / 2;
    if (pairs < 16 || (pairs & (pairs - 1)) !== 0) throw new Error('contact cells: not a power of two');
    set.cells = cells;
    set.mask = pairs - 1;
    set.limit = Math.floor(pairs * 0.6);
    set.size = size;
    return set;
  }

  /** Adds the pair; returns true when it was not there yet. */
  add(slot: number, contactHash: number): boolean {
    const key = slot + 1;
    const hash = contactHash | 0;
    const cells = this.cells;
    const mask = this.mask;
    let i = cell(key, hash) & mask;
    for (;;) {
      const k = cells[2 * i]!;
      if (k === 0) break;
      if (k === key && cells[2 * i + 1] === hash) return false;
      i = (i + 1) & mask;
    }
    cells[2 * i] = key;
    cells[2 * i + 1] = hash;
    if (++this.size > this.limit) this.grow();
    return true;
  }

  get count(): number {
    return this.size;
  }

  /** The table's cells, pairs [slot + 1, contact hash] with 0 where empty (shared, not copied). */
  pairs(): Int32Array {
    return this.cells;
  }

  /** Bytes held by the table, for memory reports. */
  get bytes(): number {
    return this.cells.byteLength;
  }

  private grow(): void {
    const old = this.cells;
    const cap = old.length; // twice the cells: old.length holds 2 numbers per cell
    const cells = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const key = old[j]!;
      if (key === 0) continue;
      const hash = old[j + 1]!;
      let i = cell(key, hash) & mask;
      while (cells[2 * i] !== 0) i = (i + 1) & mask;
      cells[2 * i] = key;
      cells[2 * i + 1] = hash;
    }
    this.cells = cells;
    this.mask = mask;
    this.limit = Math.floor(cap * 0.6);
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
