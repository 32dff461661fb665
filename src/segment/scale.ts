/**
 * Scaling of behavioural features before k-means: log1p for skewed volumes, then standardisation.
 *
 * Which features get log1p is decided from the training rows: a feature is logged when all its
 * training values are non-negative AND (it is a volume in `VOLUME_FEATURES`, or its sample skewness
 * exceeds `SKEW_THRESHOLD`). Volumes are listed because a month with few heavy users can look
 * symmetric in one data set and not in the next; the list keeps the model's geometry stable.
 *
 * Missing values (NaN) take the training mean, i.e. 0 after scaling, so they pull a subscriber to no
 * segment in particular. At assignment time a negative value of a logged feature is clamped to 0
 * (a negative volume is a data error, and log1p of it is undefined below -1).
 */
import { InputError, ModelError } from '../errors.js';
import { type Frame, isDict, type NumericColumn } from '../frame.js';

/** Plain JSON: everything needed to scale a frame the way the training frame was scaled. */
export interface Scaler {
  readonly features: readonly string[];
  readonly log: readonly boolean[];
  readonly means: readonly number[];
  readonly stds: readonly number[];
}

/** Usage and money volumes: logged whenever non-negative, whatever their skewness in this data. */
export const VOLUME_FEATURES: readonly string[] = [
  'voice_out_calls',
  'voice_in_calls',
  'voice_out_minutes',
  'voice_in_minutes',
  'sms_out',
  'sms_in',
  'data_mb',
  'data_sessions',
  'distinct_contacts',
  'arpu',
  'billed_amount',
  'cdr_charges',
];

/** Sample skewness above which a non-negative feature is logged (1 = "highly skewed"). */
export const SKEW_THRESHOLD = 1;

