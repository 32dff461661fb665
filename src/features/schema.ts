/**
 * The feature schema: every model feature in a fixed order, stored in the model file so scoring
 * can refuse data built differently. Extra numeric billing columns (`x_<name>`) come last, sorted.
 */
import { createHash } from 'node:crypto';
import { TRIGGERS } from '../contract.js';
import { type FeatureMatrix, type Frame, isDict } from '../frame.js';

export const FEATURE_SCHEMA_VERSION = 2;

export type FeatureType = 'number' | 'flag' | 'count';

export interface FeatureSpec {
  name: string;
  type: FeatureType;
  description: string;
}

export interface FeatureSchema {
  version: number;
  features: FeatureSpec[];
}

type Spec = readonly [name: string, type: FeatureType, description: string];

/**
 * The model's features by family, in schema order. A family is what the ablation bench
 * (scripts/bench/ablation.ts) drops as a unit; README ("Feature ablation") has its figures and what
 * was decided from them. The feature frame holds more columns than these (segments and lifecycle
 * read some).
 */
export const FEATURE_FAMILIES = {
  volume: [
    ['voice_out_calls', 'count', 'outgoing voice calls in the month'],
    ['voice_in_calls', 'count', 'incoming voice calls in the month'],
    ['voice_out_minutes', 'number', 'minutes of outgoing voice calls'],
    ['voice_in_minutes', 'number', 'minutes of incoming voice calls'],
    ['sms_out', 'count', 'text messages sent'],
    ['sms_in', 'count', 'text messages received'],
    ['data_mb', 'number', 'data volume in MiB'],
    ['data_sessions', 'count', 'data sessions'],
  ],
  activity: [
    ['active_days', 'count', 'days with any usage event'],
    ['active_day_share', 'number', 'active days / days the subscriber was on the network in the month'],
  ],
  silence: [
    [
      'longest_silent_run',
      'count',
      'longest run of consecutive days without an outgoing call, within the month',
    ],
    ['ends_silent', 'flag', 'the month ends inside a silent run of at least triggers.silent_days days'],
    [
      'silent_run_vs_usual',
      'number',
      'longest_silent_run − its largest value in the previous triggers.history_months months; NaN without one',
    ],
  ],
  recency: [
    [
      'days_since_voice_out',
      'count',
      'days from the last outgoing voice call to month end (days in month when none)',
    ],
    ['days_since_sms_out', 'count', 'days from the last text sent to month end (days in month when none)'],
    ['days_since_data', 'count', 'days from the last data session to month end (days in month when none)'],
    [
      'days_since_incoming',
      'count',
      'days from the last incoming call or text to month end (days in month when none)',
    ],
  ],
  timing: [
    ['night_share', 'number', 'share of voice and sms events at night (usage.night_*)'],
    [
      'weekend_share',
      'number',
      'share of voice and sms events on Saturdays and Sundays in an average week (day rates weighed 2 to 5)',
    ],
  ],
  care: [
    ['own_care_calls', 'count', "outgoing calls to the operator's own care line"],
    ['competitor_care_calls', 'count', "outgoing calls to competitors' care lines"],
  ],
  contacts: [['distinct_contacts', 'count', 'distinct numbers called or texted, either direction']],
  spend: [
    ['billed_amount', 'number', 'amount billed this month'],
    ['arpu', 'number', 'average billed amount over this and up to 2 previous months present'],
    ['cdr_charges', 'number', 'sum of rated CDR charges'],
  ],
  tenure: [
    ['tenure_months', 'count', 'whole months since activation (0 in the activation month)'],
    ['tenure_days', 'count', 'days from activation to month end'],
  ],
  contract: [
    ['months_to_plan_end', 'number', 'days from month end to plan end / 30.4; NaN without a plan end date'],
    ['no_plan_end', 'flag', 'no plan end date (no contract, or none on record)'],
  ],
  status: [
    ['is_suspended', 'flag', 'status suspended at month end'],
    ['is_arrears', 'flag', 'status arrears_suspended at month end'],
    ['is_pending_cancel', 'flag', 'status pending_cancel at month end'],
    ['suspension_count', 'count', 'suspensions during the month'],
    ['ownership_change', 'flag', 'ownership transferred this month'],
    ['plan_change', 'flag', 'brand or plan changed this month'],
    ['is_group', 'flag', 'group customer'],
  ],
  change: [
    ['spend_change', 'number', 'billed amount / average of the previous up-to-3 months − 1'],
    ['voice_minutes_change', 'number', 'voice minutes / average of the previous up-to-3 months − 1'],
    ['data_change', 'number', 'data volume / average of the previous up-to-3 months − 1'],
  ],
  count_change: [
    ['voice_calls_change', 'number', 'voice calls / average of the previous up-to-3 months − 1'],
    ['active_days_change', 'number', 'active days / average of the previous up-to-3 months − 1'],
  ],
  slopes: [
    ['spend_slope', 'number', 'least-squares slope of billed amount per month over up to 6 months'],
    ['voice_slope', 'number', 'least-squares slope of voice minutes per month over up to 6 months'],
    ['data_slope', 'number', 'least-squares slope of data volume per month over up to 6 months'],
  ],
  plan_history: [
    ['months_since_plan_change', 'count', 'months since the latest plan change seen; NaN when none'],
    ['trigger_months_3', 'count', 'months among the previous 3 with any warning trigger'],
  ],
  triggers: TRIGGERS.map((t): Spec => [`trigger_${t}`, 'flag', `warning trigger ${t} fired`]),
} as const satisfies Record<string, readonly Spec[]>;

export type FeatureFamily = keyof typeof FEATURE_FAMILIES;
/** Extra numeric billing columns (`x_<name>`) are a family of their own, last in the schema. */
export const EXTRAS_FAMILY = 'extras';

/** The family of a schema feature (`extras` for extra billing columns). */
export function familyOf(name: string): FeatureFamily | typeof EXTRAS_FAMILY {
  for (const [family, specs] of Object.entries(FEATURE_FAMILIES) as [FeatureFamily, readonly Spec[]][])
    if (specs.some(([n]) => n === name)) return family;
  return EXTRAS_FAMILY;
}

/** The schema for a billing table whose extra numeric columns are `extras` (any order). */
export function featureSchema(extras: readonly string[]): FeatureSchema {
  const features: FeatureSpec[] = [];
  for (const specs of Object.values(FEATURE_FAMILIES) as (readonly Spec[])[])
    for (const [name, type, description] of specs) features.push({ name, type, description });
  for (const name of [...extras].sort())
    features.push({ name, type: 'number', description: 'extra numeric billing column' });
  return { version: FEATURE_SCHEMA_VERSION, features };
}

/** sha256 of the schema's canonical JSON (names, types and version; descriptions left out). */
export function featureSchemaHash(schema: FeatureSchema): string {
  const canonical = JSON.stringify({
    version: schema.version,
    features: schema.features.map((f) => [f.name, f.type]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** The schema's features as Float64 columns (Uint8 and Int32 converted, Float64 shared). */
export function toFeatureMatrix(frame: Frame, schema: FeatureSchema): FeatureMatrix {
  const names = schema.features.map((f) => f.name);
  const columns = names.map((name) => {
    const c = frame.cols[name];
    if (c === undefined) throw new RangeError(`feature "${name}" is not in the feature frame`);
    if (isDict(c)) throw new TypeError(`feature "${name}" is a dictionary column`);
    return c instanceof Float64Array ? c : Float64Array.from(c);
  });
  return { nRows: frame.n, names, columns };
}
