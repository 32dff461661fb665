/**
 * CDR aggregation while a file is read: one accumulator slot per subscriber-month, so memory grows
 * with subscriber-months, never with events. `add()` runs once per event (about ten million times
 * per monthly file): one hash-table lookup for the subscriber (IdTable), then plain typed-array
 * updates.
 *
 * Decisions:
 * - An event belongs to the calendar month of its local start time.
 * - Care calls are outgoing voice calls to a configured service number. Text messages to a care
 *   line are not counted: the seed rule is about dialling (拨打) the care line.
 * - night_share and weekend_share are shares of voice + sms events (0 when there are none).
 * - Voice and sms events are "out" when their direction is out and "in" otherwise (readers
 *   reject voice/sms rows without a direction).
 */
import { daysInMonth, monthEndDay, monthOfDay, monthStartDay } from '../calendar.js';
import type { Config } from '../config.js';
import type { CdrEvent, CdrSink } from '../contract.js';
import { DIRECTION, EVENT } from '../contract.js';
import { hashString } from '../random.js';
import {
  type CdrAggregates,
  CHARGE_UNITS,
  F_CHARGES,
  F_DATA_BYTES,
  F_VOICE_IN_SECONDS,
  F_VOICE_OUT_SECONDS,
  FLOAT_STRIDE,
  finishAggregates,
  I_ACTIVE_DAYS,
  I_COMPETITOR_CARE,
  I_CONTACTS,
  I_DATA_SESSIONS,
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
} from './cdr-finish.js';
import { ContactSet } from './contact-set.js';
import { weekendMask } from './day-mask.js';
import { IdTable } from './id-table.js';

export type { CdrAggregates, CdrCounts } from './cdr-finish.js';
export { CDR_FEATURES, type CdrFeature } from './cdr-finish.js';

export interface CdrAggregator extends CdrSink {
  /** Ends aggregation and returns one row per subscriber-month seen. Call once. */
  finish(): CdrAggregates;
}

const CARE_OWN = 1;
const CARE_COMPETITOR = 2;
const SECONDS_PER_DAY = 86_400;

export function createCdrAggregator(config: Config): CdrAggregator {
  return new Aggregator(config);
}

class Aggregator implements CdrAggregator {
  /** Subscriber id → its latest slot; older months of the subscriber chain on through I_NEXT. */
  private readonly slotOf = new IdTable(1 << 16);
  private readonly idList: string[] = [];
  /** The previous event's subscriber and slot (null before the first event). */
  private lastId: string | null = null;
  private lastSlot = 0;

  private cap = 1024;
  private nSlots = 0;
  private ints = new Int32Array(1024 * INT_STRIDE);
  private floats = new Float64Array(1024 * FLOAT_STRIDE);
  private readonly contacts = new ContactSet(1 << 16);

  /** Care numbers by value, and the lengths they come in (most numbers skip the lookup). */
  private readonly care = new Map<string, number>();
  private readonly careLengths = new Uint8Array(256);
  private readonly night = new Uint8Array(24);
  private readonly silentDays: number;

  /** The month of the last event and its day range, so most events skip the calendar. */
  private curMonth = -1;
  private curStart = 1;
  private curEnd = 0;
  private curWeekend = 0;
  private curEvents = 0;
  private readonly monthEvents = new Map<number, number>();
  private readonly typeCounts = new Float64Array(3);
  private finished = false;

  constructor(config: Config) {
    this.silentDays = config.triggers.silent_days;
    for (const n of config.service_numbers.own_care) this.addCare(n, CARE_OWN);
    for (const n of config.service_numbers.competitor_care) this.addCare(n, CARE_COMPETITOR);
    const { night_start_hour: from, night_end_hour: to } = config.usage;
    for (let h = 0; h < 24; h++)
      this.night[h] = (from <= to ? h >= from && h < to : h >= from || h < to) ? 1 : 0;
  }

  private addCare(number: string, kind: number): void {
    // A number configured as both own and competitor counts as own.
    if (!this.care.has(number)) this.care.set(number, kind);
    if (number.length < 256) this.careLengths[number.length] = 1;
  }

