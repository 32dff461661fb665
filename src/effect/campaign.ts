/**
 * The measured effect of a campaign: churn among the subscribers assigned to be called against the
 * randomly held-out control group (intent to treat), what that kept in subscribers and revenue, the
 * effect on those the calls actually reached, and whether the groups were large enough to tell.
 * Pure: the rows arrive joined (see pipeline/evaluate.ts).
 */
import {
  balancedGroupNeeded,
  comparisonPower,
  controlNeeded,
  criticalValue,
  fieller,
  type Interval,
  minimumDetectableEffect,
  newcombe,
  wilson,
} from './stats.js';

/** Which arm of the comparison a subscriber is in. */
export const ARM = { none: 0, called: 1, control: 2 } as const;

export interface CampaignRows {
  /** ARM per row. */
  readonly arm: Uint8Array;
  /** 1 when the subscriber had churned at the next month. */
  readonly churned: Uint8Array;
  /** What a subscriber who stays brings over the revenue horizon (ARPU × horizon); NaN when unknown. */
  readonly value: Float64Array;
  /** 1 when a call reached the subscriber (work-order outcomes); null when no outcomes were given. */
  readonly reached: Uint8Array | null;
}

export interface EffectSettings {
  /** Two-sided level: intervals are at confidence 1 − alpha. */
  readonly alpha: number;
  /** The churn reduction the groups should be able to detect, as a share. */
  readonly minEffect: number;
  readonly power: number;
}

export interface ArmOutcome {
  readonly subscribers: number;
  readonly churned: number;
  readonly churnRate: number | null;
  /** Wilson interval of the churn rate. */
  readonly churnInterval: Interval | null;
}

