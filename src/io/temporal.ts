/** Temporal values of Arrow and Parquet columns as the canonical text of a CSV cell. */
import { formatDate } from '../calendar.js';

import type { TemporalHint } from './record-handler.js';

const MS_PER_DAY = 86_400_000;
/** "00" to "59", for the time of day. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** Dates written lately, by day number: a month of CDR events has some thirty. */
const dayTexts = new Map<number, string>();

/** YYYY-MM-DD of a day number, remembered: Date's ISO text is most of the cost of a date-time cell. */
function dayText(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    if (dayTexts.size >= 4096) dayTexts.clear();
    text = formatDate(day);
    dayTexts.set(day, text);
  }
  return text;
}

/** A temporal value (milliseconds since 1970 UTC) as the canonical text `as` asks for. */
export function formatTemporal(ms: number, as: TemporalHint): string {
  if (!Number.isFinite(ms)) return String(ms);
  const day = Math.floor(ms / MS_PER_DAY);
  // Beyond the years a Date holds: left as the number, which the date and date-time checks refuse.
  if (Math.abs(ms) > 8.64e15) return String(ms);
  switch (as) {
    case 'month':
      return dayText(day).slice(0, 7);
    case 'datetime': {
      const s = Math.floor((ms - day * MS_PER_DAY) / 1000);
      const hh = Math.floor(s / 3600);
      const mm = Math.floor(s / 60) % 60;
      return `${dayText(day)}T${TWO_DIGITS[hh]}:${TWO_DIGITS[mm]}:${TWO_DIGITS[s % 60]}`;
    }
    default:
      return dayText(day);
  }
}
