/**
 * The feature frame, one row per billing row of the requested months, for training and scoring
 * alike. Rows with status `closed` are included (the lifecycle stage excludes them) but are never
 * labelled. History and triggers look at every month in the billing table, requested or not (the
 * triggers themselves are worked out only for the requested months and the TRIGGER_MONTHS before
 * them, the rows anything reads them for).
 */
import type { Config } from '../config.js';
import { type BillingTable, OWNER_FIELDS, type SetAsideRows, STATUS, TRIGGERS } from '../contract.js';
import { type Column, type Frame, makeFrame, takeColumn } from '../frame.js';
import { valueTier } from '../value-tier.js';
import { billingFeatures, extraColumns } from './billing.js';
import {
  activeDayShare,
  CDR_FEATURES,
  type CdrAggregates,
  type CdrFeature,
  type CdrOrphans,
  cdrFeature,
  joinCdr,
} from './cdr/index.js';
import { historyFeatures, TRIGGER_MONTHS } from './history.js';
import { churnLabels } from './labels.js';
import { type FeatureSchema, featureSchema } from './schema.js';
import { indexSubscribers } from './subscriber-index.js';
import { anyTrigger, computeTriggers } from './trigger-rules.js';

/**
 * What the features read from the config (each field defined once, in config.ts): the trigger
 * thresholds and history window, and the value tiers with their ARPU window.
 */
export type FeatureSettings = Pick<Config, 'triggers' | 'tiers'>;

export interface BuildFeaturesOptions {
  /** Billing months (month indices) to emit rows for; default every month in the billing table. */
  months?: readonly number[];
  /** Billing rows set aside as bad: their subscribers are not labelled churned for those months. */
  setAside?: SetAsideRows;
}

export interface FeatureMonthStats {
  month: number;
  rows: number;
  closed: number;
  labelled: number;
  churned: number;
  /** 1 when CDRs cover the month. */
  cdrCovered: number;
  /** Rows left unlabelled: the subscriber's row of the next month was set aside as bad. */
  setAside: number;
}

export interface FeatureStats {
  rows: number;
  byMonth: FeatureMonthStats[];
  labels: { labelled: number; churned: number };
  /** Requested rows with no billing row in the previous triggers.history_months months. */
  withoutHistory: number;
  /** Requested rows of a covered month where the subscriber had no CDR event (zero usage). */
  noCdrEvents: number;
  cdrMonths: readonly number[];
  cdrOrphans: CdrOrphans;
}

export interface FeatureResult {
  frame: Frame;
  schema: FeatureSchema;
  stats: FeatureStats;
}

export function buildFeatures(
  billing: BillingTable,
  cdr: CdrAggregates | null,
  settings: FeatureSettings,
  options: BuildFeaturesOptions = {},
): FeatureResult {
  const c = billing.cols;
  const month = c.month;
  const n = billing.n;
  const silentDays = settings.triggers.silent_days;
  const ix = indexSubscribers(billing);
  const join = joinCdr(ix, month, cdr);

  const all = new Int32Array(n);
  for (let r = 0; r < n; r++) all[r] = r;
  const usageOf = (name: CdrFeature, rows: Int32Array) => cdrFeature(join, name, rows, month, silentDays);
  const voiceMinutes = sum(usageOf('voice_out_minutes', all), usageOf('voice_in_minutes', all));
  const voiceCalls = sum(usageOf('voice_out_calls', all), usageOf('voice_in_calls', all));
  const longestSilentRun = usageOf('longest_silent_run', all);
  const rows = rowsOfMonths(month, options.months);
  const count = rows.length;
  // Triggers are read for the rows built and, through trigger_months_3, for the months before them.
  const triggerRows = options.months && rowsOfMonths(month, withEarlier(options.months, TRIGGER_MONTHS));
  const triggers = computeTriggers(
    billing,
    ix,
    {
      voiceMinutes,
      voiceCalls,
      longestSilentRun,
      ownCare: usageOf('own_care_calls', all),
      competitorCare: usageOf('competitor_care_calls', all),
    },
    settings.triggers,
    triggerRows,
  );

  const billingCols = billingFeatures(billing, ix, rows, settings.tiers.arpu_months);
  const history = historyFeatures(
    billing,
    ix,
    rows,
    {
      voiceMinutes,
      voiceCalls,
      activeDays: usageOf('active_days', all),
      longestSilentRun,
      dataMb: usageOf('data_mb', all),
      anyTrigger: anyTrigger(triggers, n, triggerRows),
    },
    settings.triggers.history_months,
  );
  const labels = churnLabels(billing, ix, rows, options.setAside);

  const arpu = billingCols.arpu as Float64Array;
  const tier = new Uint8Array(count);
  for (let i = 0; i < count; i++) tier[i] = valueTier(arpu[i]!, settings.tiers.bounds);
  const cols: Record<string, Column> = {
    subscriber_id: {
      kind: 'dict',
      codes: takeColumn(c.subscriber_id.codes, rows),
      dictionary: c.subscriber_id.dictionary,
    },
    month: takeColumn(month, rows),
    status: takeColumn(c.status, rows),
    card_type: takeColumn(c.card_type, rows),
    customer_type: takeColumn(c.customer_type, rows),
    do_not_disturb: takeColumn(c.do_not_disturb, rows),
    cdr_covered: takeColumn(join.covered, rows),
    tier,
    labelled: labels.labelled,
    churned_next: labels.churned_next,
  };
  for (const name of OWNER_FIELDS) {
    const owner = c[name];
    if (owner)
      cols[name] = { kind: 'dict', codes: takeColumn(owner.codes, rows), dictionary: owner.dictionary };
  }
  for (const name of CDR_FEATURES) cols[name] = usageOf(name, rows);
  cols.active_day_share = activeDayShare(billing, rows, cols.active_days as Float64Array);
  Object.assign(cols, billingCols, history.columns);
  for (const t of TRIGGERS) cols[`trigger_${t}`] = takeColumn(triggers[t], rows);

  const frame = makeFrame(cols, count);
  const schema = featureSchema(extraColumns(billing));
  const stats = featureStats(frame, labels.setAside, join.cdrRow, rows, cdr, history.withoutHistory);
  return { frame, schema, stats: { ...stats, cdrOrphans: join.orphans } };
}