export interface Estimate {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface PowerCheck {
  /** evaluation.min_effect: the churn reduction to detect. */
  readonly minEffect: number;
  /** Power to detect it with these group sizes, the control group churning min_effect above the called. */
  readonly power: number;
  /** True when that power reaches evaluation.power. */
  readonly detectable: boolean;
  /** The control group that would detect it beside this called group; null when none would. */
  readonly controlNeeded: number | null;
  /** Size per group when both are equal; for when no control group alone is enough. */
  readonly balancedNeeded: number | null;
  /** The smallest churn reduction these groups detect with evaluation.power; null when none. */
  readonly minimumDetectableEffect: number | null;
}

export interface ReachedEffect {
  /** Share of the called group the calls reached, and of the control group (calls made by mistake). */
  readonly contactRate: number;
  readonly controlContactRate: number;
  /**
   * The complier average causal effect: the churn difference among the subscribers a call reaches,
   * intent to treat / (contact rate called − contact rate control). Null when no call reached anyone.
   */
  readonly effect: number | null;
  /** Fieller's interval; null when the contact-rate difference is not clearly above 0 (unbounded). */
  readonly interval: Interval | null;
}

export interface EffectEstimate {
  readonly called: ArmOutcome;
  readonly control: ArmOutcome;
  /** Called churn rate − control churn rate: negative when the calls kept subscribers. */
  readonly difference: number | null;
  /** Newcombe's hybrid score interval of the difference. */
  readonly interval: Interval | null;
  /** Subscribers of the called group kept by the calls: −difference × called. */
  readonly subscribersKept: Estimate | null;
  /** Their revenue over the horizon, at the called group's mean ARPU × horizon. */
  readonly revenueKept: Estimate | null;
  readonly power: PowerCheck;
  /** With work-order outcomes: the effect on those the calls reached. */
  readonly reached: ReachedEffect | null;
}

function arm(subscribers: number, churned: number, z: number): ArmOutcome {
  return {
    subscribers,
    churned,
    churnRate: subscribers > 0 ? churned / subscribers : null,
    churnInterval: subscribers > 0 ? wilson(churned, subscribers, z) : null,
  };
}

/** Sums over one arm: size, churners, reached, reached churners, value. */
interface ArmSums {
  n: number;
  y: number;
  r: number;
  yr: number;
  valueSum: number;
  valued: number;
}

const emptySums = (): ArmSums => ({ n: 0, y: 0, r: 0, yr: 0, valueSum: 0, valued: 0 });

/** The effect among `members` (row indices); rows outside both arms are skipped. */
export function estimateEffect(
  rows: CampaignRows,
  members: ArrayLike<number>,
  s: EffectSettings,
): EffectEstimate {
  const z = criticalValue(s.alpha);
  const t = emptySums();
  const c = emptySums();
  for (let k = 0; k < members.length; k++) {
    const i = members[k]!;
    const a = rows.arm[i];
    if (a !== ARM.called && a !== ARM.control) continue;
    const g = a === ARM.called ? t : c;
    const y = rows.churned[i]!;
    const r = rows.reached ? rows.reached[i]! : 0;
    g.n++;
    g.y += y;
    g.r += r;
    g.yr += y * r;
    const v = rows.value[i]!;
    if (Number.isFinite(v)) {
      g.valueSum += v;
      g.valued++;
    }
  }
  const diff = newcombe(t.y, t.n, c.y, c.n, z);
  const kept =
    diff === null ? null : { estimate: -diff.difference * t.n, low: -diff.high * t.n, high: -diff.low * t.n };
  const meanValue = t.valued > 0 ? t.valueSum / t.valued : Number.NaN;
  const revenue =
    kept === null || !Number.isFinite(meanValue)
      ? null
      : { estimate: kept.estimate * meanValue, low: kept.low * meanValue, high: kept.high * meanValue };
  return {
    called: arm(t.n, t.y, z),
    control: arm(c.n, c.y, z),
    difference: diff?.difference ?? null,
    interval: diff === null ? null : { low: diff.low, high: diff.high },
    subscribersKept: kept,
    revenueKept: revenue,
    power: powerCheck(t, c, s),
    reached: rows.reached === null || t.n === 0 || c.n === 0 ? null : reachedEffect(t, c, z),
  };
}

function powerCheck(t: ArmSums, c: ArmSums, s: EffectSettings): PowerCheck {
  const target = { effect: s.minEffect, alpha: s.alpha, power: s.power };
  // The control group's churn were the calls to work as the config names: the called group's plus the effect.
  const calledChurn = t.n > 0 ? t.y / t.n : 0;
  const controlChurn = calledChurn + s.minEffect;
  const power = comparisonPower(t.n, c.n, controlChurn, s.minEffect, s.alpha);
  return {
    minEffect: s.minEffect,
    power,
    detectable: power >= s.power,
    controlNeeded: t.n > 0 ? controlNeeded(t.n, controlChurn, target) : null,
    balancedNeeded: balancedGroupNeeded(controlChurn, target),
    minimumDetectableEffect:
      t.n > 0 && c.n > 0
        ? minimumDetectableEffect(t.n, c.n, calledChurn, { alpha: s.alpha, power: s.power })
        : null,
  };
}

/**
 * The complier average causal effect (the Wald / instrumental-variable estimator with the random
 * assignment as instrument) and Fieller's interval for the ratio. Fieller rather than the delta
 * method: the ratio's distribution is skewed when the contact rate is uncertain, and Fieller's
 * set is exact for a bivariate normal numerator and denominator, accounts for their covariance
 * (reached subscribers are the ones whose churn the call can change), and says "unbounded" instead
 * of giving a false interval when the contact rate cannot be told from 0. With contact rates far
 * from 0, as a call centre's are, it agrees with the delta method.
 */
function reachedEffect(t: ArmSums, c: ArmSums, z: number): ReachedEffect {
  const pt = t.y / t.n;
  const pc = c.y / c.n;
  const rt = t.r / t.n;
  const rc = c.r / c.n;
  const a = pt - pc;
  const b = rt - rc;
  const va = (pt * (1 - pt)) / t.n + (pc * (1 - pc)) / c.n;
  const vb = (rt * (1 - rt)) / t.n + (rc * (1 - rc)) / c.n;
  const cov = (t.yr / t.n - pt * rt) / t.n + (c.yr / c.n - pc * rc) / c.n;
  return {
    contactRate: rt,
    controlContactRate: rc,
    effect: b > 0 ? a / b : null,
    interval: b > 0 ? fieller(a, b, va, vb, cov, z) : null,
  };
}

/** One breakdown: the effect within each group of a dimension (a row may be in several groups). */
export interface GroupEffect extends EffectEstimate {
  readonly group: string;
}

/**
 * Effects by group. `groupsOf(i)` names the groups of called row i; control rows join their own
 * groups, or every group when `sharedControl` (a dimension only the called have, such as the
 * action taken: each action's called subscribers are then compared with the whole control group).
 * Groups come in `order` (those it does not name after, alphabetically).
 */
export function effectsBy(
  rows: CampaignRows,
  groupsOf: (i: number) => readonly string[],
  s: EffectSettings,
  options: { sharedControl?: boolean; order?: readonly string[] } = {},
): GroupEffect[] {
  const sharedControl = options.sharedControl ?? false;
  const members = new Map<string, number[]>();
  const controls: number[] = [];
  for (let i = 0; i < rows.arm.length; i++) {
    const a = rows.arm[i];
    if (a === ARM.none) continue;
    if (a === ARM.control && sharedControl) {
      controls.push(i);
      continue;
    }
    for (const g of groupsOf(i)) {
      let m = members.get(g);
      if (m === undefined) {
        m = [];
        members.set(g, m);
      }
      m.push(i);
    }
  }
  const rank = (g: string) => {
    const k = options.order?.indexOf(g) ?? -1;
    return k < 0 ? Number.MAX_SAFE_INTEGER : k;
  };
  return [...members.keys()]
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((group) => ({ group, ...estimateEffect(rows, members.get(group)!.concat(controls), s) }));
}
