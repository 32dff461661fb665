/**
 * The CDR aggregator's storage: one accumulator slot per subscriber-month, the subscriber ids in
 * order of first appearance, and the distinct contacts of every slot. A store can be exported as
 * plain data (typed arrays a worker thread can transfer) and absorbed into another store, so parts
 * of a file aggregated on several threads merge into exactly what one pass over the file gives:
 * counts add, day masks OR, last days take the later, contact sets unite, and subscribers and slots keep the order in which
 * one pass would have met them (the parts are absorbed in file order).
 */

import { ContactSet } from './contact-set.js';
import {
  F_CHARGES,
  F_DATA_BYTES,
  F_VOICE_IN_SECONDS,
  F_VOICE_OUT_SECONDS,
  FLOAT_STRIDE,
  I_ACTIVE_DAYS,
  I_COMPETITOR_CARE,
  I_CONTACTS,
  I_DATA_SESSIONS,
  I_LAST_DAYS,
  I_MONTH,
  I_NEXT,
  I_NIGHT,
  I_OWN_CARE,
  I_SMS_IN,
  I_SMS_OUT,
  I_SUB,
  I_VOICE_IN,
  I_VOICE_OUT,
  I_VOICE_OUT_DAYS,
  I_WEEKEND,
  INT_STRIDE,
  laterDays,
} from './finish.js';
import { IdTable } from './id-table.js';

/** A slot store as plain data: `slots` slots, their accumulators and contact pairs. */
export interface SlotState {
  readonly slots: number;
  /** slots * INT_STRIDE accumulators (see finish.ts). */
  readonly ints: Int32Array;
  /** slots * FLOAT_STRIDE accumulators. */
  readonly floats: Float64Array;
  /** Subscriber ids by number (I_SUB), in order of first appearance. */
  readonly ids: string[];
  /** The contact set's cells: pairs [slot + 1, contact hash], 0 where empty. */
  readonly contacts: Int32Array;
  /** Pairs held in `contacts`. */
  readonly contactCount: number;
}

/** Int accumulators that add up across parts, and the day masks that OR. */
const SUMMED = [
  I_VOICE_OUT,
  I_VOICE_IN,
  I_SMS_OUT,
  I_SMS_IN,
  I_DATA_SESSIONS,
  I_NIGHT,
  I_WEEKEND,
  I_OWN_CARE,
  I_COMPETITOR_CARE,
] as const;
const MASKS = [I_ACTIVE_DAYS, I_VOICE_OUT_DAYS] as const;
const FLOATS = [F_VOICE_OUT_SECONDS, F_VOICE_IN_SECONDS, F_DATA_BYTES, F_CHARGES] as const;

export class SlotStore {
  /** Subscriber id → its latest slot; older months of the subscriber chain on through I_NEXT. */
  slotOf = new IdTable(1 << 16);
  ids: string[] = [];
  n = 0;
  ints: Int32Array = new Int32Array(1024 * INT_STRIDE);
  floats: Float64Array = new Float64Array(1024 * FLOAT_STRIDE);
  /** Each slot's month, apart from its record: 4 bytes a slot stay in cache where records do not. */
  months: Int32Array = new Int32Array(1024);
  private contacts = new ContactSet(1 << 16);
  private cap = 1024;

  /**
   * The subscriber's slot for `month`, given its latest slot (`slotOf.get(id)`, -1 for a new
   * subscriber); created when new. Chains are as long as the months in the file.
   */
  slotFor(id: string, latest: number, month: number): number {
    for (let s = latest; s >= 0; s = this.ints[s * INT_STRIDE + I_NEXT]!) {
      if (this.months[s] === month) return s;
    }
    let sub: number;
    if (latest < 0) {
      sub = this.ids.length;
      this.ids.push(id);
    } else {
      sub = this.ints[latest * INT_STRIDE + I_SUB]!;
    }
    if (this.n === this.cap) this.grow();
    const s = this.n++;
    const o = s * INT_STRIDE;
    this.ints[o + I_SUB] = sub;
    this.ints[o + I_MONTH] = month;
    this.ints[o + I_NEXT] = latest;
    this.months[s] = month;
    this.slotOf.set(id, s);
    return s;
  }

