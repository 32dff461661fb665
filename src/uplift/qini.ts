/**
 * How well an ordering finds the subscribers a call keeps, measured on a randomised campaign: the
 * Qini curve and the uplift (cumulative gain) curve over the called and control subscribers taken in
 * the ordering's order, their areas (AUUC), and the Qini coefficient (the area between the Qini
 * curve and random targeting). Outcomes are churn, so "gain" is churners avoided.
 *
 * After the top k subscribers (of N, called and control together) with n_t called among them of
 * whom y_t churned, and n_c control of whom y_c churned:
 *
 * - Qini(k) = y_c · n_t / n_c − y_t: subscribers the calls kept among the called of the top k
 *   (Radcliffe's Qini curve, with churn as the outcome to avoid); 0 while n_c or n_t is 0;
 * - gain(k) = (y_c / n_c − y_t / n_t) · k: the churn reduction among the top k, times k (the uplift
 *   curve of Rzepakowski and Jaroszewicz); 0 while n_c or n_t is 0.
 *
 * Subscribers with equal scores are taken together (one point for the tie), so the curve does not
 * depend on the order of rows. Areas are over the share of subscribers x = k / N in [0, 1]
 * (trapezoids between tie points), in subscribers kept.
 */

export interface QiniInput {
  /** The ordering's score: higher is called first. NaN sorts last. */
  readonly score: Float64Array;
  /** 1 called (assigned to a call), 0 control. */
  readonly treated: Uint8Array;
  /** 1 churned. */
  readonly churned: Uint8Array;
}

export interface QiniPoint {
  /** Share of the subscribers taken, in [0, 1]. */
  readonly share: number;
  readonly subscribers: number;
  /** Qini(k): subscribers kept among the called of the top k. */
  readonly qini: number;
  /** gain(k): churn reduction among the top k, times k. */
  readonly gain: number;
}

export interface QiniResult {
  readonly subscribers: number;
  readonly called: number;
  readonly control: number;
  /** The whole curve at each tie boundary, starting at (0, 0). */
  readonly curve: readonly QiniPoint[];
  /** Area under the uplift (gain) curve over x in [0, 1]. */
  readonly auuc: number;
  /** Area under the Qini curve over x in [0, 1]. */
  readonly qiniArea: number;
  /** qiniArea − Qini(N) / 2: the area between the Qini curve and random targeting (its chord). */
  readonly qiniCoefficient: number;
  /** Qini(N): subscribers the calls kept over the whole group, as targeting everyone would. */
  readonly total: number;
}

/** Row indices by score, highest first; NaN last; ties in row order (they are taken together anyway). */
function order(score: Float64Array): Int32Array {
  const rows = Int32Array.from({ length: score.length }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(score[i]!) ? Number.NEGATIVE_INFINITY : score[i]!);
  return rows.sort((a, b) => key(b) - key(a) || a - b);
}

const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

export function qiniCurve(input: QiniInput): QiniResult {
  const { score, treated, churned } = input;
  const n = score.length;
  const rows = order(score);
  const curve: QiniPoint[] = [{ share: 0, subscribers: 0, qini: 0, gain: 0 }];
  let nt = 0;
  let nc = 0;
  let yt = 0;
  let yc = 0;
  for (let k = 0; k < n; k++) {
    const i = rows[k]!;
    if (treated[i] === 1) {
      nt++;
      yt += churned[i]!;
    } else {
      nc++;
      yc += churned[i]!;
    }
    const next = rows[k + 1];
    if (next !== undefined && same(score[next]!, score[i]!)) continue;
    const both = nt > 0 && nc > 0;
    curve.push({
      share: (k + 1) / n,
      subscribers: k + 1,
      qini: both ? (yc * nt) / nc - yt : 0,
      gain: both ? (yc / nc - yt / nt) * (k + 1) : 0,
    });
  }
  let auuc = 0;
  let qiniArea = 0;
  for (let j = 1; j < curve.length; j++) {
    const a = curve[j - 1]!;
    const b = curve[j]!;
    const dx = b.share - a.share;
    auuc += (dx * (a.gain + b.gain)) / 2;
    qiniArea += (dx * (a.qini + b.qini)) / 2;
  }
  const total = curve[curve.length - 1]!.qini;
  return {
    subscribers: n,
    called: nt,
    control: nc,
    curve,
    auuc,
    qiniArea,
    qiniCoefficient: qiniArea - total / 2,
    total,
  };
}

/** The curve at about `steps` evenly spaced shares (the last tie point at or before each), for reports. */
export function curvePoints(result: QiniResult, steps = 20): QiniPoint[] {
  const out: QiniPoint[] = [result.curve[0]!];
  let j = 0;
  for (let s = 1; s <= steps; s++) {
    const share = s / steps;
    while (j + 1 < result.curve.length && result.curve[j + 1]!.share <= share + 1e-12) j++;
    if (out[out.length - 1] !== result.curve[j]) out.push(result.curve[j]!);
  }
  return out;
}
