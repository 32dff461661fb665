/**
 * The data contract (DATA-CONTRACT.md) as code: enum values, input columns and the in-memory
 * shapes that readers produce. Enum columns are stored as Uint8 indices into these lists.
 */
import { createHash } from 'node:crypto';
import type { DictColumn, Frame } from './frame.js';

/** The first field of every model file retain writes (model/persist.ts); outputs recognise a model by it. */
export const MODEL_FORMAT = 'retain-model';

/**
 * A model file's id (churn and uplift models alike): the first 16 hex digits of the SHA-256 of its
 * content without the id, keys in file order. JSON numbers and strings read back to the same text,
 * so a file as written hashes to its id again. Reading a model checks it, and so does an output
 * about to replace a file that starts like a model: only a model retain wrote, unedited, matches.
 */
export function contentId(body: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
}

export const STATUSES = ['active', 'suspended', 'arrears_suspended', 'pending_cancel', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS = {
  active: 0,
  suspended: 1,
  arrears_suspended: 2,
  pending_cancel: 3,
  closed: 4,
} as const;

export const CARD_TYPES = ['normal', 'employee', 'test', 'free', 'sp_only'] as const;
export type CardType = (typeof CARD_TYPES)[number];
export const CARD = { normal: 0, employee: 1, test: 2, free: 3, sp_only: 4 } as const;

export const CUSTOMER_TYPES = ['individual', 'group'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const CUSTOMER = { individual: 0, group: 1 } as const;

export const EVENT_TYPES = ['voice', 'sms', 'data'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const EVENT = { voice: 0, sms: 1, data: 2 } as const;

export const DIRECTIONS = ['in', 'out'] as const;
export const DIRECTION = { none: -1, in: 0, out: 1 } as const;

export const STAGES = ['onboarding', 'growth', 'maturity', 'warning'] as const;
export type Stage = (typeof STAGES)[number];
/** Target lists: one per stage plus the group account team's list. */
export const LISTS = [...STAGES, 'group'] as const;
export type ListName = (typeof LISTS)[number];

export const TIERS = ['<50', '50-150', '150-300', '300+'] as const;
export type Tier = (typeof TIERS)[number];

export const TRIGGERS = [
  'spend_drop',
  'usage_shift',
  'silent_days',
  'zero_usage',
  'care_calls',
  'competitor_care',
  'suspensions',
  'status_change',
  'arrears_or_cancel',
  'plan_expiring',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

export type FileKind = 'billing' | 'cdr' | 'outcomes';

/** How a raw text value is checked and stored. */
export type FieldType =
  | { kind: 'id' } // string, kept verbatim (leading zeros kept)
  | { kind: 'string' }
  | { kind: 'month' } // YYYY-MM
  | { kind: 'date' } // YYYY-MM-DD
  | { kind: 'datetime' } // YYYY-MM-DDTHH:MM:SS, local time
  | { kind: 'amount' } // decimal >= 0
  | { kind: 'count' } // integer >= 0
  | { kind: 'flag' } // 0 or 1
  | { kind: 'enum'; values: readonly string[] };

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  /** Value used when an optional column is absent or a cell is blank; undefined = missing. */
  readonly fallback?: string;
}

export const BILLING_FIELDS: readonly FieldSpec[] = [
  { name: 'subscriber_id', type: { kind: 'id' }, required: true },
  { name: 'month', type: { kind: 'month' }, required: true },
  { name: 'activation_date', type: { kind: 'date' }, required: true },
  { name: 'plan_id', type: { kind: 'string' }, required: true },
  { name: 'plan_end_date', type: { kind: 'date' }, required: false },
  { name: 'billed_amount', type: { kind: 'amount' }, required: true },
  { name: 'status', type: { kind: 'enum', values: STATUSES }, required: true },
  { name: 'suspension_count', type: { kind: 'count' }, required: false, fallback: '0' },
  { name: 'card_type', type: { kind: 'enum', values: CARD_TYPES }, required: false, fallback: 'normal' },
  {
    name: 'customer_type',
    type: { kind: 'enum', values: CUSTOMER_TYPES },
    required: false,
    fallback: 'individual',
  },
  { name: 'ownership_change', type: { kind: 'flag' }, required: false, fallback: '0' },
  { name: 'plan_change', type: { kind: 'flag' }, required: false, fallback: '0' },
  { name: 'do_not_disturb', type: { kind: 'flag' }, required: false, fallback: '0' },
  // The subscriber's owning unit (归属单位) and service manager, who are handed its targets.
  { name: 'unit', type: { kind: 'string' }, required: false },
  { name: 'manager', type: { kind: 'string' }, required: false },
];

/** The billing columns naming who owns a subscriber: lists can be split by them, KPIs are reported per unit. */
export const OWNER_FIELDS = ['unit', 'manager'] as const;
export type OwnerField = (typeof OWNER_FIELDS)[number];

/** `direction`, `duration_s`, `bytes` and `other_party` are required per event type, not per column. */
export const CDR_FIELDS: readonly FieldSpec[] = [
  { name: 'subscriber_id', type: { kind: 'id' }, required: true },
  { name: 'start_time', type: { kind: 'datetime' }, required: true },
  { name: 'event_type', type: { kind: 'enum', values: EVENT_TYPES }, required: true },
  { name: 'direction', type: { kind: 'enum', values: DIRECTIONS }, required: false },
  { name: 'duration_s', type: { kind: 'count' }, required: false },
  { name: 'bytes', type: { kind: 'count' }, required: false },
  { name: 'other_party', type: { kind: 'string' }, required: false },
  { name: 'charge', type: { kind: 'amount' }, required: false },
];

/**
 * The work-order outcomes the call centre returns for a campaign month (返单): one row per
 * subscriber per list of that month. `month` is the list's (scored) month, not the call's.
 */
export const OUTCOME_FIELDS: readonly FieldSpec[] = [
  { name: 'subscriber_id', type: { kind: 'id' }, required: true },
  { name: 'month', type: { kind: 'month' }, required: true },
  { name: 'list', type: { kind: 'enum', values: LISTS }, required: false, fallback: 'warning' },
  { name: 'contacted', type: { kind: 'flag' }, required: true },
  { name: 'contact_date', type: { kind: 'date' }, required: false },
  { name: 'action', type: { kind: 'string' }, required: false },
  { name: 'accepted', type: { kind: 'flag' }, required: false },
  { name: 'channel', type: { kind: 'string' }, required: false },
];

export function fieldsOf(kind: FileKind): readonly FieldSpec[] {
  return kind === 'billing' ? BILLING_FIELDS : kind === 'cdr' ? CDR_FIELDS : OUTCOME_FIELDS;
}

/**
 * Billing rows as read: one row per subscriber per billing month, all files stacked.
 * Months are month indices (see calendar.ts), dates are days since 1970-01-01, enums are indices
 * into the lists above. Extra numeric input columns appear as `x_<name>` Float64 columns.
 */
export interface BillingColumns {
  readonly subscriber_id: DictColumn;
  readonly month: Int32Array;
  readonly activation_date: Int32Array;
  readonly plan_id: DictColumn;
  /** NaN when absent. */
  readonly plan_end_date: Float64Array;
  readonly billed_amount: Float64Array;
  readonly status: Uint8Array;
  readonly suspension_count: Int32Array;
  readonly card_type: Uint8Array;
  readonly customer_type: Uint8Array;
  readonly ownership_change: Uint8Array;
  readonly plan_change: Uint8Array;
  readonly do_not_disturb: Uint8Array;
  /**
   * Present only when some billing file has the column; a blank cell, or a row of a file without the
   * column, is code −1.
   */
  readonly unit?: DictColumn;
  readonly manager?: DictColumn;
}

export interface BillingTable extends Frame {
  readonly cols: Readonly<BillingColumns & Record<string, import('./frame.js').Column>>;
}

/**
 * Billing rows set aside as bad, by the subscriber and month they name (as far as their cells can be
 * read): such a subscriber is not missing from that month, so their absence from it is no churn.
 */
export interface SetAsideRows {
  /** Per row named, the subscriber id as written and the month index. */
  readonly subscribers: readonly string[];
  readonly months: Int32Array;
  /** Rows set aside whose subscriber or month could not be read. */
  readonly unnamed: number;
}

/**
 * Work-order outcomes as read: one row per (subscriber, list month, list). `list` is an index into
 * LISTS, `contact_date` a day number (NaN when blank), `accepted` 0, 1 or NaN when blank; blank
 * `action` and `channel` cells are ''.
 */
export interface OutcomeColumns {
  readonly subscriber_id: DictColumn;
  readonly month: Int32Array;
  readonly list: Uint8Array;
  readonly contacted: Uint8Array;
  readonly contact_date: Float64Array;
  readonly action: DictColumn;
  readonly accepted: Float64Array;
  readonly channel: DictColumn;
}

export interface OutcomesTable extends Frame {
  readonly cols: Readonly<OutcomeColumns & Record<string, import('./frame.js').Column>>;
}

/**
 * One usage event, as a CDR reader hands it to an aggregator. Readers reuse one object for every
 * row, so a sink must copy what it keeps.
 */
export interface CdrEvent {
  subscriberId: string;
  /** Seconds since 1970-01-01T00:00:00 of the local wall-clock time (no time zone applied). */
  startTime: number;
  /** Index into EVENT_TYPES. */
  eventType: number;
  /** DIRECTION.in, DIRECTION.out, or DIRECTION.none for data. */
  direction: number;
  /** 0 when not given. */
  durationS: number;
  /** 0 when not given. */
  bytes: number;
  /** '' when not given. */
  otherParty: string;
  /** NaN when not given. */
  charge: number;
  /**
   * Worked out by a reader that has them at hand (the plain-CSV fast path), so a sink need not
   * look at the text: numericKey(subscriberId), and hashString(otherParty) of a non-empty other
   * party (undefined for an empty one). Undefined when not given: the sink works them out.
   */
  subscriberKey?: number;
  otherPartyHash?: number;
}

/** A blank event for a reader to fill and reuse: no direction, zero volumes, no other party, no charge. */
export function emptyCdrEvent(): CdrEvent {
  return {
    subscriberId: '',
    startTime: 0,
    eventType: 0,
    direction: DIRECTION.none,
    durationS: 0,
    bytes: 0,
    otherParty: '',
    charge: Number.NaN,
  };
}

/** Receives accepted CDR events while a file is read, so memory grows with subscribers, not events. */
export interface CdrSink {
  add(event: Readonly<CdrEvent>): void;
}
