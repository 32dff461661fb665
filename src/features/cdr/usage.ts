/** CDR features that need the billing row too. */
import type { BillingTable } from '../../contract.js';
import { MonthDays } from '../month-days.js';

/**
 * Active days over the days the subscriber was on the network in the month (from activation when
 * it falls in the month), so that a subscriber who joined on the 25th and used the line every day
 * since counts as fully active. NaN where active days are (no CDR coverage).
 */
export function activeDayShare(
  billing: BillingTable,
  rows: Int32Array,
  activeDays: Float64Array,
): Float64Array {
  const { month, activation_date: activation } = billing.cols;
  const out = new Float64Array(rows.length);
  const days = new MonthDays();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const end = days.end(month[r]!);
    const first = Math.max(days.start(month[r]!), activation[r]!);
    out[i] = activeDays[i]! / Math.max(1, end - first + 1);
  }
  return out;
}
