/** The human summary `retain evaluate` prints: model fit, capture, and the campaign's measured effect. */
import type {
  EffectEstimate,
  Estimate,
  GroupEffect,
  Interval,
  ListQini,
  ScoredMonthEvaluation,
} from '../effect/index.js';
import { count, pct } from './format.js';

const signed = (v: number, digits: number): string =>
  `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits)}`;
const points = (v: number): string => signed(v * 100, 2);
const amount = (v: number): string => `${v < 0 ? '−' : ''}${Math.abs(Math.round(v)).toLocaleString('en-US')}`;

function range(i: Interval | null, f: (v: number) => string): string {
  return i === null ? 'n/a' : `${f(i.low)} to ${f(i.high)}`;
}

function estimate(e: Estimate, f: (v: number) => string): string {
  return `${f(e.estimate)} (${f(e.low)} to ${f(e.high)})`;
}

/** The comparison of the called group with its control group, several lines. */
export function formatEffect(e: EffectEstimate, confidence: string): string[] {
  const out: string[] = [];
  const arm = (name: string, a: EffectEstimate['called']) =>
    `  ${name} ${count(a.subscribers).padStart(9)}  churn ${pct(a.churnRate).padStart(7)} (${confidence} CI ${range(a.churnInterval, (v) => pct(v, 1))})`;
  out.push(arm('called ', e.called), arm('control', e.control));
  if (e.difference === null || e.interval === null) {
    out.push('  no comparison: one of the groups is empty');
  } else {
    out.push(
      `  difference ${points(e.difference)} points (${confidence} CI ${range(e.interval, points)})` +
        (e.interval.high < 0
          ? ': the calls lowered churn'
          : e.interval.low > 0
            ? ': churn was HIGHER among those called'
            : ': not distinguishable from no effect'),
    );
    if (e.subscribersKept) out.push(`  subscribers kept ${estimate(e.subscribersKept, (v) => signed(v, 1))}`);
    if (e.revenueKept) out.push(`  revenue kept over the horizon ${estimate(e.revenueKept, amount)}`);
  }
  const p = e.power;
  if (!p.detectable) {
    const need =
      p.controlNeeded !== null
        ? `a control group of ${count(p.controlNeeded)} beside these ${count(e.called.subscribers)} called would`
        : p.balancedNeeded !== null
          ? `no control group is enough beside only ${count(e.called.subscribers)} called; ${count(p.balancedNeeded)} in each group would`
          : 'no group size would';
    out.push(
      `  TOO SMALL TO TELL: with ${count(e.control.subscribers)} in the control group a ${(p.minEffect * 100).toFixed(1)}-point ` +
        `effect is detected with ${pct(p.power, 0)} power; ${need}` +
        (p.minimumDetectableEffect === null
          ? ''
          : `; these groups detect only effects of ${(p.minimumDetectableEffect * 100).toFixed(1)} points or more`),
    );
  } else {
    out.push(
      `  power ${pct(p.power, 0)} to detect a ${(p.minEffect * 100).toFixed(1)}-point effect` +
        (p.minimumDetectableEffect === null
          ? ''
          : `; smallest detectable ${(p.minimumDetectableEffect * 100).toFixed(2)} points`),
    );
  }
  const r = e.reached;
  if (r) {
    out.push(
      `  reached ${pct(r.contactRate, 1)} of the called` +
        (r.controlContactRate > 0 ? ` (and ${pct(r.controlContactRate, 1)} of the control group)` : '') +
        (r.effect === null
          ? '; no effect on those reached can be estimated'
          : `; effect on those reached ${points(r.effect)} points (${confidence} CI ${
              r.interval === null ? 'unbounded: the contact rate is too uncertain' : range(r.interval, points)
            })`),
    );
  }
  return out;
}

