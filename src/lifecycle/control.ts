/**
 * The control group: eligible individual subscribers of the warning stage held out of the warning
 * list at random, so the effect of the calls can be measured against them. Its size is either a
 * fixed share of that band or, with `targets.control_share: "auto"`, the smallest group that
 * detects `evaluation.min_effect` with `evaluation.power` (see sizeControlGroup).
 */
import { formatMonth } from '../calendar.js';
import type { Config } from '../config.js';
import { CUSTOMER } from '../contract.js';
import { comparisonPower } from '../effect/stats.js';
import { type Frame, f64, u8 } from '../frame.js';
import { hashString } from '../random.js';
import { STAGE } from './stage.js';

/** murmur3's finaliser: spreads FNV-1a's weakly mixed high bits, so the draw is uniform. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The control-group draw in [0, 1) for one subscriber and billing month. It depends only on
 * (seed, month, subscriber id), never on row order or on which other subscribers are present, so
 * scoring in shards draws exactly the control group one process would.
 */
export function controlDraw(seed: number, month: number, subscriberId: string): number {
  return mix32(hashString(`${seed}:${formatMonth(month)}:${subscriberId}`)) / 4294967296;
}

/** How the control group of a month was sized. */
export interface ControlSizing {
  /** Share of the band drawn into the control group. */
  readonly share: number;
  /** `fixed`: targets.control_share as configured; `power`: sized by sizeControlGroup. */
  readonly basis: 'fixed' | 'power';
  /** Eligible individual warning subscribers (the band the control group is drawn from). */
  readonly band: number;
  /** Expected control group size (share × band). */
  readonly control: number;
  /** Expected size of the called group it is compared with (capped by the capacity). */
  readonly called: number;
  /** Mean calibrated churn probability of the compared subscribers: the churn expected without a call. */
  readonly expectedChurn: number;
  /** Power to detect evaluation.min_effect at evaluation.alpha with these sizes. */
  readonly power: number;
  /** False when no control group up to evaluation.max_control_share reaches evaluation.power. */
  readonly reachesPower: boolean;
}

export interface BandSizingInput {
  /**
   * Churn probabilities of the band's subscribers, in the order the warning list takes them
   * (highest revenue at risk first), so a capacity compares only the top of the band.
   */
  readonly probability: Float64Array;
  /** Most subscribers called; null = the whole band less the control group. */
  readonly capacity: number | null;
}

/**
 * The expected sizes compared for a control group of `control` out of `band`: with a capacity K
 * below the rest of the band, only the top K are called and only the control subscribers who would
 * have ranked among them (a share K / (band − control) of the control group) are compared.
 */
function comparedSizes(band: number, control: number, capacity: number | null) {
  const rest = band - control;
  const called = capacity === null ? rest : Math.min(capacity, rest);
  const compared = rest > 0 ? (control * called) / rest : 0;
  return { called, compared };
}

/** What sizing by power aims at: config evaluation.* (pipeline/settings.ts). */
export interface PowerSettings {
  /** The smallest churn reduction worth detecting, as a share. */
  readonly minEffect: Config['evaluation']['min_effect'];
  /** Two-sided significance level. */
  readonly alpha: Config['evaluation']['alpha'];
  /** Probability of detecting minEffect when it is there. */
  readonly power: Config['evaluation']['power'];
  /** The largest share of the band held out. */
  readonly maxControlShare: Config['evaluation']['max_control_share'];
}

/** How the control group is sized: config targets.control_share and what sizing by power aims at. */
export interface ControlSettings extends PowerSettings {
  /** Share of the warning band held out, or "auto": sized by power. */
  readonly controlShare: Config['targets']['control_share'];
}

/**
 * The smallest control group that detects the target effect with the target power, searched over
 * every whole size up to maxShare of the band. The churn expected without a call is the mean
 * probability of the subscribers compared (the top of the band when a capacity applies). When no
 * size reaches the power, the largest allowed is taken, which has the most power.
 */