  add(e: Readonly<CdrEvent>): void {
    const t = e.startTime;
    const day = Math.floor(t / SECONDS_PER_DAY);
    if (day < this.curStart || day > this.curEnd) this.enterMonth(day);
    // Files in subscriber order repeat an id for dozens of events: those skip the table.
    const id = e.subscriberId;
    let slot = this.lastSlot;
    if (id !== this.lastId || this.ints[slot * INT_STRIDE + I_MONTH] !== this.curMonth) {
      slot = this.slotOf.get(id);
      if (slot < 0 || this.ints[slot * INT_STRIDE + I_MONTH] !== this.curMonth)
        slot = this.findSlot(id, slot);
      this.lastId = id;
      this.lastSlot = slot;
    }
    this.curEvents++;

    const ints = this.ints;
    const o = slot * INT_STRIDE;
    const f = slot * FLOAT_STRIDE;
    const bit = 1 << (day - this.curStart);
    ints[o + I_ACTIVE_DAYS]! |= bit;
    const type = e.eventType;
    this.typeCounts[type]!++;
    if (type === EVENT.data) {
      ints[o + I_DATA_SESSIONS]!++;
      this.floats[f + F_DATA_BYTES]! += e.bytes;
    } else {
      const out = e.direction === DIRECTION.out;
      const other = e.otherParty;
      if (type === EVENT.voice) {
        if (out) {
          ints[o + I_VOICE_OUT]!++;
          ints[o + I_VOICE_OUT_DAYS]! |= bit;
          this.floats[f + F_VOICE_OUT_SECONDS]! += e.durationS;
          if (this.careLengths[other.length] === 1) {
            const kind = this.care.get(other);
            if (kind === CARE_OWN) ints[o + I_OWN_CARE]!++;
            else if (kind === CARE_COMPETITOR) ints[o + I_COMPETITOR_CARE]!++;
          }
        } else {
          ints[o + I_VOICE_IN]!++;
          this.floats[f + F_VOICE_IN_SECONDS]! += e.durationS;
        }
      } else if (out) {
        ints[o + I_SMS_OUT]!++;
      } else {
        ints[o + I_SMS_IN]!++;
      }
      if (this.night[((t - day * SECONDS_PER_DAY) / 3600) | 0] === 1) ints[o + I_NIGHT]!++;
      if ((this.curWeekend & bit) !== 0) ints[o + I_WEEKEND]!++;
      if (other.length > 0 && this.contacts.add(slot, hashString(other))) ints[o + I_CONTACTS]!++;
    }
    const charge = e.charge;
    if (!Number.isNaN(charge)) this.floats[f + F_CHARGES]! += Math.round(charge * CHARGE_UNITS);
  }

  finish(): CdrAggregates {
    if (this.finished) throw new Error('CDR aggregator already finished');
    this.finished = true;
    this.flushMonth();
    const [voice, sms, data] = this.typeCounts;
    const types = { voice: voice!, sms: sms!, data: data! };
    const acc = { ints: this.ints, floats: this.floats };
    return finishAggregates(acc, this.nSlots, this.idList, this.monthEvents, types, this.silentDays);
  }

  private enterMonth(day: number): void {
    this.flushMonth();
    const month = monthOfDay(day);
    this.curMonth = month;
    this.curStart = monthStartDay(month);
    this.curEnd = monthEndDay(month);
    this.curWeekend = weekendMask(this.curStart, daysInMonth(month));
  }

  private flushMonth(): void {
    if (this.curMonth < 0 || this.curEvents === 0) return;
    this.monthEvents.set(this.curMonth, (this.monthEvents.get(this.curMonth) ?? 0) + this.curEvents);
    this.curEvents = 0;
  }

  /**
   * The subscriber's slot for the current month, given its latest slot (-1 for a new
   * subscriber); creates it when new. Chains are as long as the months in the file.
   */
  private findSlot(id: string, latest: number): number {
    const month = this.curMonth;
    for (let s = latest; s >= 0; s = this.ints[s * INT_STRIDE + I_NEXT]!) {
      if (this.ints[s * INT_STRIDE + I_MONTH] === month) return s;
    }
    let sub: number;
    if (latest < 0) {
      sub = this.idList.length;
      this.idList.push(id);
    } else {
      sub = this.ints[latest * INT_STRIDE + I_SUB]!;
    }
    if (this.nSlots === this.cap) this.grow();
    const s = this.nSlots++;
    const o = s * INT_STRIDE;
    this.ints[o + I_SUB] = sub;
    this.ints[o + I_MONTH] = month;
    this.ints[o + I_NEXT] = latest;
    this.slotOf.set(id, s);
    return s;
  }

  private grow(): void {
    this.cap *= 2;
    const ints = new Int32Array(this.cap * INT_STRIDE);
    ints.set(this.ints);
    this.ints = ints;
    const floats = new Float64Array(this.cap * FLOAT_STRIDE);
    floats.set(this.floats);
    this.floats = floats;
  }
}