function groupTable(title: string, groups: readonly GroupEffect[]): string[] {
  if (groups.length === 0) return [];
  const width = Math.max(12, ...groups.map((g) => g.group.length));
  const head = `${title.padEnd(width)}  called   churn  control   churn  difference (CI) points`;
  const rows = groups.map((g) => {
    const diff =
      g.difference === null || g.interval === null
        ? 'n/a'
        : `${points(g.difference)} (${range(g.interval, points)})${g.power.detectable ? '' : '  too small'}`;
    return (
      `${g.group.padEnd(width)}  ${count(g.called.subscribers).padStart(6)} ${pct(g.called.churnRate, 1).padStart(7)}` +
      `  ${count(g.control.subscribers).padStart(7)} ${pct(g.control.churnRate, 1).padStart(7)}  ${diff}`
    );
  });
  return ['', head, ...rows];
}

/** The Qini curve of the list's order: its areas and the curve at every 10% of the compared subscribers. */
export function formatQini(q: ListQini | null): string[] {
  if (q === null) return ['  Qini curve: not measured (no comparable control group)'];
  const at = q.curve.filter((p) => Math.abs(p.share * 10 - Math.round(p.share * 10)) < 1e-9 && p.share > 0);
  return [
    `  Qini curve of the list's order (${q.orderedBy}; ${count(q.called)} called, ${count(q.control)} control): ` +
      `AUUC ${signed(q.auuc, 1)}, Qini coefficient ${signed(q.qiniCoefficient, 1)} subscribers kept` +
      " (a random order's is 0; no interval: with a small control group read it with the effect's above)",
    `  kept by the top share: ${at.map((p) => `${Math.round(p.share * 100)}% ${signed(p.qini, 1)}`).join('  ')}`,
  ];
}

/** Which control subscribers were left out of the comparison, as they would not have been called. */
function leftOut(k: ScoredMonthEvaluation['campaign']): string {
  const uplift = k.qini?.orderedBy === 'expected_saving';
  if (uplift && k.controlBelowCutoff > 0)
    return ` (uplift targeting: control subscribers the list would not have called, ${k.controlBelowCutoff}, left out)`;
  if (k.revenueCutoff === null) return '';
  return ` (capacity: control subscribers below the list's lowest ${uplift ? 'expected saving' : 'revenue at risk'}, ${k.controlBelowCutoff}, left out)`;
}

export function formatEvaluation(e: ScoredMonthEvaluation, scoredMonth: string): string {
  const m = e.metrics;
  const confidence = `${Math.round((1 - e.settings.alpha) * 100)}%`;
  const c = e.capture;
  const k = e.campaign;
  const lines = [
    `${scoredMonth} scored, outcome from ${e.nextMonth}: ${e.evaluated} subscribers, ${m.positives} left (${pct(m.baseRate)})` +
      (e.setAside ? `; ${e.setAside} left out, their billing row of ${e.nextMonth} set aside as bad` : ''),
    `AUC ${m.auc.toFixed(4)}  PR-AUC ${m.prAuc.toFixed(4)}  top-decile lift ${m.topDecileLift.toFixed(2)}  Brier ${m.brier.toFixed(4)}  ECE ${e.calibrationError.toFixed(4)}`,
    `capture: ${c.inWarningStage} of ${c.churners} churners (${pct(c.rate, 1)}, ${confidence} CI ${range(c.interval, (v) => pct(v, 1))}) ` +
      `were in the warning stage; ${c.onList} (${pct(c.listedRate, 1)}) on the call list`,
    '',
    `campaign effect, intent to treat: churn on the warning list against its control group${leftOut(k)}`,
    ...formatEffect(k.overall, confidence),
    ...formatQini(k.qini ?? null),
  ];
  const w = k.workOrders;
  if (w) {
    const l = w.byList.warning;
    lines.push(
      `  work orders for the warning list: ${l.workOrders}, reached ${l.contacted}, offer accepted ${l.accepted}` +
        (w.calledWithout > 0
          ? `; ${w.calledWithout} listed without a work order (counted as not reached)`
          : ''),
    );
  }
  lines.push(
    ...groupTable('by tier', k.byTier),
    ...groupTable('by segment', k.bySegment),
    ...groupTable('by trigger', k.byTrigger),
    ...groupTable('by unit', k.byUnit ?? []),
  );
  if (k.byAction) {
    lines.push(...groupTable('by action', k.byAction));
    lines.push(
      '(each action against the whole control group: causal only if the actions were allotted at random)',
    );
  }
  return `${lines.join('\n')}\n`;
}
