/** Per-segment profiles: size, value, churn, feature means and what sets each segment apart. */
import type { Frame, NumericColumn } from '../frame.js';
import type { DistinctiveFeature, SegmentProfile } from './model.js';
import type { Scaler } from './scale.js';

const DISTINCTIVE_COUNT = 3;

function numericColumn(frame: Frame, name: string): NumericColumn | null {
  const c = frame.cols[name];
  return c === undefined || !(c instanceof Float64Array || c instanceof Int32Array || c instanceof Uint8Array)
    ? null
    : c;
}

/** NaN-skipping mean of a column per segment; null where a segment has no value. */
function meanBySegment(c: NumericColumn, assignment: Int32Array, k: number): (number | null)[] {
  const sum = new Float64Array(k);
  const count = new Float64Array(k);
  for (let i = 0; i < assignment.length; i++) {
    const v = c[i]!;
    if (Number.isNaN(v)) continue;
    sum[assignment[i]!]! += v;
    count[assignment[i]!]!++;
  }
  return Array.from(sum, (s, seg) => (count[seg]! > 0 ? s / count[seg]! : null));
}

/** Features of each segment ordered by |z|, largest first (feature order breaks ties). */
export function distinctiveFeatures(
  features: readonly string[],
  z: readonly Float64Array[],
): DistinctiveFeature[][] {
  return z.map((zs) =>
    features
      .map((feature, j) => ({ feature, z: zs[j]! }))
      .sort(
        (a, b) => Math.abs(b.z) - Math.abs(a.z) || features.indexOf(a.feature) - features.indexOf(b.feature),
      ),
  );
}

/**
 * z[s][j]: mean scaled value of feature j in segment s minus its mean over all rows, from the scaled
 * sums of the assignment pass (row-major k × d per segment, and over all rows). Scaled exactly as for
 * assignment, so missing values count as the population mean.
 */
export function segmentZ(
  sums: Float64Array,
  sizes: Int32Array,
  total: Float64Array,
  n: number,
): Float64Array[] {
  const d = total.length;
  return Array.from(sizes, (size, s) =>
    total.map((all, j) => (size > 0 ? sums[s * d + j]! / size : 0) - all / n),
  );
}

export function segmentProfiles(
  frame: Frame,
  scaler: Scaler,
  cols: readonly NumericColumn[],
  assignment: Int32Array,
  k: number,
  names: readonly string[],
  ranked: readonly (readonly DistinctiveFeature[])[],
  z: readonly Float64Array[],
): SegmentProfile[] {
  const n = assignment.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[assignment[i]!]!++;
  const arpu = numericColumn(frame, 'arpu');
  const arpuMeans = arpu === null ? null : meanBySegment(arpu, assignment, k);
  const featureMeans = cols.map((c) => meanBySegment(c, assignment, k));
  const churned = numericColumn(frame, 'churned_next');
  const labelled = numericColumn(frame, 'labelled');
  const labelledRows = new Int32Array(k);
  const churners = new Int32Array(k);
  if (churned !== null && labelled !== null) {
    for (let i = 0; i < n; i++) {
      if (labelled[i] !== 1) continue;
      labelledRows[assignment[i]!]!++;
      if (churned[i] === 1) churners[assignment[i]!]!++;
    }
  }
  const hasLabels = churned !== null && labelled !== null;
  return Array.from({ length: k }, (_, s) => ({
    segment: s,
    name: names[s]!,
    size: sizes[s]!,
    share: n > 0 ? sizes[s]! / n : 0,
    meanArpu: arpuMeans === null ? null : arpuMeans[s]!,
    churnRate: hasLabels && labelledRows[s]! > 0 ? churners[s]! / labelledRows[s]! : null,
    labelledRows: labelledRows[s]!,
    featureMeans: Object.fromEntries(scaler.features.map((f, j) => [f, featureMeans[j]![s]!])),
    z: Object.fromEntries(scaler.features.map((f, j) => [f, z[s]![j]!])),
    distinctive: ranked[s]!.slice(0, DISTINCTIVE_COUNT),
  }));
}
