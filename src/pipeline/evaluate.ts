/**
 * How a scored month turned out: the churn label of DATA-CONTRACT §3 taken from the next month's
 * billing, against the scores written for the month. Pure: the scores and the next month arrive read.
 */
import type { BillingTable } from '../contract.js';
import { STATUS } from '../contract.js';
import { InputError } from '../errors.js';
import { evaluate, type ModelMetrics } from '../model/metrics.js';

/** The columns of scores.csv that evaluation needs, as read. */
export interface ScoredRows {
  readonly ids: readonly string[];
  readonly probability: Float64Array;
  readonly eligible: Uint8Array;
  readonly control: Uint8Array;
  readonly stage: readonly string[];
  /** Exclusion reason per row ('' when eligible). */
  readonly exclusion: readonly string[];
}

export interface GroupOutcome {
  readonly subscribers: number;
  readonly churned: number;
  readonly churnRate: number | null;
}

export interface Evaluation {
  readonly nextMonth: string;
  /** Scored subscribers whose outcome is known (closed accounts left out: they had already gone). */
  readonly evaluated: number;
  readonly metrics: ModelMetrics;
  /** Churn in the warning stage, split into those called (on the list) and the control group held out. */
  readonly warningCalled: GroupOutcome;
  readonly warningControl: GroupOutcome;
  readonly byStage: Record<string, GroupOutcome>;
}

function outcome(rows: number[], y: Uint8Array): GroupOutcome {
  const churned = rows.reduce((s, r) => s + y[r]!, 0);
  return { subscribers: rows.length, churned, churnRate: rows.length > 0 ? churned / rows.length : null };
}

export function evaluateScores(
  scored: ScoredRows,
  next: BillingTable,
  nextMonth: number,
  label: string,
): Evaluation {
  const stayed = new Set<string>();
  const ids = next.cols.subscriber_id;
  for (let i = 0; i < next.n; i++) {
    if (next.cols.month[i] !== nextMonth || next.cols.status[i] === STATUS.closed) continue;
    stayed.add(ids.dictionary[ids.codes[i]!]!);
  }
  if (next.n === 0 || !next.cols.month.includes(nextMonth)) {
    throw new InputError(`the next month's billing has no rows for ${label}`);
  }
  const keep: number[] = [];
  for (let i = 0; i < scored.ids.length; i++) if (scored.exclusion[i] !== 'closed') keep.push(i);
  const y = new Uint8Array(scored.ids.length);
  for (const i of keep) y[i] = stayed.has(scored.ids[i]!) ? 0 : 1;
  const prob = Float64Array.from(keep, (i) => scored.probability[i]!);
  const yKept = Uint8Array.from(keep, (i) => y[i]!);
  const warning = keep.filter((i) => scored.stage[i] === 'warning' && scored.eligible[i] === 1);
  const stages = [...new Set(keep.map((i) => scored.stage[i]!))].sort();
  return {
    nextMonth: label,
    evaluated: keep.length,
    metrics: evaluate(prob, yKept),
    warningCalled: outcome(
      warning.filter((i) => scored.control[i] === 0),
      y,
    ),
    warningControl: outcome(
      warning.filter((i) => scored.control[i] === 1),
      y,
    ),
    byStage: Object.fromEntries(
      stages.map((s) => [
        s,
        outcome(
          keep.filter((i) => scored.stage[i] === s),
          y,
        ),
      ]),
    ),
  };
}
