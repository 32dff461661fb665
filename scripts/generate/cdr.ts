/**
 * Usage events for one subscriber-month: voice in/out with durations, SMS in/out, data sessions with
 * bytes, and care-line calls. Calls go mostly to a personal circle of contacts (so distinct contacts
 * mean something), follow time-of-day and weekend patterns, and thin out for the dissatisfied.
 * Events come out grouped by subscriber but not sorted by time.
 */
import { type CdrEvent, type CdrSink, DIRECTION, EVENT, emptyCdrEvent } from '../../src/contract.js';
import type { Random } from '../../src/random.js';
import type { MonthContext, MonthSignals } from './dynamics.js';
import { poisson } from './dynamics.js';
import { COMPETITOR_CARE, OWN_CARE, PLANS } from './plans.js';
import type { Population } from './population.js';

/** Expected events per subscriber-month at usage level 1 (about 50 in all). */
const RATE = { voiceOut: 13, voiceIn: 12, smsOut: 3, smsIn: 6, data: 15 } as const;

function hourTable(weights: readonly number[]): Uint8Array {
  const table = new Uint8Array(1024);
  const total = weights.reduce((a, b) => a + b, 0);
  let slot = 0;
  let acc = 0;
  weights.forEach((w, hour) => {
    acc += w / total;
    const until = Math.round(acc * 1024);
    while (slot < until) table[slot++] = hour;
  });
  while (slot < 1024) table[slot++] = 23;
  return table;
}

// biome-ignore format: one weight per hour of the day
const VOICE_HOURS = hourTable([0.3, 0.15, 0.1, 0.1, 0.1, 0.3, 1, 2.5, 4.5, 6, 6.5, 6.5, 5, 5, 6, 6.5, 6.5, 6.5, 6, 5.5, 5, 4, 2.5, 1]);
// biome-ignore format: one weight per hour of the day
const DATA_HOURS = hourTable([1.5, 0.8, 0.4, 0.3, 0.3, 0.5, 1.5, 3, 4, 4, 4, 4.5, 5.5, 5, 4, 4, 4, 4.5, 5, 6, 7, 7.5, 6.5, 3.5]);

