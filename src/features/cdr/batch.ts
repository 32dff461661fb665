/**
 * Events waiting to be applied to the slot store, a batch at a time. In a file in time order each
 * event lands on a cold subscriber-month record and a cold contact cell (tables of tens of MB):
 * applied one by one, between the parsing of one line and the next, every such cache miss is paid
 * in full. Applied in tight passes over a batch (find the slots, update the records, add the
 * contacts), the misses of neighbouring events overlap. Events are applied in the order they came,
 * so the result is the same as applying each at once.
 */
import { EVENT } from '../../contract.js';
import { idOfKey, NOT_NUMERIC } from '../../subscriber-key.js';
import {
  F_CHARGES,
  F_DATA_BYTES,
  F_VOICE_IN_SECONDS,
  F_VOICE_OUT_SECONDS,
  FLOAT_STRIDE,
  I_ACTIVE_DAYS,
  I_COMPETITOR_CARE,
  I_DATA_SESSIONS,
  I_LAST_DAYS,
  I_NIGHT,
  I_OWN_CARE,
  I_SMS_IN,
  I_SMS_OUT,
  I_VOICE_IN,
  I_VOICE_OUT,
  I_VOICE_OUT_DAYS,
  I_WEEKEND,
  INT_STRIDE,
  LAST_DATA,
  LAST_INCOMING,
  LAST_SMS_OUT,
  withLastDay,
} from './finish.js';
import type { SlotStore } from './slots.js';

/** Flags of an event: its type in the low two bits, then these. */
export const TYPE_MASK = 3;
export const OUT = 4;
export const NIGHT = 8;
export const WEEKEND = 16;
export const OWN_CARE = 32;
export const COMPETITOR_CARE = 64;
export const CONTACT = 128;

const SIZE = 2048;

export class EventBatch {
  n = 0;
  /** Ids that are not numeric ('' for numeric ones: their key gives the text back). */
  readonly ids: string[] = new Array<string>(SIZE).fill('');
  /** numericKey of each id (NOT_NUMERIC for other ids). */
  readonly keys = new Float64Array(SIZE);
  readonly months = new Int32Array(SIZE);
  /** The event's day as a bit of its month's day mask. */
  readonly dayBits = new Int32Array(SIZE);
  readonly flags = new Int32Array(SIZE);
  /** Seconds of a voice call, bytes of a data session. */
  readonly amounts = new Float64Array(SIZE);
  /** Charge in CHARGE_UNITS (0 when blank). */
  readonly charges = new Float64Array(SIZE);
  readonly contactHashes = new Int32Array(SIZE);
  private readonly slots = new Int32Array(SIZE);
  /** The last event's subscriber and slot: files in subscriber order repeat an id for dozens of events. */
  private lastId: string | null = null;
  private lastKey = NOT_NUMERIC;
  private lastSlot = 0;

  get full(): boolean {
    return this.n === SIZE;
  }

  /** Applies the waiting events to `store` and empties the batch. */
  applyTo(store: SlotStore): void {
    const n = this.n;
    this.n = 0;
    const { ids, keys, months, slots } = this;
    const table = store.slotOf;
    let lastKey = this.lastKey;
    let lastId = this.lastId;
    let lastSlot = this.lastSlot;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const month = months[i]!;
      if (key !== NOT_NUMERIC) {
        // Numeric ids compare and probe as numbers; the text is only read for a new subscriber-month.
        if (key !== lastKey || store.months[lastSlot] !== month) {
          let s = table.getKey(key);
          if (s < 0 || store.months[s] !== month) s = store.slotFor(idOfKey(key), s, month);
          lastKey = key;
          lastId = null;
          lastSlot = s;
        }
      } else if (ids[i] !== lastId || store.months[lastSlot] !== month) {
        let s = table.get(ids[i]!);
        if (s < 0 || store.months[s] !== month) s = store.slotFor(ids[i]!, s, month);
        lastKey = NOT_NUMERIC;
        lastId = ids[i]!;
        lastSlot = s;
      }
      slots[i] = lastSlot;
    }
    this.lastKey = lastKey;
    this.lastId = lastId;
    this.lastSlot = lastSlot;

    const { ints, floats } = store;
    const { dayBits, flags, amounts, charges } = this;
    for (let i = 0; i < n; i++) {
      const o = slots[i]! * INT_STRIDE;
      const f = slots[i]! * FLOAT_STRIDE;
      const bit = dayBits[i]!;
      const fl = flags[i]!;
      ints[o + I_ACTIVE_DAYS]! |= bit;
      // The day of the month, 1-based, from its bit.
      const day = 32 - Math.clz32(bit);
      const type = fl & TYPE_MASK;
      if (type === EVENT.data) {
        ints[o + I_DATA_SESSIONS]!++;
        floats[f + F_DATA_BYTES]! += amounts[i]!;
        ints[o + I_LAST_DAYS] = withLastDay(ints[o + I_LAST_DAYS]!, LAST_DATA, day);
      } else {
        const out = (fl & OUT) !== 0;
        if (type === EVENT.voice) {
          if (out) {
            ints[o + I_VOICE_OUT]!++;
            ints[o + I_VOICE_OUT_DAYS]! |= bit;
            floats[f + F_VOICE_OUT_SECONDS]! += amounts[i]!;
            if ((fl & OWN_CARE) !== 0) ints[o + I_OWN_CARE]!++;
            else if ((fl & COMPETITOR_CARE) !== 0) ints[o + I_COMPETITOR_CARE]!++;
          } else {
            ints[o + I_VOICE_IN]!++;
            floats[f + F_VOICE_IN_SECONDS]! += amounts[i]!;
          }
        } else if (out) {
          ints[o + I_SMS_OUT]!++;
          ints[o + I_LAST_DAYS] = withLastDay(ints[o + I_LAST_DAYS]!, LAST_SMS_OUT, day);
        } else {
          ints[o + I_SMS_IN]!++;
        }
        if (!out) ints[o + I_LAST_DAYS] = withLastDay(ints[o + I_LAST_DAYS]!, LAST_INCOMING, day);
        if ((fl & NIGHT) !== 0) ints[o + I_NIGHT]!++;
        if ((fl & WEEKEND) !== 0) ints[o + I_WEEKEND]!++;
      }
      floats[f + F_CHARGES]! += charges[i]!;
    }

    const hashes = this.contactHashes;
    for (let i = 0; i < n; i++) if ((flags[i]! & CONTACT) !== 0) store.addContact(slots[i]!, hashes[i]!);
  }
}
