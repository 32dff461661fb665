/**
 * Matches CDR subscriber-months to billing rows. A billing month without CDR coverage gets NaN
 * usage; a covered month where the subscriber made no event gets real zeros (and a silent month).
 * CDR subscriber-months with no billing row are counted and reported, never silently dropped.
 */
import { daysInMonth, formatMonth } from '../../calendar.js';
import { dict, f64, i32 } from '../../frame.js';
import { rowOfMonth, type SubscriberIndex } from '../subscriber-index.js';
import type { CdrAggregates, CdrFeature } from './finish.js';
import { silentRun } from './finish.js';

const EXAMPLES = 5;

export interface CdrOrphans {
  /** CDR subscriber-months with no billing row for that subscriber and month. */
  subscriberMonths: number;
  /** Of those, distinct subscribers with no billing row in any month. */
  unbilledSubscribers: number;
  /** A few `subscriber_id@YYYY-MM`, in CDR order. */
  examples: string[];
}

export interface CdrJoin {
  readonly cdr: CdrAggregates | null;
  /** CDR aggregate row of each billing row, -1 when the subscriber had no event that month. */
  readonly cdrRow: Int32Array;
  /** 1 when the billing row's month has CDR coverage. */
  readonly covered: Uint8Array;
  readonly orphans: CdrOrphans;
}

export function joinCdr(ix: SubscriberIndex, billingMonth: Int32Array, cdr: CdrAggregates | null): CdrJoin {
  const n = billingMonth.length;
  const cdrRow = new Int32Array(n).fill(-1);
  const covered = new Uint8Array(n);
  const orphans: CdrOrphans = { subscriberMonths: 0, unbilledSubscribers: 0, examples: [] };
  if (cdr === null) return { cdr, cdrRow, covered, orphans };

  const coveredMonths = new Set(cdr.months);
  for (let r = 0; r < n; r++) covered[r] = coveredMonths.has(billingMonth[r]!) ? 1 : 0;

  const { codes, dictionary } = dict(cdr.frame, 'subscriber_id');
  const cdrMonth = i32(cdr.frame, 'month');
  const keyOfCode = new Int32Array(dictionary.length);
  for (let c = 0; c < dictionary.length; c++) keyOfCode[c] = ix.idToKey.get(dictionary[c]!) ?? -1;
  const unbilled = new Uint8Array(dictionary.length);
  for (let s = 0; s < cdr.frame.n; s++) {
    const code = codes[s]!;
    const k = keyOfCode[code]!;
    const row = k < 0 ? -1 : rowOfMonth(ix, billingMonth, k, cdrMonth[s]!);
    if (row >= 0) {
      cdrRow[row] = s;
      continue;
    }
    orphans.subscriberMonths++;
    if (k < 0 && unbilled[code] === 0) {
      unbilled[code] = 1;
      orphans.unbilledSubscribers++;
    }
    if (orphans.examples.length < EXAMPLES)
      orphans.examples.push(`${dictionary[code]}@${formatMonth(cdrMonth[s]!)}`);
  }
  return { cdr, cdrRow, covered, orphans };
}

/**
 * One CDR feature for the given billing rows: NaN without coverage, the aggregate when the
 * subscriber had events, and the value of an eventless month otherwise.
 */
export function cdrFeature(
  join: CdrJoin,
  name: CdrFeature,
  rows: Int32Array,
  billingMonth: Int32Array,
  silentDays: number,
): Float64Array {
  const out = new Float64Array(rows.length);
  if (join.cdr === null) return out.fill(Number.NaN);
  const source = f64(join.cdr.frame, name);
  const { covered, cdrRow } = join;
  // The value of an eventless month depends on the month alone: worked out once per month.
  let lastMonth = Number.NaN;
  let eventless = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (covered[r] === 0) out[i] = Number.NaN;
    else if (cdrRow[r]! >= 0) out[i] = source[cdrRow[r]!]!;
    else {
      if (billingMonth[r] !== lastMonth) {
        lastMonth = billingMonth[r]!;
        eventless = eventlessValue(name, lastMonth, silentDays);
      }
      out[i] = eventless;
    }
  }
  return out;
}

function eventlessValue(name: CdrFeature, month: number, silentDays: number): number {
  switch (name) {
    case 'longest_silent_run':
      return silentRun(0, month, silentDays)[0];
    case 'ends_silent':
      return silentRun(0, month, silentDays)[1];
    case 'days_since_voice_out':
    case 'days_since_sms_out':
    case 'days_since_data':
    case 'days_since_incoming':
      return daysInMonth(month);
    default:
      return 0;
  }
}
