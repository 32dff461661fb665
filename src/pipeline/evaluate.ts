/**
 * How a scored month turned out: the churn label of DATA-CONTRACT §3 taken from the next month's
 * billing, against the scores and the warning list written for the month, and, with the call
 * centre's work-order outcomes, against what the calls did. Pure: every input arrives read.
 */
import { formatMonth } from '../calendar.js';
import type { BillingTable, OutcomesTable, SetAsideRows } from '../contract.js';
import { TIERS } from '../contract.js';
import {
  ARM,
  type CampaignEvaluation,
  type CampaignRows,
  type Capture,
  criticalValue,
  type EffectSettings,
  effectsBy,
  estimateEffect,
  type GroupOutcome,
  joinWorkOrders,
  type ListQini,
  type ScoredMonthEvaluation,
  wilson,
} from '../effect/index.js';
import { InputError } from '../errors.js';
import { churnedNext, setAsideLookup } from '../features/index.js';
import { takeColumn } from '../frame.js';
import { expectedCalibrationError } from '../model/calibration-check.js';
import { modelMetrics } from '../model/metrics.js';
import { curvePoints, qiniCurve } from '../uplift/index.js';

/** The columns of scores.csv that evaluation needs, as read. */
export interface ScoredRows {
  readonly ids: readonly string[];
  readonly probability: Float64Array;
  readonly eligible: Uint8Array;
  readonly control: Uint8Array;
  readonly stage: readonly string[];
  /** Exclusion reason per row ('' when eligible). */
  readonly exclusion: readonly string[];
  readonly tier: readonly string[];
  readonly segment: readonly string[];
  /** Fired triggers joined with ';' ('' when none). */
  readonly triggers: readonly string[];
  /** revenue_at_risk = churn probability × ARPU × horizon. */
  readonly revenue: Float64Array;
  /**
   * expected_saving, when the warning list was ordered by it (`retain score --target-by uplift`):
   * the list's order and cut-off, and who would have been called, follow it instead of revenue.
   */
  readonly saving?: Float64Array | null;
  /** Owning unit per row ('' when none); absent when the scores have no unit column. */
  readonly unit?: readonly string[];
}

/** Who was assigned to be called: the warning list as written. */
export interface WarningList {
  readonly ids: ReadonlySet<string>;
  /** True when the capacity cut the list (summary.json `capacity.cut` > 0). */
  readonly capped: boolean;
}

export interface EvaluationInput {
  readonly scored: ScoredRows;
  readonly warningList: WarningList;
  readonly next: BillingTable;
  /** Month index of the scored month + 1. */
  readonly nextMonth: number;
  /** Names the next month's billing in messages: its month (YYYY-MM). */
  readonly label: string;
  /** The next month's billing file, named in messages about it. */
  readonly nextFile?: string;
  /**
   * Least share of the scored subscribers (closed ones aside) the next month's billing must hold
   * (checks.min_month_share): each one missing counts as churned, so a partial export or ids spelled
   * another way (leading zeros lost) would pass for a month of churn.
   */
  readonly minPresentShare: number;
  readonly outcomes: OutcomesTable | null;
  readonly settings: EffectSettings;
  /** The next month's billing rows set aside as bad: a subscriber absent there for that is left out. */
  readonly setAside?: SetAsideRows;
}

/** Each subscriber's status in the next month's billing (absent: no row). */
function nextStatuses(
  next: BillingTable,
  nextMonth: number,
  label: string,
  file: string,
): Map<string, number> {
  if (next.n === 0 || !next.cols.month.includes(nextMonth)) {
    const months = [...new Set(next.cols.month)].sort((a, b) => a - b).map(formatMonth);
    const has = months.length === 0 ? 'it has no billing rows' : `it has rows for ${months.join(', ')}`;
    throw new InputError(`${file}the next month's billing has no rows for ${label} (${has})`);
  }
  const statuses = new Map<string, number>();
  const ids = next.cols.subscriber_id;
  for (let i = 0; i < next.n; i++) {
    if (next.cols.month[i] !== nextMonth) continue;
    statuses.set(ids.dictionary[ids.codes[i]!]!, next.cols.status[i]!);
  }
  return statuses;
}

