import { formatMonth } from '../calendar.js';
import {
  type FileKind,
  LISTS,
  type ListName,
  STAGES,
  type Stage,
  TIERS,
  type Tier,
  TRIGGERS,
  type Trigger,
} from '../contract.js';
import { dict, type Frame, i32, u8 } from '../frame.js';
import { EXCLUSION_REASONS, type ExclusionReason } from '../lifecycle/index.js';
import type { TargetLists } from '../targets/index.js';
import type { RetentionKpis } from './kpis.js';

/** One input file as the reader saw it. */
export interface InputFileSummary {
  file: string;
  kind: FileKind;
  rows: number;
  rejects: number;
}

export interface SummaryInput {
  /** assignLifecycle's output for the scored month. */
  staged: Frame;
  targets: TargetLists;
  kpis: RetentionKpis;
  /** The model's segment names, by segment index. */
  segmentNames: readonly string[];
  modelId: string;
  inputs: readonly InputFileSummary[];
  /** More JSON-able fields, appended after the standard ones in their given order. */
  extra?: Readonly<Record<string, unknown>>;
}

/** summary.json. Counts by stage, tier, segment and trigger cover every scored subscriber. */
export interface Summary {
  month: string | null;
  model_id: string;
  inputs: InputFileSummary[];
  subscribers: number;
  eligible: number;
  excluded: Record<ExclusionReason, number>;
  stages: Record<Stage, number>;
  tiers: Record<Tier, number>;
  /** Subscribers by stage and tier: the matrix the report draws (absent in older summaries). */
  stage_tier: Record<Stage, Record<Tier, number>>;
  segments: Record<string, number>;
  triggers: Record<Trigger, number>;
  lists: Record<ListName, number>;
  control_group: number;
  capacity: { limit: number | null; cut: number };
  /** Sum of revenue_at_risk over eligible subscribers, and over those on a list. */
  revenue_at_risk: { eligible: number; listed: number };
  kpis: RetentionKpis;
  [extra: string]: unknown;
}

/** Builds summary.json as a plain object whose key order is fixed (the order of `Summary`). */
export function summarize(input: SummaryInput): Summary {
  const { staged, targets } = input;
  const month = i32(staged, 'month');
  const eligible = u8(staged, 'eligible');
  const revenue = staged.cols.revenue_at_risk as Float64Array;
  let latest = Number.NEGATIVE_INFINITY;
  let eligibleCount = 0;
  let eligibleRevenue = 0;
  for (let i = 0; i < staged.n; i++) {
    if (month[i]! > latest) latest = month[i]!;
    if (eligible[i] !== 0) {
      eligibleCount++;
      if (!Number.isNaN(revenue[i]!)) eligibleRevenue += revenue[i]!;
    }
  }

  const exclusion = dict(staged, 'exclusion');
  const excluded = countBy(EXCLUSION_REASONS, exclusion.codes, (c) =>
    EXCLUSION_REASONS.indexOf(exclusion.dictionary[c] as ExclusionReason),
  );
  const stages = countBy(STAGES, u8(staged, 'stage'));
  const tiers = countBy(TIERS, u8(staged, 'tier'));
  const stageTier = crossCount(u8(staged, 'stage'), u8(staged, 'tier'));

  const segment = i32(staged, 'segment');
  const segmentCounts = new Map<number, number>();
  for (let i = 0; i < staged.n; i++)
    segmentCounts.set(segment[i]!, (segmentCounts.get(segment[i]!) ?? 0) + 1);
  const segments: Record<string, number> = {};
  input.segmentNames.forEach((name, k) => {
    segments[name] = segmentCounts.get(k) ?? 0;
  });
  for (const k of [...segmentCounts.keys()].sort((a, b) => a - b))
    if (input.segmentNames[k] === undefined) segments[String(k)] = segmentCounts.get(k)!;

  const lists = {} as Record<ListName, number>;
  let listedRevenue = 0;
  for (const name of LISTS) {
    const list = targets.lists[name];
    lists[name] = list.n;
    const r = list.cols.revenue_at_risk as Float64Array;
    for (let k = 0; k < r.length; k++) if (!Number.isNaN(r[k]!)) listedRevenue += r[k]!;
  }

  return {
    month: staged.n === 0 ? null : formatMonth(latest),
    model_id: input.modelId,
    inputs: input.inputs.map((f) => ({ file: f.file, kind: f.kind, rows: f.rows, rejects: f.rejects })),
    subscribers: staged.n,
    eligible: eligibleCount,
    excluded,
    stages,
    tiers,
    stage_tier: stageTier,
    segments,
    triggers: triggerCounts(dict(staged, 'triggers').codes, dict(staged, 'triggers').dictionary),
    lists,
    control_group: targets.heldOut,
    capacity: { limit: targets.capacity, cut: targets.capped },
    revenue_at_risk: { eligible: eligibleRevenue, listed: listedRevenue },
    kpis: input.kpis,
    ...input.extra,
  };
}

/** Counts per value of an index column; `indexOf` maps a stored code to the value's index. */
function countBy<K extends string>(
  names: readonly K[],
  codes: ArrayLike<number>,
  indexOf: (code: number) => number = (c) => c,
): Record<K, number> {
  const perCode = new Map<number, number>();
  for (let i = 0; i < codes.length; i++) perCode.set(codes[i]!, (perCode.get(codes[i]!) ?? 0) + 1);
  const counts = new Array<number>(names.length).fill(0);
  for (const [code, n] of perCode) {
    if (code < 0) continue;
    const k = indexOf(code);
    if (k >= 0) counts[k]! += n;
  }
  const out = {} as Record<K, number>;
  names.forEach((name, k) => {
    out[name] = counts[k]!;
  });
  return out;
}

/** Subscribers by stage (rows) and tier (columns), every pair present. */
function crossCount(stage: Uint8Array, tier: Uint8Array): Record<Stage, Record<Tier, number>> {
  const cells = new Float64Array(STAGES.length * TIERS.length);
  for (let i = 0; i < stage.length; i++)
    if (stage[i]! < STAGES.length && tier[i]! < TIERS.length) cells[stage[i]! * TIERS.length + tier[i]!]!++;
  const out = {} as Record<Stage, Record<Tier, number>>;
  STAGES.forEach((s, a) => {
    const row = {} as Record<Tier, number>;
    TIERS.forEach((t, b) => {
      row[t] = cells[a * TIERS.length + b]!;
    });
    out[s] = row;
  });
  return out;
}

/** How many subscribers each trigger fired for, from the ';'-joined trigger text. */
function triggerCounts(codes: Int32Array, dictionary: readonly string[]): Record<Trigger, number> {
  const perCode = new Float64Array(dictionary.length);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) perCode[codes[i]!]!++;
  const out = {} as Record<Trigger, number>;
  for (const t of TRIGGERS) out[t] = 0;
  dictionary.forEach((text, code) => {
    if (text === '') return;
    for (const t of text.split(';')) if (t in out) out[t as Trigger] += perCode[code]!;
  });
  return out;
}
