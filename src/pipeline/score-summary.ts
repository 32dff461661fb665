/**
 * What `retain score` and `retain merge` record of a scored month beside its lists: the month's
 * KPIs, cohorts and control sizing, summary.json, and for a shard the metadata `retain merge`
 * recombines. Pure: the commands log what they need from these and write them.
 */
import { join } from 'node:path';
import { formatMonth } from '../calendar.js';
import type { Config } from '../config.js';
import type { BillingTable } from '../contract.js';
import type { ConfigSource, FileReport } from '../io/index.js';
import { type ControlSettings, type ControlSizing, controlSizingOf } from '../lifecycle/index.js';
import {
  assessment,
  type CohortKpis,
  type CohortRule,
  cohortKpis,
  type DriftSummary,
  type InputFileSummary,
  type RetentionKpis,
  retentionKpis,
  type Summary,
  summarize,
} from '../report/index.js';
import {
  addCoverageFigures,
  type CoverageFigures,
  coverageRecord,
  type InputCoverage,
  judgeCoverage,
} from './coverage.js';
import { type Merged, SHARD_FORMAT, SHARD_VERSION, type ShardMeta, type ShardPart } from './merge.js';
import type { LoadedModel } from './model.js';
import type { ScoreResult } from './score.js';
import { assessmentRulesOf, cohortRuleOf, controlSettingsOf } from './settings.js';
import type { Shard } from './shard.js';

/** The scored month's figures over its subscribers, before the summary is assembled. */
export interface ScoredMonthFacts {
  readonly kpis: RetentionKpis;
  readonly cohorts: CohortKpis;
  /** Each input file read, with its rows and rejects. */
  readonly inputs: InputFileSummary[];
  readonly sizing: ControlSizing;
}

/** What the month's facts are figured by: the KPI cohort rule, the control sizing and the run's capacity. */
export interface MonthFactSettings {
  readonly cohort: CohortRule;
  readonly control: ControlSettings;
  readonly capacity: number | null;
}

export function monthFactSettingsOf(config: Config, capacity: number | null): MonthFactSettings {
  return { cohort: cohortRuleOf(config), control: controlSettingsOf(config), capacity };
}

/** The folder a score run writes when no `--out` is given: retain-out/<month>, or its shard's. */
export function defaultScoreFolder(month: number, shard: Shard | null): string {
  const name = formatMonth(month);
  return join('retain-out', shard ? `${name}-shard-${shard.index}-of-${shard.count}` : name);
}

export function scoredMonthFacts(
  result: ScoreResult,
  billing: BillingTable,
  files: readonly FileReport[],
  s: MonthFactSettings,
): ScoredMonthFacts {
  return {
    kpis: retentionKpis(billing, result.month, s.cohort),
    cohorts: cohortKpis(billing, result.month, s.cohort),
    inputs: files.map((f) => ({ file: f.path, kind: f.kind, rows: f.rows, rejects: f.rejected })),
    sizing: controlSizingOf(result.staged, s.control, s.capacity),
  };
}

/** A score run's settings and checks, as summary.json and the shard metadata record them. */
export interface ScoreRecordInput {
  readonly result: ScoreResult;
  readonly facts: ScoredMonthFacts;
  readonly model: LoadedModel;
  /** Recorded whole in summary.json and the shard metadata. */
  readonly config: Config;
  readonly configSource: ConfigSource;
  readonly coverage: InputCoverage;
  readonly drift: DriftSummary;
  readonly seed: number;
  readonly capacity: number | null;
  readonly shard: Shard | null;
  /** The uplift model's id under uplift targeting; null under risk targeting. */
  readonly upliftModelId: string | null;
}

export function scoreSummary(r: ScoreRecordInput): Summary {
  const { result, facts, config, shard } = r;
  return summarize({
    staged: result.staged,
    targets: result.lists,
    kpis: facts.kpis,
    segmentNames: r.model.segments?.names ?? [],
    modelId: r.model.file.id,
    inputs: facts.inputs,
    extra: {
      ...coverageRecord(r.coverage),
      control_sizing: facts.sizing,
      kpi_cohorts: facts.cohorts,
      assessment: assessment(facts.cohorts, assessmentRulesOf(config)),
      ...(shard ? { shard } : {}),
      drift: r.drift,
      config: { ...r.configSource, values: config },
      // Only under uplift targeting, so a risk-ordered summary stays what merge writes for its shards.
      ...(r.upliftModelId !== null
        ? {
            targeting: {
              by: 'uplift',
              uplift_model_id: r.upliftModelId,
              not_worth_calling: result.lists.notWorthCalling,
            },
          }
        : {}),
    },
  });
}

/** What `retain merge` needs of a shard to recombine the shards; null for a run that is not sharded. */
export function scoreShardMeta(r: ScoreRecordInput, figures: CoverageFigures): ShardMeta | null {
  const { result, model, facts } = r;
  return (
    r.shard && {
      format: SHARD_FORMAT,
      version: SHARD_VERSION,
      shard: r.shard,
      month: result.month,
      modelId: model.file.id,
      segmentNames: model.segments?.names ?? [],
      seed: r.seed,
      capacity: r.capacity,
      listDate: result.listDate,
      config: r.config,
      kpis: facts.kpis,
      kpiCohorts: facts.cohorts,
      inputs: facts.inputs,
      coverage: figures,
      drift: model.drift && result.drift && { reference: model.drift, counts: result.drift },
      configSource: r.configSource,
    }
  );
}

/**
 * summary.json of shards merged: what one process would have written, from the merged lists, the
 * shards' added coverage figures (none when a shard is of an older version) and the merged drift.
 */
export function mergedSummary(merged: Merged, parts: readonly ShardPart[], drift: DriftSummary): Summary {
  const m = merged.meta;
  const figures = parts.map((p) => p.meta.coverage);
  const coverage = figures.every((f) => f !== undefined)
    ? coverageRecord(judgeCoverage(addCoverageFigures(figures), m.config.checks))
    : {};
  return summarize({
    staged: merged.staged,
    targets: merged.lists,
    kpis: merged.kpis,
    segmentNames: m.segmentNames,
    modelId: m.modelId,
    inputs: m.inputs,
    extra: {
      ...coverage,
      control_sizing: controlSizingOf(merged.staged, controlSettingsOf(m.config), m.capacity),
      ...(merged.kpiCohorts
        ? {
            kpi_cohorts: merged.kpiCohorts,
            assessment: assessment(merged.kpiCohorts, assessmentRulesOf(m.config)),
          }
        : {}),
      shards: m.shard.count,
      drift,
      config: { file: null, sha256: null, ...m.configSource, values: m.config },
    },
  });
}