/** Refuses a next month's billing that holds too few of the scored subscribers (see minPresentShare). */
function checkPresent(
  ids: readonly string[],
  kept: Uint8Array,
  statuses: ReadonlyMap<string, number>,
  input: EvaluationInput,
  file: string,
): void {
  let scored = 0;
  let present = 0;
  for (let i = 0; i < ids.length; i++) {
    if (kept[i] === 0) continue;
    scored++;
    if (statuses.has(ids[i]!)) present++;
  }
  if (scored === 0 || present >= input.minPresentShare * scored) return;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  throw new InputError(
    `${file}only ${present} of the ${scored} subscribers scored for ${formatMonth(input.nextMonth - 1)} ` +
      `(closed ones aside) have a row for ${input.label} (${pct(present / scored)}; limit ` +
      `checks.min_month_share ${pct(input.minPresentShare)}): every one missing would count as churned. ` +
      'Give the whole month, with subscriber ids spelled as in the scored month',
  );
}

/**
 * Campaign arm of each scored row: on the list, in the comparable control group, or neither. The
 * comparable control subscribers are those the list would have called: at or above the lowest
 * listed value of the list's order when the capacity cut it, and, under uplift targeting, with an
 * expected saving that is not negative.
 */
export function campaignArms(scored: ScoredRows, list: WarningList, kept: Uint8Array) {
  const n = scored.ids.length;
  const key = scored.saving ?? scored.revenue;
  const arm = new Uint8Array(n);
  let cutoff = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (kept[i] && list.ids.has(scored.ids[i]!)) {
      arm[i] = ARM.called;
      const r = key[i]!;
      if (r < cutoff) cutoff = r;
    }
  }
  const capped = list.capped && Number.isFinite(cutoff) ? cutoff : null;
  const floor = scored.saving ? Math.max(0, capped ?? 0) : capped;
  let below = 0;
  for (let i = 0; i < n; i++) {
    if (!kept[i] || scored.control[i] !== 1 || scored.eligible[i] !== 1 || arm[i] !== ARM.none) continue;
    if (floor !== null && !(key[i]! >= floor)) below++;
    else arm[i] = ARM.control;
  }
  return { arm, revenueCutoff: capped, below };
}

/** The Qini curve and AUUC of the list's order over the called and the comparable control group. */
function listQini(scored: ScoredRows, arm: Uint8Array, churned: Uint8Array): ListQini | null {
  const rows: number[] = [];
  let control = 0;
  for (let i = 0; i < arm.length; i++) {
    if (arm[i] === ARM.none) continue;
    rows.push(i);
    if (arm[i] === ARM.control) control++;
  }
  if (control === 0 || control === rows.length) return null;
  const key = scored.saving ?? scored.revenue;
  const q = qiniCurve({
    score: takeColumn(key, rows),
    treated: Uint8Array.from(rows, (i) => (arm[i] === ARM.called ? 1 : 0)),
    churned: takeColumn(churned, rows),
  });
  return {
    orderedBy: scored.saving ? 'expected_saving' : 'revenue_at_risk',
    subscribers: q.subscribers,
    called: q.called,
    control: q.control,
    auuc: q.auuc,
    qiniCoefficient: q.qiniCoefficient,
    kept: q.total,
    curve: curvePoints(q, QINI_POINTS),
  };
}

/** Points of the Qini curve reported: every 5% of the compared subscribers. */
const QINI_POINTS = 20;

