/**
 * Scoring as a pure composition: billing (+ CDR aggregates) → features of the scored month → churn
 * probability, segment → lifecycle (eligibility, decile, tier, triggers, stage, control group) →
 * target lists. Reads and writes nothing; the command does.
 */
import { formatMonth, monthEndDay } from '../calendar.js';
import type { Config } from '../config.js';
import type { BillingTable, OutcomesTable } from '../contract.js';
import { InputError, ModelError } from '../errors.js';
import {
  buildFeatures,
  CDR_FEATURES,
  type CdrAggregates,
  type FeatureStats,
  toFeatureMatrix,
} from '../features/index.js';
import { dict, type Frame, withColumns } from '../frame.js';
import { assignLifecycle } from '../lifecycle/index.js';
import { calibrate } from '../model/calibrate.js';
import { countDrift, type DriftCounts } from '../model/drift.js';
import { checkFeatures } from '../model/persist.js';
import { assignSegments } from '../segment/index.js';
import {
  buildTargetLists,
  noReasons,
  REASONS_PER_SUBSCRIBER,
  recentContacts,
  scoresFrame,
  type TargetLists,
} from '../targets/index.js';
import type { LoadedUpliftModel, TargetBy } from '../uplift/index.js';
import { type CoverageFigures, coverageFigures } from './coverage.js';
import { driftRows } from './drift.js';
import { type LoadedModel, requireMode } from './model.js';
import { subscriberGroups, subscriberReasonsOf } from './reasons.js';
import { type ListingSettings, listingSettingsOf, savingSettingsOf } from './settings.js';
import { upliftColumns } from './uplift.js';

export interface ScoreInput {
  readonly billing: BillingTable;
  readonly cdr: CdrAggregates | null;
  readonly model: LoadedModel;
  /** Names the model file in messages. */
  readonly modelSource: string;
  readonly config: Config;
  /** The month scored; default the latest billing month. */
  readonly month?: number;
  /** Seed of the control-group draw. */
  readonly seed: number;
  /** Day number the lists are issued; due dates count from it. Default: the day after the scored month. */
  readonly listDate?: number;
  readonly capacity: number | null;
  /** Risk-decile cuts of the whole population, when scoring one shard of it. */
  readonly cuts?: Float64Array;
  /** Work orders of earlier lists: who a call reached when (targets/contact-policy.ts). */
  readonly contactHistory?: OutcomesTable | null;
  /** With an uplift model: each subscriber's uplift and expected saving; the warning list ordered by it. */
  readonly uplift?: { readonly model: LoadedUpliftModel; readonly source: string } | null;
  /** Told as each phase starts (the caller times them; a phase ends where the next one starts). */
  readonly onPhase?: (phase: ScoringPhase) => void;
}

/**
 * Phases of scoring a month, in the order they run: `predict` scores every subscriber and finds what
 * drives each score (one walk of the trees), assigning the segments meanwhile; `reasons` words those
 * drivers.
 */
export type ScoringPhase = 'features' | 'predict' | 'reasons' | 'lists';

export interface ListingOptions {
  readonly seed: number;
  readonly capacity: number | null;
  /** Day number the lists are issued. */
  readonly listDate: number;
  readonly segmentNames: readonly string[];
  readonly cuts?: Float64Array;
  /** The warning list's order (targets/lists.ts); default risk. */
  readonly targetBy?: TargetBy;
}

export interface Listing {
  /** The scored frame: features, probability, segment and lifecycle columns. */
  readonly staged: Frame;
  /** `scores.csv`. */
  readonly scores: Frame;
  readonly lists: TargetLists;
}

/**
 * From scored rows (probability and segment added) to stages and call lists: the part of scoring that
 * looks across subscribers, shared by one-process scoring and `retain merge` of shards.
 */
export function stageAndList(scored: Frame, settings: ListingSettings, o: ListingOptions): Listing {
  const staged = assignLifecycle(
    scored,
    settings.lifecycle,
    o.cuts ? { seed: o.seed, cuts: o.cuts, capacity: o.capacity } : { seed: o.seed, capacity: o.capacity },
  );
  const lists = buildTargetLists(staged, settings.lists, {
    capacity: o.capacity,
    listDate: o.listDate,
    segmentNames: o.segmentNames,
    targetBy: o.targetBy ?? 'risk',
  });
  return { staged, scores: scoresFrame(staged, o.segmentNames), lists };
}

export interface ScoreResult extends Listing {
  readonly month: number;
  /** Day number the lists were issued. */
  readonly listDate: number;
  readonly featureStats: FeatureStats;
  /** Data features the model was not trained on (left out of scoring). */
  readonly ignoredFeatures: readonly string[];
  /** The scored subscribers counted into the model's drift bins; null when the model has no reference. */
  readonly drift: DriftCounts | null;
}