export function sizeControlGroup(input: BandSizingInput, settings: PowerSettings): ControlSizing {
  const { minEffect, alpha, power: target, maxControlShare: maxShare } = settings;
  const p = input.probability;
  const band = p.length;
  const prefix = new Float64Array(band + 1);
  for (let i = 0; i < band; i++) prefix[i + 1] = prefix[i]! + p[i]!;
  const expected = (m: number) => {
    const k = Math.min(band, Math.max(1, Math.round(m)));
    return band === 0 ? 0 : prefix[k]! / k;
  };
  const most = Math.floor(maxShare * band);
  const at = (control: number): ControlSizing => {
    const { called, compared } = comparedSizes(band, control, input.capacity);
    const churn = expected(called + compared);
    return {
      share: band > 0 ? control / band : 0,
      basis: 'power',
      band,
      control,
      called,
      expectedChurn: churn,
      power: comparisonPower(called, compared, churn, minEffect, alpha),
      reachesPower: false,
    };
  };
  for (let c = 1; c <= most; c++) {
    const s = at(c);
    if (s.power >= target) return { ...s, reachesPower: true };
  }
  return at(most);
}

/** The sizing of a fixed share, for the record: what power it has under the same assumptions. */
function fixedSizing(share: number, input: BandSizingInput, settings: PowerSettings): ControlSizing {
  const { minEffect: effect, alpha, power: target } = settings;
  const band = input.probability.length;
  const control = share * band;
  const { called, compared } = comparedSizes(band, control, input.capacity);
  const k = Math.min(band, Math.max(1, Math.round(called + compared)));
  let sum = 0;
  for (let i = 0; i < k && i < band; i++) sum += input.probability[i]!;
  const churn = band === 0 ? 0 : sum / k;
  const power = comparisonPower(called, compared, churn, effect, alpha);
  return {
    share,
    basis: 'fixed',
    band,
    control,
    called,
    expectedChurn: churn,
    power,
    reachesPower: power >= target,
  };
}

/** The control share of a month: targets.control_share, or sized by power when it is "auto". */
export function resolveControlShare(input: BandSizingInput, settings: ControlSettings): ControlSizing {
  const share = settings.controlShare;
  return share === 'auto' ? sizeControlGroup(input, settings) : fixedSizing(share, input, settings);
}

export interface ControlBand {
  readonly stage: Uint8Array;
  readonly eligible: Uint8Array;
  readonly customer: Uint8Array;
  readonly probability: Float64Array;
  readonly revenue: Float64Array;
}

/**
 * Rows of the band the control group is drawn from (eligible individual subscribers in the warning
 * stage; group customers go to the account team's list), highest revenue at risk first as the
 * warning list takes them (a missing revenue last, ties by row).
 */
export function controlBand(c: ControlBand): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < c.stage.length; i++) {
    if (c.stage[i] === STAGE.warning && c.eligible[i] !== 0 && c.customer[i] !== CUSTOMER.group) rows.push(i);
  }
  const key = (i: number) => (Number.isNaN(c.revenue[i]!) ? Number.NEGATIVE_INFINITY : c.revenue[i]!);
  return Int32Array.from(rows.sort((a, b) => key(b) - key(a) || a - b));
}

/** The control sizing of a staged month (assignLifecycle's output; see resolveControlShare), for the run's summary. */
export function controlSizingOf(
  staged: Frame,
  settings: ControlSettings,
  capacity: number | null,
): ControlSizing {
  const c: ControlBand = {
    stage: u8(staged, 'stage'),
    eligible: u8(staged, 'eligible'),
    customer: u8(staged, 'customer_type'),
    probability: f64(staged, 'churn_probability'),
    revenue: f64(staged, 'revenue_at_risk'),
  };
  const band = controlBand(c);
  return resolveControlShare(
    { probability: Float64Array.from(band, (i) => c.probability[i]!), capacity },
    settings,
  );
}