/** Row-major matrix of scaled values: row i, feature j at `data[i * d + j]`. */
export interface ScaledRows {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

/** Resolves the feature columns of a frame; `onMissing` builds the error for an absent column. */
export function featureColumns(
  frame: Frame,
  features: readonly string[],
  onMissing: (name: string) => Error,
): NumericColumn[] {
  return features.map((name) => {
    const c = frame.cols[name];
    if (c === undefined) throw onMissing(name);
    if (isDict(c)) throw new InputError(`segment feature "${name}" is a text column, expected numbers`);
    return c;
  });
}

interface Moments {
  count: number;
  min: number;
  mean: number;
  /** Population standard deviation; 1 for a constant (or all-missing) feature. */
  std: number;
  skew: number;
}

/**
 * Moments of the values divided by `unit` (the variance rather than the standard deviation), and the
 * min and largest magnitude of the values themselves.
 */
interface Sums extends Omit<Moments, 'std'> {
  largest: number;
  variance: number;
}

/**
 * Count, min, mean, variance and skewness of the non-missing values divided by `unit`, in two passes
 * (sums in row order), and min and largest magnitude of the values themselves. `values` holds the
 * values to describe; `rows` picks them (null: all).
 */
function sums(values: Float64Array | NumericColumn, rows: Int32Array | null, unit: number): Sums {
  const n = rows === null ? values.length : rows.length;
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let largest = 0;
  for (let r = 0; r < n; r++) {
    const raw = values[rows === null ? r : rows[r]!]!;
    if (Number.isNaN(raw)) continue;
    count++;
    sum += raw / unit;
    if (raw < min) min = raw;
    if (Math.abs(raw) > largest) largest = Math.abs(raw);
  }
  const mean = count > 0 ? sum / count : 0;
  let m2 = 0;
  let m3 = 0;
  for (let r = 0; r < n; r++) {
    const raw = values[rows === null ? r : rows[r]!]!;
    if (Number.isNaN(raw)) continue;
    const dv = raw / unit - mean;
    m2 += dv * dv;
    m3 += dv * dv * dv;
  }
  const variance = count > 0 ? m2 / count : 0;
  const skew = variance > 0 ? m3 / count / variance ** 1.5 : 0;
  return { count, min, largest, mean, variance, skew };
}

/**
 * Count, min, mean, standard deviation and skewness of the non-missing values. Values so large that
 * their sums overflow (a stray 1e200) are described again in units of the largest one, which gives
 * the same moments without leaving the number range; otherwise the standard deviation would be
 * infinite, the feature would go unscaled and k-means would meet infinite distances.
 */
function moments(values: Float64Array | NumericColumn, rows: Int32Array | null): Moments {
  const plain = sums(values, rows, 1);
  const overflow = !(Number.isFinite(plain.mean) && Number.isFinite(plain.variance));
  const unit = overflow && plain.largest > 0 && Number.isFinite(plain.largest) ? plain.largest : 1;
  const m = unit === 1 ? plain : sums(values, rows, unit);
  const sd = unit * Math.sqrt(m.variance);
  // A constant (or all-missing) feature scales to 0 everywhere rather than dividing by zero.
  const std = sd > 0 && Number.isFinite(sd) ? sd : 1;
  return { count: m.count, min: m.min, mean: unit * m.mean, std, skew: m.skew };
}

/** log1p of the picked values (NaN stays NaN), computed once for both passes of `moments`. */
function logged(c: NumericColumn, rows: Int32Array | null): Float64Array {
  const n = rows === null ? c.length : rows.length;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = Math.log1p(c[rows === null ? r : rows[r]!]!);
  return out;
}

/** Learns log flags, means and standard deviations from the training rows (`rows` = null: all rows). */
export function fitScaler(frame: Frame, features: readonly string[], rows: Int32Array | null = null): Scaler {
  const cols = featureColumns(
    frame,
    features,
    (name) => new InputError(`no column "${name}" for segment feature in the feature frame`),
  );
  const log: boolean[] = [];
  const means: number[] = [];
  const stds: number[] = [];
  features.forEach((name, j) => {
    const c = cols[j]!;
    const plain = moments(c, rows);
    const doLog =
      plain.count > 0 && plain.min >= 0 && (VOLUME_FEATURES.includes(name) || plain.skew > SKEW_THRESHOLD);
    const kept = doLog ? moments(logged(c, rows), null) : plain;
    log.push(doLog);
    means.push(kept.mean);
    stds.push(kept.std);
  });
  return { features: [...features], log, means, stds };
}

/** The scaling rule, given one feature's log flag, mean and standard deviation. */
export function scaled(raw: number, log: boolean, mean: number, std: number): number {
  if (Number.isNaN(raw)) return 0;
  const v = log ? Math.log1p(Math.max(raw, 0)) : raw;
  return (v - mean) / std;
}

/** Scaled value of one raw value of feature j. */
export function scaleValue(scaler: Scaler, j: number, raw: number): number {
  return scaled(raw, scaler.log[j]!, scaler.means[j]!, scaler.stds[j]!);
}

/** Columns of `frame` for the scaler's features; an absent one is a model/data mismatch. */
export function scalerColumns(scaler: Scaler, frame: Frame): NumericColumn[] {
  return featureColumns(
    frame,
    scaler.features,
    (name) =>
      new ModelError(
        `segment model needs feature column "${name}", which the feature frame lacks (model features: ${scaler.features.join(', ')})`,
      ),
  );
}

/** Scales the given rows (null = all rows) into a row-major matrix. */
export function scaleRows(
  scaler: Scaler,
  cols: readonly NumericColumn[],
  n: number,
  rows: Int32Array | null = null,
): ScaledRows {
  const d = scaler.features.length;
  const m = rows === null ? n : rows.length;
  const data = new Float64Array(m * d);
  for (let r = 0; r < m; r++) {
    const i = rows === null ? r : rows[r]!;
    for (let j = 0; j < d; j++) data[r * d + j] = scaleValue(scaler, j, cols[j]![i]!);
  }
  return { n: m, d, data };
}
