import {
  type BillingTable,
  CARD,
  type CardType,
  type CdrAggregates,
  type CdrAggregationSettings,
  type CdrEvent,
  type CdrSink,
  type Config,
  CUSTOMER,
  type CustomerType,
  createCdrAggregator,
  createRandom,
  DEFAULT_CONFIG,
  DIRECTION,
  dictFromStrings,
  EVENT,
  type EventType,
  emptyCdrEvent,
  type FeatureSettings,
  makeFrame,
  parseDate,
  parseLocalDateTime,
  parseMonth,
  STATUS,
  type Status,
} from '../../src/index.js';

/** The config's parts the features and the CDR aggregation read. */
export type Settings = FeatureSettings & CdrAggregationSettings;

const { triggers, tiers, service_numbers, usage } = DEFAULT_CONFIG;
/** The default settings, sliced from the config. */
export const SETTINGS: Settings = { triggers, tiers, service_numbers, usage };

/** One hand-made billing row; everything but id and month has a plain default. */
export interface BillingRow {
  id: string;
  month: string;
  activation?: string;
  plan?: string;
  planEnd?: string;
  billed?: number;
  status?: Status;
  suspensions?: number;
  card?: CardType;
  customer?: CustomerType;
  ownership?: 0 | 1;
  planChange?: 0 | 1;
  dnd?: 0 | 1;
  extra?: Record<string, number>;
}

/** A BillingTable as a reader would produce it. */
export function billingTable(rows: readonly BillingRow[]): BillingTable {
  const extras = new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})));
  const cols: Record<string, unknown> = {
    subscriber_id: dictFromStrings(rows.map((r) => r.id)),
    month: Int32Array.from(rows, (r) => parseMonth(r.month)),
    activation_date: Int32Array.from(rows, (r) => parseDate(r.activation ?? '2020-01-15')),
    plan_id: dictFromStrings(rows.map((r) => r.plan ?? 'P1')),
    plan_end_date: Float64Array.from(rows, (r) =>
      r.planEnd === undefined ? Number.NaN : parseDate(r.planEnd),
    ),
    billed_amount: Float64Array.from(rows, (r) => r.billed ?? 100),
    status: Uint8Array.from(rows, (r) => STATUS[r.status ?? 'active']),
    suspension_count: Int32Array.from(rows, (r) => r.suspensions ?? 0),
    card_type: Uint8Array.from(rows, (r) => CARD[r.card ?? 'normal']),
    customer_type: Uint8Array.from(rows, (r) => CUSTOMER[r.customer ?? 'individual']),
    ownership_change: Uint8Array.from(rows, (r) => r.ownership ?? 0),
    plan_change: Uint8Array.from(rows, (r) => r.planChange ?? 0),
    do_not_disturb: Uint8Array.from(rows, (r) => r.dnd ?? 0),
  };
  for (const name of extras) cols[name] = Float64Array.from(rows, (r) => r.extra?.[name] ?? Number.NaN);
  return makeFrame(cols as Parameters<typeof makeFrame>[0], rows.length) as BillingTable;
}

/** One hand-made usage event. */
export interface Event {
  id: string;
  at: string;
  type?: EventType;
  dir?: 'in' | 'out';
  dur?: number;
  bytes?: number;
  other?: string;
  charge?: number;
}

/** Feeds events the way readers do: one reused event object. */
export function feed(sink: CdrSink, events: readonly Event[]): void {
  const e: CdrEvent = emptyCdrEvent();
  for (const ev of events) {
    const type = ev.type ?? 'voice';
    e.subscriberId = ev.id;
    e.startTime = parseLocalDateTime(ev.at);
    if (Number.isNaN(e.startTime)) throw new Error(`bad time ${ev.at}`);
    e.eventType = EVENT[type];
    e.direction = type === 'data' ? DIRECTION.none : DIRECTION[ev.dir ?? 'out'];
    e.durationS = ev.dur ?? (type === 'voice' ? 60 : 0);
    e.bytes = ev.bytes ?? 0;
    e.otherParty = type === 'data' ? '' : (ev.other ?? '13800000000');
    e.charge = ev.charge ?? Number.NaN;
    sink.add(e);
  }
}

export function aggregate(
  events: readonly Event[],
  settings: CdrAggregationSettings = SETTINGS,
): CdrAggregates {
  const agg = createCdrAggregator(settings);
  feed(agg, events);
  return agg.finish();
}

/** The default settings with some triggers overridden. */
export function withTriggers(t: Partial<Config['triggers']>): Settings {
  return { ...SETTINGS, triggers: { ...SETTINGS.triggers, ...t } };
}

/** Outgoing calls on each given day of a month (`2024-02`, [1, 2, 5]) at noon. */
export function callsOnDays(id: string, month: string, days: readonly number[]): Event[] {
  return days.map((d) => ({ id, at: `${month}-${String(d).padStart(2, '0')}T12:00:00` }));
}

/** Random voice/sms/data events of `subscribers` subscribers over two months, in the given order. */
export function randomEvents(subscribers: number, order: 'subscriber' | 'time'): CdrEvent[] {
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
        startTime: start + rnd.int(60 * 86_400),
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
