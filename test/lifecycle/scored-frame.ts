import {
  CARD,
  type CardType,
  CUSTOMER,
  type CustomerType,
  dictFromStrings,
  type Frame,
  makeFrame,
  parseMonth,
  STATUS,
  type Status,
  TRIGGERS,
  type Trigger,
} from '../../src/index.js';

/** One hand-made scored subscriber; every field but the id has a plain default. */
export interface ScoredRow {
  id: string;
  month?: string;
  prob?: number;
  arpu?: number;
  tenure?: number;
  card?: CardType;
  dnd?: boolean;
  status?: Status;
  customer?: CustomerType;
  triggers?: Trigger[];
  segment?: number;
}

/** A scored frame (the feature columns lifecycle reads + churn_probability + segment). */
export function scoredFrame(rows: readonly ScoredRow[]): Frame {
  const n = rows.length;
  const trig: Record<string, Uint8Array> = {};
  for (const t of TRIGGERS) {
    trig[`trigger_${t}`] = Uint8Array.from(rows, (r) => ((r.triggers ?? []).includes(t) ? 1 : 0));
  }
  return makeFrame(
    {
      subscriber_id: dictFromStrings(rows.map((r) => r.id)),
      month: Int32Array.from(rows, (r) => parseMonth(r.month ?? '2024-03')),
      status: Uint8Array.from(rows, (r) => STATUS[r.status ?? 'active']),
      card_type: Uint8Array.from(rows, (r) => CARD[r.card ?? 'normal']),
      customer_type: Uint8Array.from(rows, (r) => CUSTOMER[r.customer ?? 'individual']),
      do_not_disturb: Uint8Array.from(rows, (r) => (r.dnd ? 1 : 0)),
      tenure_months: Float64Array.from(rows, (r) => r.tenure ?? 24),
      arpu: Float64Array.from(rows, (r) => r.arpu ?? 100),
      churn_probability: Float64Array.from(rows, (r) => r.prob ?? 0.1),
      segment: Int32Array.from(rows, (r) => r.segment ?? 0),
      ...trig,
    },
    n,
  );
}

/** A generated population: ids 'S000000'.., probabilities and tenures from a simple LCG. */
export function population(n: number, seed = 1): ScoredRow[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const rows: ScoredRow[] = [];
  for (let i = 0; i < n; i++) {
    const r = next();
    rows.push({
      id: `S${String(i).padStart(6, '0')}`,
      prob: Math.round(next() * 1000) / 1000,
      arpu: Math.round(next() * 40000) / 100,
      tenure: Math.floor(next() * 40),
      card: r < 0.03 ? 'employee' : 'normal',
      dnd: r >= 0.03 && r < 0.05,
      status: r >= 0.05 && r < 0.07 ? 'closed' : r >= 0.07 && r < 0.1 ? 'pending_cancel' : 'active',
      customer: next() < 0.1 ? 'group' : 'individual',
      triggers: next() < 0.05 ? ['competitor_care'] : next() < 0.2 ? ['spend_drop'] : [],
      segment: Math.floor(next() * 4),
    });
  }
  return rows;
}
