/**
 * CDR aggregation while a file is read: one accumulator slot per subscriber-month, so memory grows
 * with subscriber-months, never with events. `add()` runs once per event (about ten million times
 * per monthly file): one Map lookup for the subscriber, then plain typed-array updates.
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
import { type CdrAggregates, finishAggregates, type SlotAccumulators } from './cdr-finish.js';
import { ContactSet } from './contact-set.js';
import { weekendMask } from './day-mask.js';

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
  private readonly ids = new Map<string, number>();
  private readonly idList: string[] = [];
  /** Per subscriber: first slot of its chain and the slot used last (-1 = none). */
  private subFirst: Int32Array = new Int32Array(1024);
  private subLast: Int32Array = new Int32Array(1024);

  private cap = 1024;
  private nSlots = 0;
  private a: SlotAccumulators;
  private readonly contacts = new ContactSet(1 << 16);

  /** Care numbers by value, and the lengths they come in (most numbers skip the lookup). */
  private readonly care = new Map<string, number>();
  private readonly careLengths = new Uint8Array(256);
  private readonly night = new Uint8Array(24);

  /** The month of the last event and its day range, so most events skip the calendar. */
  private curMonth = -1;
  private curStart = 1;
  private curEnd = 0;
  private curWeekend = 0;
  private curEvents = 0;
  private readonly monthEvents = new Map<number, number>();
  private readonly typeCounts = new Float64Array(3);
  private finished = false;
  private readonly silentDays: number;

  constructor(config: Config) {
    this.a = allocate(this.cap);
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
    let sub = this.ids.get(e.subscriberId);
    if (sub === undefined) sub = this.newSubscriber(e.subscriberId);
    const t = e.startTime;
    const day = Math.floor(t / SECONDS_PER_DAY);
    if (day < this.curStart || day > this.curEnd) this.enterMonth(day);
    let slot = this.subLast[sub]!;
    if (slot < 0 || this.a.month[slot] !== this.curMonth) slot = this.findSlot(sub);
    this.curEvents++;

    const a = this.a;
    const bit = 1 << (day - this.curStart);
    a.activeDays[slot] |= bit;
    const type = e.eventType;
    this.typeCounts[type]!++;
    if (type === EVENT.data) {
      a.dataSessions[slot]++;
      a.dataBytes[slot] += e.bytes;
    } else {
      const out = e.direction === DIRECTION.out;
      if (type === EVENT.voice) {
        if (out) {
          a.voiceOut[slot]++;
          a.voiceOutSeconds[slot] += e.durationS;
          a.voiceOutDays[slot] |= bit;
          const other = e.otherParty;
          if (this.careLengths[other.length] === 1) {
            const kind = this.care.get(other);
            if (kind === CARE_OWN) a.ownCare[slot]++;
            else if (kind === CARE_COMPETITOR) a.competitorCare[slot]++;
          }
        } else {
          a.voiceIn[slot]++;
          a.voiceInSeconds[slot] += e.durationS;
        }
      } else if (out) {
        a.smsOut[slot]++;
      } else {
        a.smsIn[slot]++;
      }
      if (this.night[((t - day * SECONDS_PER_DAY) / 3600) | 0] === 1) a.nightEvents[slot]++;
      if ((this.curWeekend & bit) !== 0) a.weekendEvents[slot]++;
      if (e.otherParty.length > 0 && this.contacts.add(slot, hashString(e.otherParty))) a.contacts[slot]++;
    }
    const charge = e.charge;
    if (!Number.isNaN(charge)) a.charges[slot] += charge;
  }

  finish(): CdrAggregates {
    if (this.finished) throw new Error('CDR aggregator already finished');
    this.finished = true;
    this.flushMonth();
    const [voice, sms, data] = this.typeCounts;
    const types = { voice: voice!, sms: sms!, data: data! };
    return finishAggregates(this.a, this.nSlots, this.idList, this.monthEvents, types, this.silentDays);
  }

  private newSubscriber(id: string): number {
    const sub = this.idList.length;
    this.ids.set(id, sub);
    this.idList.push(id);
    if (sub >= this.subFirst.length) {
      this.subFirst = growInt32(this.subFirst, this.subFirst.length * 2);
      this.subLast = growInt32(this.subLast, this.subLast.length * 2);
    }
    this.subFirst[sub] = -1;
    this.subLast[sub] = -1;
    return sub;
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

  /** The subscriber's slot for the current month, created when new; chains are a few months long. */
  private findSlot(sub: number): number {
    const month = this.curMonth;
    for (let s = this.subFirst[sub]!; s >= 0; s = this.a.next[s]!) {
      if (this.a.month[s] === month) {
        this.subLast[sub] = s;
        return s;
      }
    }
    if (this.nSlots === this.cap) {
      this.cap *= 2;
      this.a = growAll(this.a, this.cap);
    }
    const s = this.nSlots++;
    this.a.sub[s] = sub;
    this.a.month[s] = month;
    this.a.next[s] = this.subFirst[sub]!;
    this.subFirst[sub] = s;
    this.subLast[sub] = s;
    return s;
  }
}

function allocate(cap: number): SlotAccumulators {
  return {
    sub: new Int32Array(cap),
    month: new Int32Array(cap),
    next: new Int32Array(cap),
    voiceOut: new Int32Array(cap),
    voiceIn: new Int32Array(cap),
    voiceOutSeconds: new Float64Array(cap),
    voiceInSeconds: new Float64Array(cap),
    smsOut: new Int32Array(cap),
    smsIn: new Int32Array(cap),
    dataBytes: new Float64Array(cap),
    dataSessions: new Int32Array(cap),
    activeDays: new Int32Array(cap),
    voiceOutDays: new Int32Array(cap),
    contacts: new Int32Array(cap),
    nightEvents: new Int32Array(cap),
    weekendEvents: new Int32Array(cap),
    ownCare: new Int32Array(cap),
    competitorCare: new Int32Array(cap),
    charges: new Float64Array(cap),
  };
}

function growAll(a: SlotAccumulators, cap: number): SlotAccumulators {
  const b = allocate(cap);
  for (const key of Object.keys(a) as (keyof SlotAccumulators)[]) {
    (b[key] as Int32Array | Float64Array).set(a[key] as Int32Array & Float64Array);
  }
  return b;
}

function growInt32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
