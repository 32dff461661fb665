/**
 * A report input built from generated and shipped data: the summary of a generated scored month,
 * the shipped default model, an effect estimated on generated arms and a drift block of the shape
 * scoring records. Shared by the report's unit tests.
 */
import { readFileSync } from 'node:fs';
import {
  ARM,
  assignLifecycle,
  buildTargetLists,
  DEFAULT_CONFIG,
  DEFAULT_MODEL_PATH,
  type DriftMeasured,
  type EffectEstimate,
  estimateEffect,
  lifecycleSettingsOf,
  listSettingsOf,
  lockRuleOf,
  modelMetrics,
  parseDate,
  parseMonth,
  type ReportInput,
  retentionKpis,
  type ScoredMonthEvaluation,
  type Summary,
  summarize,
} from '../../src/index.js';
import { expectedCalibrationError } from '../../src/model/calibration-check.js';
import { population, scoredFrame } from '../lifecycle/scored-frame.js';
import { billingTable } from './billing-table.js';

export const MODEL = JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')) as NonNullable<
  ReportInput['model']
>;

/** A generated month's summary: 3000 subscribers, the default model's segment names. */
export function generatedSummary(month = '2024-03', extra: Record<string, unknown> = {}): Summary {
  const rows = population(3000, 5).map((r) => ({ ...r, month }));
  const staged = assignLifecycle(scoredFrame(rows), lifecycleSettingsOf(DEFAULT_CONFIG), { seed: 2 });
  const targets = buildTargetLists(staged, listSettingsOf(DEFAULT_CONFIG), {
    capacity: null,
    listDate: parseDate('2024-04-01'),
  });
  const m = parseMonth(month);
  const prev = `${month.slice(0, 4)}-${String(Number(month.slice(5)) - 1).padStart(2, '0')}`;
  const kpis = retentionKpis(
    billingTable([
      { id: 'a', month: prev, billed: 100 },
      { id: 'a', month, billed: 90 },
      { id: 'b', month: prev, billed: 80 },
    ]),
    m,
    lockRuleOf(DEFAULT_CONFIG),
  );
  return summarize({
    staged,
    targets,
    kpis,
    segmentNames: (MODEL.segments as { profiles: { name: string }[] }).profiles.map((p) => p.name),
    modelId: MODEL.id,
    inputs: [],
    extra,
  });
}

/** Called and control arms drawn with a fixed generator: churn 10% called, 14% control. */
export function generatedEffect(): EffectEstimate {
  const n = 4000;
  const arm = new Uint8Array(n);
  const churned = new Uint8Array(n);
  let state = 7;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    arm[i] = i < 3000 ? ARM.called : ARM.control;
    churned[i] = next() < (arm[i] === ARM.called ? 0.1 : 0.14) ? 1 : 0;
  }
  return estimateEffect(
    { arm, churned, value: new Float64Array(n).fill(80), reached: null },
    Array.from({ length: n }, (_, i) => i),
    { alpha: 0.05, minEffect: 0.02, power: 0.8 },
  );
}

/** Scores and outcomes from a fixed generator: the riskier the score, the likelier the churn. */
export function generatedOutcome(n = 5000): { scores: Float64Array; y: Uint8Array } {
  const scores = new Float64Array(n);
  const y = new Uint8Array(n);
  let state = 11;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    scores[i] = next() ** 3 * 0.6;
    y[i] = next() < scores[i]! ? 1 : 0;
  }
  return { scores, y };
}

/** An evaluation of the month as `retain evaluate --out` writes it, from generated outcomes. */
export function generatedEvaluation(nextMonth = '2024-04'): ScoredMonthEvaluation {
  const { scores, y } = generatedOutcome();
  const overall = generatedEffect();
  return {
    nextMonth,
    evaluated: scores.length,
    metrics: modelMetrics(scores, y),
    calibrationError: expectedCalibrationError(scores, y),
    capture: { churners: 0, inWarningStage: 0, onList: 0, rate: 0.42, interval: null, listedRate: 0.4 },
    campaign: {
      revenueCutoff: null,
      controlBelowCutoff: 0,
      overall,
      byTier: [],
      bySegment: [],
      byTrigger: [],
      byAction: null,
      workOrders: null,
    },
    byStage: {},
    settings: { alpha: 0.05, minEffect: 0.02, power: 0.8 },
  };
}

/** Every chart the report draws, in page order, when the data allows all of them. */
export const ALL_CHARTS = [
  'kpi-trend',
  'drift',
  'stage-tier',
  'gains-validation',
  'calibration-validation',
  'gains-evaluation',
  'calibration-evaluation',
  'effect',
  'segments',
  'importances',
  'triggers',
] as const;

export const DRIFT: DriftMeasured = {
  available: true,
  thresholds: { warn: 0.1, retrain: 0.25 },
  score: { psi: 0.142, level: 'warning' },
  features: [
    { feature: 'data_mb', psi: 0.31, level: 'retrain' },
    { feature: 'arpu', psi: 0.12, level: 'warning' },
    { feature: 'tenure_months', psi: 0.004, level: 'stable' },
  ],
  retrain: true,
};

export function reportInput(over: Partial<ReportInput> = {}): ReportInput {
  return {
    summary: generatedSummary('2024-03', { drift: DRIFT }),
    history: [generatedSummary('2024-01'), generatedSummary('2024-02')],
    model: MODEL,
    modelNote: null,
    evaluation: null,
    warningTop: [],
    currency: 'CNY',
    ...over,
  };
}