export function evaluateScoredMonth(input: EvaluationInput): ScoredMonthEvaluation {
  const { scored, settings } = input;
  const file = input.nextFile === undefined ? '' : `${input.nextFile}: `;
  const statuses = nextStatuses(input.next, input.nextMonth, input.label, file);
  const n = scored.ids.length;
  const isSetAside = setAsideLookup(input.setAside);
  let setAside = 0;
  const kept = Uint8Array.from(scored.exclusion, (e, i) => {
    if (e === 'closed') return 0;
    const id = scored.ids[i]!;
    if (statuses.has(id) || !isSetAside(input.nextMonth, id)) return 1;
    setAside++;
    return 0;
  });
  checkPresent(scored.ids, kept, statuses, input, file);
  const churned = Uint8Array.from(scored.ids, (id, i) => churnedNext(kept[i] === 0, statuses.get(id)) ?? 0);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (kept[i]) keep.push(i);

  const { arm, revenueCutoff, below } = campaignArms(scored, input.warningList, kept);
  const joined =
    input.outcomes === null ? null : joinWorkOrders(input.outcomes, input.nextMonth - 1, scored.ids, arm);
  const value = Float64Array.from(scored.revenue, (r, i) => {
    const p = scored.probability[i]!;
    return p >= 1e-4 ? r / p : Number.NaN;
  });
  const rows: CampaignRows = { arm, churned, value, reached: joined?.reached ?? null };
  const split = (text: readonly string[]) => (i: number) => [text[i] || '(none)'];
  const campaign: CampaignEvaluation = {
    revenueCutoff,
    controlBelowCutoff: below,
    overall: estimateEffect(rows, keep, settings),
    byTier: effectsBy(rows, split(scored.tier), settings, { order: TIERS }),
    bySegment: effectsBy(rows, split(scored.segment), settings),
    byTrigger: effectsBy(
      rows,
      (i) => (scored.triggers[i] ? scored.triggers[i]!.split(';') : ['(none)']),
      settings,
    ),
    byAction:
      joined === null ? null : effectsBy(rows, split(joined.action), settings, { sharedControl: true }),
    byUnit: scored.unit ? effectsBy(rows, split(scored.unit), settings) : null,
    workOrders: joined?.summary ?? null,
    qini: listQini(scored, arm, churned),
  };

  const stages = [...new Set(keep.map((i) => scored.stage[i]!))].sort();
  const probability = takeColumn(scored.probability, keep);
  const churnedKept = takeColumn(churned, keep);
  return {
    nextMonth: input.label,
    evaluated: keep.length,
    setAside,
    metrics: modelMetrics(probability, churnedKept),
    calibrationError: expectedCalibrationError(probability, churnedKept),
    capture: capture(scored, keep, churned, arm, settings),
    campaign,
    byStage: Object.fromEntries(
      stages.map((s) => [
        s,
        outcome(
          keep.filter((i) => scored.stage[i] === s),
          churned,
        ),
      ]),
    ),
    settings,
  };
}

function outcome(rows: number[], y: Uint8Array): GroupOutcome {
  const churned = rows.reduce((s, r) => s + y[r]!, 0);
  return { subscribers: rows.length, churned, churnRate: rows.length > 0 ? churned / rows.length : null };
}

/** The share of next month's churners the warning stage flagged, and the list held. */
function capture(
  scored: ScoredRows,
  keep: readonly number[],
  churned: Uint8Array,
  arm: Uint8Array,
  s: EffectSettings,
): Capture {
  let churners = 0;
  let warning = 0;
  let listed = 0;
  for (const i of keep) {
    if (churned[i] !== 1) continue;
    churners++;
    if (scored.stage[i] === 'warning') warning++;
    if (arm[i] === ARM.called) listed++;
  }
  return {
    churners,
    inWarningStage: warning,
    onList: listed,
    rate: churners > 0 ? warning / churners : null,
    interval: churners > 0 ? wilson(warning, churners, criticalValue(s.alpha)) : null,
    listedRate: churners > 0 ? listed / churners : null,
  };
}