function featureStats(
  frame: Frame,
  setAside: Uint8Array,
  cdrRow: Int32Array,
  rows: Int32Array,
  cdr: CdrAggregates | null,
  withoutHistory: number,
): Omit<FeatureStats, 'cdrOrphans'> {
  const month = frame.cols.month as Int32Array;
  const status = frame.cols.status as Uint8Array;
  const covered = frame.cols.cdr_covered as Uint8Array;
  const labelled = frame.cols.labelled as Uint8Array;
  const churned = frame.cols.churned_next as Uint8Array;
  const byMonth = new Map<number, FeatureMonthStats>();
  let noCdrEvents = 0;
  for (let i = 0; i < frame.n; i++) {
    const m = month[i]!;
    let s = byMonth.get(m);
    if (s === undefined) {
      s = { month: m, rows: 0, closed: 0, labelled: 0, churned: 0, cdrCovered: covered[i]!, setAside: 0 };
      byMonth.set(m, s);
    }
    s.rows++;
    if (status[i] === STATUS.closed) s.closed++;
    s.labelled += labelled[i]!;
    s.churned += churned[i]!;
    s.setAside += setAside[i]!;
    if (covered[i] === 1 && cdrRow[rows[i]!]! < 0) noCdrEvents++;
  }
  const months = [...byMonth.values()].sort((a, b) => a.month - b.month);
  return {
    rows: frame.n,
    byMonth: months,
    labels: {
      labelled: months.reduce((s, m) => s + m.labelled, 0),
      churned: months.reduce((s, m) => s + m.churned, 0),
    },
    withoutHistory,
    noCdrEvents,
    cdrMonths: cdr?.months ?? [],
  };
}

/** The months and the `earlier` months before each. */
function withEarlier(months: readonly number[], earlier: number): number[] {
  return months.flatMap((m) => Array.from({ length: earlier + 1 }, (_, k) => m - k));
}

/** The rows whose month is one of `months` (all rows when not given), in order. */
function rowsOfMonths(month: Int32Array, months: readonly number[] | undefined): Int32Array {
  if (months === undefined) {
    const all = new Int32Array(month.length);
    for (let r = 0; r < month.length; r++) all[r] = r;
    return all;
  }
  if (months.length === 0) return new Int32Array(0);
  // A flag per month between the first and last wanted: a typed read per row, not a set lookup.
  let low = months[0]!;
  let high = low;
  for (const m of months) {
    low = Math.min(low, m);
    high = Math.max(high, m);
  }
  const wanted = new Uint8Array(high - low + 1);
  for (const m of months) wanted[m - low] = 1;
  // One pass: a row is wanted when its month falls in [low, high] and is flagged.
  const rows = new Int32Array(month.length);
  let count = 0;
  for (let r = 0; r < month.length; r++) {
    const k = month[r]! - low;
    if (k >= 0 && k < wanted.length && wanted[k] === 1) rows[count++] = r;
  }
  return rows.slice(0, count);
}

function sum(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}
