/** Turns the CDR accumulators into the per-subscriber-month aggregate frame. */
import { daysInMonth } from '../calendar.js';
import { type Frame, makeFrame } from '../frame.js';
import { longestClearRun, popcount32, trailingClearRun } from './day-mask.js';

/** CDR aggregate features, in the order they appear in the feature schema. */
export const CDR_FEATURES = [
  'voice_out_calls',
  'voice_in_calls',
  'voice_out_minutes',
  'voice_in_minutes',
  'sms_out',
  'sms_in',
  'data_mb',
  'data_sessions',
  'active_days',
  'longest_silent_run',
  'ends_silent',
  'distinct_contacts',
  'night_share',
  'weekend_share',
  'own_care_calls',
  'competitor_care_calls',
  'cdr_charges',
] as const;
export type CdrFeature = (typeof CDR_FEATURES)[number];

/** Data volumes are reported in MiB (2^20 bytes), as operators' data bundles count them. */
const BYTES_PER_MB = 1_048_576;

export interface CdrCounts {
  events: number;
  voice: number;
  sms: number;
  data: number;
  subscribers: number;
  /** Events per covered month, months ascending. */
  byMonth: { month: number; events: number }[];
}

export interface CdrAggregates {
  /**
   * One row per subscriber-month with at least one event: `subscriber_id` (DictColumn), `month`
   * (Int32 month index) and one Float64 column per name in CDR_FEATURES.
   */
  readonly frame: Frame;
  /** Months with at least one CDR event, ascending. Other months have no CDR coverage (NaN usage). */
  readonly months: readonly number[];
  readonly counts: CdrCounts;
}

/** Accumulators indexed by subscriber-month slot. Day masks have bit d-1 set for day d. */
export interface SlotAccumulators {
  sub: Int32Array;
  month: Int32Array;
  /** Next slot of the same subscriber, -1 at the end of the chain. */
  next: Int32Array;
  voiceOut: Int32Array;
  voiceIn: Int32Array;
  voiceOutSeconds: Float64Array;
  voiceInSeconds: Float64Array;
  smsOut: Int32Array;
  smsIn: Int32Array;
  dataBytes: Float64Array;
  dataSessions: Int32Array;
  activeDays: Int32Array;
  voiceOutDays: Int32Array;
  contacts: Int32Array;
  nightEvents: Int32Array;
  weekendEvents: Int32Array;
  ownCare: Int32Array;
  competitorCare: Int32Array;
  charges: Float64Array;
}

/**
 * longest_silent_run and ends_silent from a month's outgoing-voice day mask: runs are bounded by
 * the month, so a silence that began last month only counts its days in this month.
 */
export function silentRun(voiceOutDays: number, month: number, silentDays: number): [number, number] {
  const days = daysInMonth(month);
  return [longestClearRun(voiceOutDays, days), trailingClearRun(voiceOutDays, days) >= silentDays ? 1 : 0];
}

export function finishAggregates(
  a: SlotAccumulators,
  n: number,
  ids: readonly string[],
  monthEvents: ReadonlyMap<number, number>,
  types: { voice: number; sms: number; data: number },
  silentDays: number,
): CdrAggregates {
  const out: Record<CdrFeature, Float64Array> = Object.fromEntries(
    CDR_FEATURES.map((name) => [name, new Float64Array(n)]),
  ) as Record<CdrFeature, Float64Array>;
  for (let s = 0; s < n; s++) {
    out.voice_out_calls[s] = a.voiceOut[s]!;
    out.voice_in_calls[s] = a.voiceIn[s]!;
    out.voice_out_minutes[s] = a.voiceOutSeconds[s]! / 60;
    out.voice_in_minutes[s] = a.voiceInSeconds[s]! / 60;
    out.sms_out[s] = a.smsOut[s]!;
    out.sms_in[s] = a.smsIn[s]!;
    out.data_mb[s] = a.dataBytes[s]! / BYTES_PER_MB;
    out.data_sessions[s] = a.dataSessions[s]!;
    out.active_days[s] = popcount32(a.activeDays[s]!);
    const [longest, endsSilent] = silentRun(a.voiceOutDays[s]!, a.month[s]!, silentDays);
    out.longest_silent_run[s] = longest;
    out.ends_silent[s] = endsSilent;
    out.distinct_contacts[s] = a.contacts[s]!;
    const talk = a.voiceOut[s]! + a.voiceIn[s]! + a.smsOut[s]! + a.smsIn[s]!;
    out.night_share[s] = talk > 0 ? a.nightEvents[s]! / talk : 0;
    out.weekend_share[s] = talk > 0 ? a.weekendEvents[s]! / talk : 0;
    out.own_care_calls[s] = a.ownCare[s]!;
    out.competitor_care_calls[s] = a.competitorCare[s]!;
    out.cdr_charges[s] = a.charges[s]!;
  }
  const months = [...monthEvents.keys()].sort((x, y) => x - y);
  const frame = makeFrame(
    {
      subscriber_id: { kind: 'dict', codes: a.sub.slice(0, n), dictionary: ids },
      month: a.month.slice(0, n),
      ...out,
    },
    n,
  );
  return {
    frame,
    months,
    counts: {
      events: types.voice + types.sms + types.data,
      ...types,
      subscribers: ids.length,
      byMonth: months.map((month) => ({ month, events: monthEvents.get(month)! })),
    },
  };
}