/** A stable pseudo-random 32-bit mix of two integers (for contact numbers; no generator state). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

const mobile = (h: number, prefix: number): string =>
  `1${prefix}${String(h % 1_000_000_000).padStart(9, '0')}`;

export class CdrGenerator {
  private readonly event: CdrEvent = emptyCdrEvent();
  private contacts: (string | undefined)[] = [];
  private slot = 0;
  private ctx!: MonthContext;
  private sig!: MonthSignals;
  private rng!: Random;
  private sink!: CdrSink;
  private count = 0;

  constructor(private readonly seed: number) {}

  /** Emits the subscriber's events for the month into `sink`; returns how many. */
  generate(
    p: Population,
    i: number,
    ctx: MonthContext,
    sig: MonthSignals,
    rng: Random,
    sink: CdrSink,
  ): number {
    this.slot = i;
    this.ctx = ctx;
    this.sig = sig;
    this.rng = rng;
    this.sink = sink;
    this.count = 0;
    this.event.subscriberId = p.id[i]!;
    const usage = p.usage[i]!;
    this.contacts = new Array(4 + Math.floor(18 * Math.sqrt(usage)));
    const span = sig.lastDay - sig.firstDay + 1;
    if (span <= 0) return 0;
    const scale = usage * sig.activity * (span / ctx.days);
    const overage = PLANS[p.plan[i]!]!.overage;

    for (let k = poisson(rng, RATE.voiceOut * scale); k > 0; k--) {
      const dur = this.callSeconds();
      const charge = rng.next() < overage ? Math.ceil(dur / 60) * 0.15 : 0;
      this.emit(EVENT.voice, DIRECTION.out, true, VOICE_HOURS, dur, 0, this.party(0.12), charge);
    }
    for (let k = poisson(rng, RATE.voiceIn * scale); k > 0; k--) {
      const dur = rng.next() < 0.08 ? 0 : this.callSeconds();
      this.emit(EVENT.voice, DIRECTION.in, false, VOICE_HOURS, dur, 0, this.party(0.2), Number.NaN);
    }
    for (let k = poisson(rng, RATE.smsOut * scale); k > 0; k--) {
      const charge = rng.next() < overage ? 0.1 : 0;
      this.emit(EVENT.sms, DIRECTION.out, true, VOICE_HOURS, 0, 0, this.party(0.05), charge);
    }
    for (let k = poisson(rng, RATE.smsIn * scale); k > 0; k--) {
      const party = rng.next() < 0.4 ? `106${String(rng.int(100000)).padStart(5, '0')}` : this.party(0.1);
      this.emit(EVENT.sms, DIRECTION.in, false, VOICE_HOURS, 0, 0, party, Number.NaN);
    }
    for (let k = poisson(rng, RATE.data * scale * p.dataUse[i]!); k > 0; k--) {
      const bytes = Math.min(2_000_000_000, Math.round(Math.exp(14.5 + 1.4 * rng.normal())));
      const charge = rng.next() < overage * 0.3 ? Math.round(bytes / 1e4) * 0.0003 : 0;
      this.emit(EVENT.data, DIRECTION.none, true, DATA_HOURS, 0, bytes, '', charge);
    }
    for (let k = sig.careOwn; k > 0; k--) this.careCall(OWN_CARE);
    for (let k = sig.careCompetitor; k > 0; k--)
      this.careCall(COMPETITOR_CARE[rng.int(COMPETITOR_CARE.length)]!);
    return this.count;
  }

  private careCall(number: string): void {
    const dur = 30 + this.rng.int(900);
    this.emit(EVENT.voice, DIRECTION.out, true, VOICE_HOURS, dur, 0, number, 0);
  }

  private callSeconds(): number {
    return Math.min(7200, Math.round(Math.exp(4.2 + this.rng.normal())));
  }

  /** A contact from the circle (the first ones far more often), or now and then a stranger. */
  private party(stranger: number): string {
    const rng = this.rng;
    if (rng.next() < stranger) return mobile(rng.uint32(), 3 + rng.int(6));
    const r = rng.next();
    const k = Math.floor(this.contacts.length * r * r);
    let c = this.contacts[k];
    if (c === undefined) {
      const h = mix(mix(this.seed, this.slot), k);
      c = h % 23 === 0 ? `0${String(h % 10_000_000_000).padStart(10, '0')}` : mobile(h >>> 1, 3 + (h % 6));
      this.contacts[k] = c;
    }
    return c;
  }

  /** Picks a day (outgoing events avoid the silent run and barred days); skips the event if none fits. */
  private day(outgoing: boolean): number {
    const { sig, rng } = this;
    const span = sig.lastDay - sig.firstDay + 1;
    for (let tries = 0; tries < 4; tries++) {
      const d = sig.firstDay + Math.floor(rng.next() * span);
      if (
        outgoing &&
        (d >= sig.barredFrom || (d >= sig.silentStart && d < sig.silentStart + sig.silentLength))
      )
        continue;
      const dow = (this.ctx.monthStart + d + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
      if ((dow === 0 || dow === 6) && rng.next() < 0.25) continue;
      return d;
    }
    return -1;
  }

  private emit(
    type: number,
    direction: number,
    outgoing: boolean,
    hours: Uint8Array,
    durationS: number,
    bytes: number,
    party: string,
    charge: number,
  ): void {
    const d = this.day(outgoing);
    if (d < 0) return;
    const rng = this.rng;
    const e = this.event;
    e.startTime = (this.ctx.monthStart + d) * 86_400 + hours[rng.int(1024)]! * 3600 + rng.int(3600);
    e.eventType = type;
    e.direction = direction;
    e.durationS = durationS;
    e.bytes = bytes;
    e.otherParty = party;
    e.charge = Number.isNaN(charge) ? charge : Math.round(charge * 100) / 100;
    this.sink.add(e);
    this.count++;
  }
}