  /** Counts the contact for the slot when the slot has not met it yet. */
  addContact(slot: number, contactHash: number): void {
    if (this.contacts.add(slot, contactHash)) this.ints[slot * INT_STRIDE + I_CONTACTS]!++;
  }

  /** The store as plain data: its own arrays, not copies (the store is not to be used after). */
  state(): SlotState {
    return {
      slots: this.n,
      ints: this.ints,
      floats: this.floats,
      ids: this.ids,
      contacts: this.contacts.pairs(),
      contactCount: this.contacts.count,
    };
  }

  /**
   * Adds another store's slots to this one, as if its events had come after this store's. An empty
   * store takes the state's arrays over instead of copying them: the caller must not use them after.
   *
   * With `last`, nothing will be added after: the subscriber-months new to this store then keep the
   * contact counts they have, and their contacts are not copied (most of the work of a merge, when
   * the parts of a file hold different subscribers).
   */
  absorb(other: SlotState, last = false): void {
    if (this.n === 0) {
      this.adopt(other);
      return;
    }
    const before = this.n;
    const { ints, floats, ids } = other;
    const here = new Int32Array(other.slots);
    for (let s = 0; s < other.slots; s++) {
      const o = s * INT_STRIDE;
      const f = s * FLOAT_STRIDE;
      const id = ids[ints[o + I_SUB]!]!;
      const t = this.slotFor(id, this.slotOf.get(id), ints[o + I_MONTH]!);
      here[s] = t;
      const to = t * INT_STRIDE;
      const tf = t * FLOAT_STRIDE;
      for (const k of SUMMED) this.ints[to + k]! += ints[o + k]!;
      for (const k of MASKS) this.ints[to + k]! |= ints[o + k]!;
      this.ints[to + I_LAST_DAYS] = laterDays(this.ints[to + I_LAST_DAYS]!, ints[o + I_LAST_DAYS]!);
      for (const k of FLOATS) this.floats[tf + k]! += floats[f + k]!;
      if (last && t >= before) this.ints[to + I_CONTACTS] = ints[o + I_CONTACTS]!;
    }
    const cells = other.contacts;
    for (let j = 0; j < cells.length; j += 2) {
      const key = cells[j]!;
      if (key === 0) continue;
      const t = here[key - 1]!;
      if (!last || t < before) this.addContact(t, cells[j + 1]!);
    }
  }

  private adopt(state: SlotState): void {
    this.n = state.slots;
    this.cap = Math.max(state.slots, 1024);
    this.ints =
      state.ints.length >= this.cap * INT_STRIDE ? state.ints : grown(state.ints, this.cap * INT_STRIDE);
    this.floats =
      state.floats.length >= this.cap * FLOAT_STRIDE
        ? state.floats
        : grown(state.floats, this.cap * FLOAT_STRIDE);
    this.months = new Int32Array(this.cap);
    for (let s = 0; s < state.slots; s++) this.months[s] = this.ints[s * INT_STRIDE + I_MONTH]!;
    this.ids = state.ids;
    this.slotOf = new IdTable(state.ids.length * 2);
    // Slots were created oldest first, so each subscriber's latest slot is set last.
    for (let s = 0; s < state.slots; s++) this.slotOf.set(this.ids[this.ints[s * INT_STRIDE + I_SUB]!]!, s);
    this.contacts = ContactSet.fromPairs(state.contacts, state.contactCount);
  }

  private grow(): void {
    this.cap *= 2;
    const ints = new Int32Array(this.cap * INT_STRIDE);
    ints.set(this.ints);
    this.ints = ints;
    const floats = new Float64Array(this.cap * FLOAT_STRIDE);
    floats.set(this.floats);
    this.floats = floats;
    this.months = grown(this.months, this.cap);
  }
}

function grown<T extends Int32Array | Float64Array>(a: T, length: number): T {
  const out = new (a.constructor as new (n: number) => T)(length);
  out.set(a);
  return out;
}
