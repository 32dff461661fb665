import { describe, expect, it } from 'vitest';
import {
  type CdrEvent,
  createCdrAggregator,
  DEFAULT_CONFIG,
  DIRECTION,
  dict,
  EVENT,
  f64,
  i32,
  monthEndDay,
  monthOfDay,
  monthStartDay,
} from '../../../src/index.js';
import { randomEvents } from '../build.js';

const DAY = 86_400;

/** Kinds of event whose last day gives a recency feature. */
const KINDS = ['voice_out', 'sms_out', 'data', 'incoming'] as const;
const kindOf = (e: CdrEvent): (typeof KINDS)[number] =>
  e.eventType === EVENT.data
    ? 'data'
    : e.direction !== DIRECTION.out
      ? 'incoming'
      : e.eventType === EVENT.voice
        ? 'voice_out'
        : 'sms_out';

/**
 * Distinct contacts, calls, active days and days since the last event of each kind per "id month",
 * counted with plain Maps and Sets (days as dates: month end minus the latest date seen).
 */
function reference(list: readonly CdrEvent[]): Map<string, number[]> {
  const contacts = new Map<string, Set<string>>();
  const days = new Map<string, Set<number>>();
  const counts = new Map<string, number[]>();
  const latest = new Map<string, Map<string, number>>();
  for (const e of list) {
    const day = Math.floor(e.startTime / DAY);
    const key = `${e.subscriberId} ${monthOfDay(day)}`;
    if (!counts.has(key)) {
      counts.set(key, [0, 0, 0, 0]);
      contacts.set(key, new Set());
      days.set(key, new Set());
      latest.set(key, new Map());
    }
    days.get(key)!.add(day);
    const seen = latest.get(key)!;
    seen.set(kindOf(e), Math.max(seen.get(kindOf(e)) ?? -Infinity, day));
    if (e.eventType !== EVENT.data && e.otherParty !== '') contacts.get(key)!.add(e.otherParty);
    const c = counts.get(key)!;
    if (e.eventType === EVENT.voice && e.direction === DIRECTION.out) c[0]!++;
    if (e.eventType === EVENT.sms && e.direction === DIRECTION.in) c[1]!++;
    if (e.eventType === EVENT.voice && e.direction === DIRECTION.out && e.otherParty === '10086') c[2]!++;
  }
  for (const [key, c] of counts) {
    c[3] = contacts.get(key)!.size;
    c.push(days.get(key)!.size);
    const month = Number(key.split(' ')[1]);
    const end = monthEndDay(month);
    const start = monthStartDay(month);
    for (const kind of KINDS) c.push(end - (latest.get(key)!.get(kind) ?? start - 1));
  }
  return counts;
}

describe('createCdrAggregator against a plain reference', () => {
  it.each(['subscriber', 'time'] as const)('matches per subscriber-month in %s order', (order) => {
    const list = randomEvents(3000, order);
    const agg = createCdrAggregator(DEFAULT_CONFIG);
    for (const e of list) agg.add(e);
    const a = agg.finish();
    const ids = dict(a.frame, 'subscriber_id');
    const months = i32(a.frame, 'month');
    const cols = [
      'voice_out_calls',
      'sms_in',
      'competitor_care_calls',
      'distinct_contacts',
      'active_days',
      ...KINDS.map((k) => `days_since_${k}`),
    ];
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
