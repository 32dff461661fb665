/**
 * Distinct contacts per subscriber-month without a JS Set per subscriber: one open-addressing hash
 * set of (slot, 32-bit contact hash) pairs for all slots, linear probing, grown at 60% load.
 * Two distinct numbers of one subscriber-month collide only when their FNV-1a hashes are equal,
 * which at a few hundred contacts is about one in ten million.
 */
export class ContactSet {
  /** slot + 1; 0 marks an empty cell. */
  private slots: Int32Array;
  private hashes: Uint32Array;
  private mask: number;
  private size = 0;
  private limit: number;

  constructor(capacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < capacity) cap <<= 1;
    this.slots = new Int32Array(cap);
    this.hashes = new Uint32Array(cap);
    this.mask = cap - 1;
    this.limit = Math.floor(cap * 0.6);
  }

  /** Adds the pair; returns true when it was not there yet. */
  add(slot: number, contactHash: number): boolean {
    const key = slot + 1;
    const hash = contactHash >>> 0;
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = this.mask;
    let i = cell(key, hash) & mask;
    for (;;) {
      const k = slots[i]!;
      if (k === 0) break;
      if (k === key && hashes[i] === hash) return false;
      i = (i + 1) & mask;
    }
    slots[i] = key;
    hashes[i] = hash;
    if (++this.size > this.limit) this.grow();
    return true;
  }

  get count(): number {
    return this.size;
  }

  /** Bytes held by the table, for memory reports. */
  get bytes(): number {
    return this.slots.byteLength + this.hashes.byteLength;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    const cap = oldSlots.length * 2;
    const slots = new Int32Array(cap);
    const hashes = new Uint32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      const key = oldSlots[j]!;
      if (key === 0) continue;
      const hash = oldHashes[j]!;
      let i = cell(key, hash) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = key;
      hashes[i] = hash;
    }
    this.slots = slots;
    this.hashes = hashes;
    this.mask = mask;
    this.limit = Math.floor(cap * 0.6);
  }
}

/** Mixes slot and contact hash so that consecutive slots do not cluster. */
function cell(key: number, hash: number): number {
  let h = Math.imul(key, 0x9e3779b1) ^ hash;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
