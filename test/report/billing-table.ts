import {
  type BillingTable,
  CARD,
  type CardType,
  dictFromStrings,
  makeFrame,
  parseDate,
  parseMonth,
} from '../../src/index.js';

export interface BillingRow {
  id: string;
  month: string;
  billed: number;
  card?: CardType;
}

/** A billing table as the reader produces it, from a few hand-made rows. */
export function billingTable(rows: readonly BillingRow[]): BillingTable {
  const n = rows.length;
  return makeFrame(
    {
      subscriber_id: dictFromStrings(rows.map((r) => r.id)),
      month: Int32Array.from(rows, (r) => parseMonth(r.month)),
      activation_date: new Int32Array(n).fill(parseDate('2020-01-15')),
      plan_id: dictFromStrings(rows.map(() => 'P1')),
      plan_end_date: new Float64Array(n).fill(Number.NaN),
      billed_amount: Float64Array.from(rows, (r) => r.billed),
      status: new Uint8Array(n),
      suspension_count: new Int32Array(n),
      card_type: Uint8Array.from(rows, (r) => CARD[r.card ?? 'normal']),
      customer_type: new Uint8Array(n),
      ownership_change: new Uint8Array(n),
      plan_change: new Uint8Array(n),
      do_not_disturb: new Uint8Array(n),
    },
    n,
  ) as BillingTable;
}