/** The scored month: the latest billing month in the input. */
export function scoredMonth(billing: BillingTable): number {
  if (billing.n === 0) throw new InputError('the billing input has no rows to score');
  let m = -Infinity;
  for (let i = 0; i < billing.n; i++) if (billing.cols.month[i]! > m) m = billing.cols.month[i]!;
  return m;
}

/** The month scored: `input.month`, or the latest; it must have billing rows (a shard may have none). */
function monthOf(input: ScoreInput): number {
  const month = input.month ?? scoredMonth(input.billing);
  const m = input.billing.cols.month;
  for (let i = 0; i < input.billing.n; i++) if (m[i] === month) return month;
  throw new InputError(`the billing input has no rows of ${formatMonth(month)} to score`);
}

/** A model trained with CDRs needs the scored month's: its CDR features would otherwise be all missing. */
function requireScoredCdr(input: ScoreInput, month: number): void {
  if (!input.model.file.training.cdr || input.cdr?.months.includes(month)) return;
  throw new ModelError(
    `${input.modelSource} does not fit the data: the model was trained with CDRs and no CDR file covers ` +
      `${formatMonth(month)}, so the data lacks ${CDR_FEATURES.join(', ')}. ` +
      "Give the month's CDR files with --cdr, or train a model on billing files alone.",
  );
}

/**
 * Checks what scoring needs before any long step (the model's mode, rows of the scored month, its
 * CDRs when the model was trained with them) and returns the figures the inputs' coverage is
 * judged from (pipeline/coverage.ts).
 */
export function checkScoreInput(input: ScoreInput): CoverageFigures {
  requireMode(input.model, 'subscriber', input.modelSource);
  const month = monthOf(input);
  requireScoredCdr(input, month);
  return coverageFigures(month, input.model.file, input.config, input.billing, input.cdr);
}

/**
 * `work()` while `running` goes on: should it throw, `running` is let finish (its threads stopped)
 * and its own failure dropped, so the first failure is the one reported.
 */
async function alongside<T>(running: Promise<unknown>, work: () => T): Promise<T> {
  try {
    return work();
  } catch (err) {
    await running.catch(() => {});
    throw err;
  }
}

export async function scoreSubscribers(input: ScoreInput): Promise<ScoreResult> {
  const { model, config } = input;
  requireMode(model, 'subscriber', input.modelSource);
  if (model.segments === null) throw new ModelError(`${input.modelSource}: segments are missing`);
  const month = monthOf(input);
  requireScoredCdr(input, month);
  input.onPhase?.('features');
  const built = buildFeatures(input.billing, input.cdr, config, { months: [month] });
  // A model of an earlier schema lacks the newer features: they are left out for it.
  const { ignored } = checkFeatures(
    model.file.featureSchema.features,
    built.schema.features,
    input.modelSource,
  );
  // The model's feature order, not the data's: extra data features are left out.
  const schema = {
    version: built.schema.version,
    features: model.file.featureSchema.features.map((f) => ({ ...f, description: f.description ?? '' })),
  };
  const X = toFeatureMatrix(built.frame, schema as typeof built.schema);
  input.onPhase?.('predict');
  // One walk of the trees scores each subscriber and finds what drives the score. The segments need
  // only the features: they are assigned here while the walk's worker threads start and run.
  const explained = model.predictExplained(X, REASONS_PER_SUBSCRIBER, subscriberGroups(X));
  const segment = await alongside(explained, () => assignSegments(model.segments!, built.frame));
  const { scores: raw, drivers } = await explained;
  // Calibrated before anything reads it: revenue at risk, risk deciles and the warning band.
  const probability = calibrate(model.calibrator, raw);
  const drift = model.drift && countDrift(model.drift, X, raw, driftRows(built.frame));
  input.onPhase?.('reasons');
  const reasons = drivers ? subscriberReasonsOf(drivers, X) : noReasons(X.nRows);
  input.onPhase?.('lists');
  const listDate = input.listDate ?? monthEndDay(month) + 1;
  const ids = dict(built.frame, 'subscriber_id');
  const recent = input.contactHistory
    ? recentContacts(input.contactHistory, ids, listDate, config.targets.contact_gap_days).recent
    : new Uint8Array(built.frame.n);
  const uplift = input.uplift
    ? upliftColumns(
        built.frame,
        built.schema,
        input.uplift.model,
        input.uplift.source,
        savingSettingsOf(config),
        input.cdr?.months.includes(month) ?? false,
      )
    : {};
  const scored = withColumns(built.frame, {
    churn_probability: probability,
    segment,
    reasons,
    recently_contacted: recent,
    ...uplift,
  });
  const listing = stageAndList(scored, listingSettingsOf(config), {
    seed: input.seed,
    capacity: input.capacity,
    listDate,
    segmentNames: model.segments.names,
    ...(input.cuts ? { cuts: input.cuts } : {}),
    targetBy: input.uplift ? 'uplift' : 'risk',
  });
  return {
    month,
    listDate,
    ...listing,
    featureStats: built.stats,
    ignoredFeatures: ignored,
    drift,
  };
}
