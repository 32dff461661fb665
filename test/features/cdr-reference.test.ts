import { describe, expect, it } from 'vitest';
import {
  type CdrEvent,
  createCdrAggregator,
  createRandom,
  DEFAULT_CONFIG,
  DIRECTION,
  dict,
  EVENT,
  f64,
  i32,
  monthOfDay,
  parseLocalDateTime,
} from '../../src/index.js';

const DAY = 86_400;

/** Random voice/sms/data events of `subscribers` subscribers over two months, in the given order. */
function events(subscribers: number, order: 'subscriber' | 'time'): CdrEvent[] {
  const rnd = createRandom(11, 0);
  const start = parseLocalDateTime('2024-02-01T00:00:00');
  const out: CdrEvent[] = [];
  for (let s = 0; s < subscribers; s++) {
    // Numeric and non-numeric ids, contacts from a small pool so that repeats are common.
    const id = s % 5 === 0 ? `A-${s}` : String(1_380_000_0000 + s);
    const n = 1 + rnd.int(120);
    for (let k = 0; k < n; k++) {
      const type = rnd.int(3);
      const other =
        type === EVENT.data ? '' : rnd.int(10) === 0 ? '10086' : String(1_390_000_0000 + rnd.int(60));
      out.push({
        subscriberId: id,
        startTime: start + rnd.int(60 * DAY),
        eventType: type,
        direction: type === EVENT.data ? DIRECTION.none : rnd.int(2) === 0 ? DIRECTION.in : DIRECTION.out,
        durationS: type === EVENT.voice ? rnd.int(600) : 0,
        bytes: type === EVENT.data ? rnd.int(1 << 20) : 0,
        otherParty: other,
        charge: rnd.int(4) === 0 ? Number.NaN : rnd.int(100) / 4,
      });
    }
  }
  if (order === 'time') out.sort((a, b) => a.startTime - b.startTime);
  return out;
}

/** Distinct contacts, calls and active days per "id month", counted with plain Maps and Sets. */
function reference(list: readonly CdrEvent[]): Map<string, number[]> {
  const contacts = new Map<string, Set<string>>();
  const days = new Map<string, Set<number>>();
  const counts = new Map<string, number[]>();
  for (const e of list) {
    const day = Math.floor(e.startTime / DAY);
    const key = `${e.subscriberId} ${monthOfDay(day)}`;
    if (!counts.has(key)) {
      counts.set(key, [0, 0, 0, 0]);
      contacts.set(key, new Set());
      days.set(key, new Set());
    }
    days.get(key)!.add(day);
    if (e.eventType !== EVENT.data && e.otherParty !== '') contacts.get(key)!.add(e.otherParty);
    const c = counts.get(key)!;
    if (e.eventType === EVENT.voice && e.direction === DIRECTION.out) c[0]!++;
    if (e.eventType === EVENT.sms && e.direction === DIRECTION.in) c[1]!++;
    if (e.eventType === EVENT.voice && e.direction === DIRECTION.out && e.otherParty === '10086') c[2]!++;
  }
  for (const [key, c] of counts) {
    c[3] = contacts.get(key)!.size;
    c.push(days.get(key)!.size);
  }
  return counts;
}

describe('createCdrAggregator against a plain reference', () => {
  it.each(['subscriber', 'time'] as const)('matches per subscriber-month in %s order', (order) => {
    const list = events(3000, order);
    const agg = createCdrAggregator(DEFAULT_CONFIG);
    for (const e of list) agg.add(e);
    const a = agg.finish();
    const ids = dict(a.frame, 'subscriber_id');
    const months = i32(a.frame, 'month');
    const cols = ['voice_out_calls', 'sms_in', 'competitor_care_calls', 'distinct_contacts', 'active_days'];
    const got = new Map<string, number[]>();
    for (let i = 0; i < a.frame.n; i++) {
      const key = `${ids.dictionary[ids.codes[i]!]} ${months[i]}`;
      got.set(
        key,
        cols.map((c) => f64(a.frame, c)[i]!),
      );
    }
    const want = reference(list);
    expect(want.size).toBeGreaterThan(5000);
    expect(got).toEqual(want);
    expect(a.counts.events).toBe(list.length);
  });
});
