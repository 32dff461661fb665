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
 * - night_share and weekend_share are shares of voice + sms events (0 when there are none);
 *   weekend_share is the share in an average week, so the calendar (8 or 10 weekend days) does not move it.
 * - Voice and sms events are "out" when their direction is out and "in" otherwise (readers
 *   reject voice/sms rows without a direction).
 */
import { daysInMonth, monthEndDay, monthOfDay, monthStartDay } from '../../calendar.js';
import type { Config } from '../../config.js';
import type { CdrEvent, CdrSink } from '../../contract.js';
import { DIRECTION, EVENT } from '../../contract.js';
import { hashString } from '../../random.js';
import { NOT_NUMERIC, numericKey } from '../../subscriber-key.js';
import { COMPETITOR_CARE, CONTACT, EventBatch, NIGHT, OUT, OWN_CARE, WEEKEND } from './batch.js';
import { weekendMask } from './day-mask.js';
import { type CdrAggregates, CHARGE_UNITS, finishAggregates } from './finish.js';
import { type SlotState, SlotStore } from './slots.js';

export type { CdrAggregates, CdrCounts } from './finish.js';
export { CDR_FEATURES, type CdrFeature } from './finish.js';

export interface CdrAggregator extends CdrSink {
  /**
   * Ends aggregation and returns one row per subscriber-month seen; with `tail`, after absorbing
   * that partial last, which is cheaper than absorb() then finish(). Call once.
   */
  finish(tail?: CdrPartial): CdrAggregates;
  /** Ends aggregation and returns the state as plain data, for another aggregator to absorb. */
  partial(): CdrPartial;
  /**
   * Adds an aggregator's partial state, as if its events came after those added so far: parts of a
   * file absorbed in file order give exactly the aggregates of one pass over the file.
   */
  absorb(partial: CdrPartial): void;
}

/** An aggregator's state as plain data, which a worker thread can post (its typed arrays transfer). */
export interface CdrPartial extends SlotState {
  /** [month, events] of each month seen. */
  readonly monthEvents: [number, number][];
  /** Events of each type (voice, sms, data). */
  readonly typeCounts: number[];
}

/**
 * What the aggregation reads from the config (each field defined once, in config.ts): the care
 * lines, the night hours, and the silent-run length the longest-run count is measured against.
 */
export type CdrAggregationSettings = Pick<Config, 'service_numbers' | 'usage'> & {
  readonly triggers: Pick<Config['triggers'], 'silent_days'>;
};

const CARE_OWN = 1;
const CARE_COMPETITOR = 2;
const SECONDS_PER_DAY = 86_400;

export function createCdrAggregator(settings: CdrAggregationSettings): CdrAggregator {
  return new Aggregator(settings);
}

class Aggregator implements CdrAggregator {
  private readonly store = new SlotStore();
  private readonly batch = new EventBatch();

  /** Care numbers by value, and their hashes (most numbers skip the lookup). */
  private readonly care = new Map<string, number>();
  private readonly careHashes = new Set<number>();
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

  constructor(settings: CdrAggregationSettings) {
    this.silentDays = settings.triggers.silent_days;
    for (const n of settings.service_numbers.own_care) this.addCare(n, CARE_OWN);
    for (const n of settings.service_numbers.competitor_care) this.addCare(n, CARE_COMPETITOR);
    const { night_start_hour: from, night_end_hour: to } = settings.usage;
    for (let h = 0; h < 24; h++)
      this.night[h] = (from <= to ? h >= from && h < to : h >= from || h < to) ? 1 : 0;
  }

  private addCare(number: string, kind: number): void {
    // A number configured as both own and competitor counts as own.
    if (!this.care.has(number)) this.care.set(number, kind);
    if (number.length > 0) this.careHashes.add(hashString(number));
  }

  add(e: Readonly<CdrEvent>): void {
    const t = e.startTime;
    const day = Math.floor(t / SECONDS_PER_DAY);
    if (day < this.curStart || day > this.curEnd) this.enterMonth(day);
    this.curEvents++;
    const type = e.eventType;
    this.typeCounts[type]!++;

    const b = this.batch;
    const i = b.n++;
    // Numeric ids travel as their key (the text is made again from it for a new subscriber).
    const key = e.subscriberKey ?? numericKey(e.subscriberId);
    b.keys[i] = key;
    b.ids[i] = key === NOT_NUMERIC ? e.subscriberId : '';
    b.months[i] = this.curMonth;
    const bit = 1 << (day - this.curStart);
    b.dayBits[i] = bit;
    let flags = type;
    if (type === EVENT.data) {
      b.amounts[i] = e.bytes;
    } else {
      b.amounts[i] = e.durationS;
      let hash = e.otherPartyHash;
      if (hash === undefined && e.otherParty.length > 0) hash = hashString(e.otherParty);
      if (hash !== undefined) {
        flags |= CONTACT;
        b.contactHashes[i] = hash;
      }
      if (e.direction === DIRECTION.out) {
        flags |= OUT;
        // The care numbers' hashes rule out nearly every call; a match is confirmed on the text.
        if (type === EVENT.voice && hash !== undefined && this.careHashes.has(hash)) {
          const kind = this.care.get(e.otherParty);
          if (kind === CARE_OWN) flags |= OWN_CARE;
          else if (kind === CARE_COMPETITOR) flags |= COMPETITOR_CARE;
        }
      }
      if (this.night[((t - day * SECONDS_PER_DAY) / 3600) | 0] === 1) flags |= NIGHT;
      if ((this.curWeekend & bit) !== 0) flags |= WEEKEND;
    }
    b.flags[i] = flags;
    const charge = e.charge;
    b.charges[i] = Number.isNaN(charge) ? 0 : Math.round(charge * CHARGE_UNITS);
    if (b.full) b.applyTo(this.store);
  }

  finish(tail?: CdrPartial): CdrAggregates {
    if (tail) this.take(tail, true);
    this.end();
    const [voice, sms, data] = this.typeCounts;
    const types = { voice: voice!, sms: sms!, data: data! };
    const { ints, floats, n, ids } = this.store;
    return finishAggregates({ ints, floats }, n, ids, this.monthEvents, types, this.silentDays);
  }

  partial(): CdrPartial {
    this.end();
    return {
      ...this.store.state(),
      monthEvents: [...this.monthEvents],
      typeCounts: [...this.typeCounts],
    };
  }

  absorb(p: CdrPartial): void {
    this.take(p, false);
  }

  private take(p: CdrPartial, last: boolean): void {
    if (this.finished) throw new Error('CDR aggregator already finished');
    this.batch.applyTo(this.store);
    this.store.absorb(p, last);
    for (const [month, events] of p.monthEvents)
      this.monthEvents.set(month, (this.monthEvents.get(month) ?? 0) + events);
    for (let t = 0; t < 3; t++) this.typeCounts[t]! += p.typeCounts[t]!;
  }

  private end(): void {
    if (this.finished) throw new Error('CDR aggregator already finished');
    this.finished = true;
    this.batch.applyTo(this.store);
    this.flushMonth();
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
}
