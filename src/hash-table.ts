/**
 * The one hash table of the hot paths: open addressing with linear probing over cells of `width`
 * 32-bit words in one Int32Array, the key's two words first ([a, b], a = 0 marking an empty cell),
 * then, in a cell of 4 words, a value. Capacity is a power of two, doubled past 60% load.
 *
 * A JS Map or Set keyed by strings dereferences a stored string at every probe: on a CDR file in
 * time order, where consecutive events hit subscribers at random, that is a cache miss or several a
 * lookup. Here a probe reads one cache line (a cell never straddles two) and compares two integers.
 * Users keep what their keys mean: the CDR aggregator's subscriber ids (features/cdr/id-table.ts)
 * and distinct contacts (features/cdr/contact-set.ts), the CDR reader's distinct subscribers
 * (io/cdr/distinct-ids.ts). Each computes a key's home cell itself, so the probe loop calls no
 * function; `homeOf` recomputes it from a stored key when the table grows.
 */
export type HomeOf = (a: number, b: number) => number;

/** Share of the cells that may be full before the table doubles. */
const LOAD = 0.6;

export class HashTable {
  /** The cells; replaced when the table grows, so read it again after an insert. */
  cells: Int32Array;
  private mask: number;
  private size = 0;
  private limit: number;
  private readonly shift: number;

  /** A table of at least `capacity` cells (at least 16) of `width` words. */
  constructor(
    readonly width: 2 | 4,
    capacity: number,
    private readonly homeOf: HomeOf,
  ) {
    let cap = 1 << 4;
    while (cap < capacity) cap <<= 1;
    this.shift = width === 2 ? 1 : 2;
    this.cells = new Int32Array(cap << this.shift);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * LOAD);
  }

  /**
   * A table over the cells of another one with the same width and home function (see `cells`),
   * holding `size` keys, taken over as they are.
   */
  static adopt(width: 2 | 4, cells: Int32Array, size: number, homeOf: HomeOf): HashTable {
    const table = new HashTable(width, 16, homeOf);
    const cap = cells.length / width;
    if (cap < 16 || (cap & (cap - 1)) !== 0) throw new Error('hash table cells: not a power of two');
    table.cells = cells;
    table.mask = cap - 1;
    table.limit = Math.floor(cap * LOAD);
    table.size = size;
    return table;
  }

  /** Keys held. */
  get count(): number {
    return this.size;
  }

  /**
   * Where key (a >= 1, b) is, probing from its home cell `home`: the word offset of its cell, or
   * when absent -1 - the offset of the empty cell it would take (pass it to insert).
   */
  find(home: number, a: number, b: number): number {
    const cells = this.cells;
    const mask = this.mask;
    const shift = this.shift;
    for (let i = home & mask; ; i = (i + 1) & mask) {
      const o = i << shift;
      const k = cells[o]!;
      if (k === 0) return -1 - o;
      if (k === a && cells[o + 1] === b) return o;
    }
  }

  /** Puts key (a, b), with `value` in a cell of 4 words, where find said it is absent (`missing`). */
  insert(missing: number, a: number, b: number, value = 0): void {
    const cells = this.cells;
    const o = -1 - missing;
    cells[o] = a;
    cells[o + 1] = b;
    if (this.width === 4) cells[o + 2] = value;
    if (++this.size > this.limit) this.grow();
  }

  private grow(): void {
    const old = this.cells;
    const width = this.width;
    const shift = this.shift;
    const cap = (old.length >> shift) * 2;
    const cells = new Int32Array(cap << shift);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += width) {
      const a = old[j]!;
      if (a === 0) continue;
      const b = old[j + 1]!;
      let i = this.homeOf(a, b) & mask;
      while (cells[i << shift] !== 0) i = (i + 1) & mask;
      for (let w = 0; w < width; w++) cells[(i << shift) + w] = old[j + w]!;
    }
    this.cells = cells;
    this.mask = mask;
    this.limit = Math.floor(cap * LOAD);
  }
}
