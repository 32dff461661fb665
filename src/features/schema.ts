/**
 * The feature schema: every model feature in a fixed order, stored in the model file so scoring
 * can refuse data built differently. Extra numeric billing columns (`x_<name>`) come last, sorted.
 */
import { createHash } from 'node:crypto';
import { TRIGGERS } from '../contract.js';
import type { FeatureMatrix } from '../frame.js';
import { type Frame, isDict } from '../frame.js';
import type { CdrFeature } from './cdr-finish.js';

export const FEATURE_SCHEMA_VERSION = 1;

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

const CDR_SPECS: Record<CdrFeature, [FeatureType, string]> = {
  voice_out_calls: ['count', 'outgoing voice calls in the month'],
  voice_in_calls: ['count', 'incoming voice calls in the month'],
  voice_out_minutes: ['number', 'minutes of outgoing voice calls'],
  voice_in_minutes: ['number', 'minutes of incoming voice calls'],
  sms_out: ['count', 'text messages sent'],
  sms_in: ['count', 'text messages received'],
  data_mb: ['number', 'data volume in MiB'],
  data_sessions: ['count', 'data sessions'],
  active_days: ['count', 'days with any usage event'],
  longest_silent_run: ['count', 'longest run of consecutive days without an outgoing call, within the month'],
  ends_silent: ['flag', 'the month ends inside a silent run of at least triggers.silent_days days'],
  distinct_contacts: ['count', 'distinct numbers called or texted, either direction'],
  night_share: ['number', 'share of voice and sms events at night (usage.night_*)'],
  weekend_share: ['number', 'share of voice and sms events on Saturdays and Sundays'],
  own_care_calls: ['count', "outgoing calls to the operator's own care line"],
  competitor_care_calls: ['count', "outgoing calls to competitors' care lines"],
  cdr_charges: ['number', 'sum of rated CDR charges'],
};

const BILLING_SPECS: [string, FeatureType, string][] = [
  ['billed_amount', 'number', 'amount billed this month'],
  ['tenure_months', 'count', 'whole months since activation (0 in the activation month)'],
  ['months_to_plan_end', 'number', 'days from month end to plan end / 30.4; NaN without a plan end date'],
  ['is_suspended', 'flag', 'status suspended at month end'],
  ['is_arrears', 'flag', 'status arrears_suspended at month end'],
  ['is_pending_cancel', 'flag', 'status pending_cancel at month end'],
  ['suspension_count', 'count', 'suspensions during the month'],
  ['ownership_change', 'flag', 'ownership transferred this month'],
  ['plan_change', 'flag', 'brand or plan changed this month'],
  ['is_group', 'flag', 'group customer'],
  ['arpu', 'number', 'average billed amount over this and up to 2 previous months present'],
];

const HISTORY_SPECS: [string, FeatureType, string][] = [
  ['spend_change', 'number', 'billed amount / average of the previous up-to-3 months − 1'],
  ['voice_minutes_change', 'number', 'voice minutes / average of the previous up-to-3 months − 1'],
  ['data_change', 'number', 'data volume / average of the previous up-to-3 months − 1'],
  ['spend_slope', 'number', 'least-squares slope of billed amount per month over up to 6 months'],
  ['voice_slope', 'number', 'least-squares slope of voice minutes per month over up to 6 months'],
  ['data_slope', 'number', 'least-squares slope of data volume per month over up to 6 months'],
  ['months_since_plan_change', 'count', 'months since the latest plan change seen; NaN when none'],
  ['trigger_months_3', 'count', 'months among the previous 3 with any warning trigger'],
];

/** The schema for a billing table whose extra numeric columns are `extras` (any order). */
export function featureSchema(cdrFeatures: readonly CdrFeature[], extras: readonly string[]): FeatureSchema {
  const features: FeatureSpec[] = [];
  for (const name of cdrFeatures) {
    const [type, description] = CDR_SPECS[name];
    features.push({ name, type, description });
  }
  for (const [name, type, description] of [...BILLING_SPECS, ...HISTORY_SPECS])
    features.push({ name, type, description });
  for (const t of TRIGGERS)
    features.push({ name: `trigger_${t}`, type: 'flag', description: `warning trigger ${t} fired` });
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
