/**
 * Uplift as a pure composition. Training: billing (+ CDR aggregates) of past campaign months →
 * features of each list month → the called and the comparable control group with their churn at
 * the next month → the better of the two learners (uplift/fit.ts). Scoring: the uplift of every
 * scored subscriber and the expected revenue a call saves.
 */
import { formatMonth } from '../calendar.js';
import type { Config } from '../config.js';
import { type BillingTable, STATUS } from '../contract.js';
import { ARM } from '../effect/index.js';
import { InputError, ModelError } from '../errors.js';
import { buildFeatures, type CdrAggregates, featureSchemaHash, toFeatureMatrix } from '../features/index.js';
import { dict, type Frame, i32, takeColumn, takeMatrix, u8 } from '../frame.js';
import { checkFeatures } from '../model/persist.js';
import type { EngineName } from '../model/types.js';
import {
  expectedSaving,
  fitUplift,
  type LoadedUpliftModel,
  type UpliftCampaign,
  type UpliftModelContent,
  type UpliftSelection,
} from '../uplift/index.js';
import type { SavingSettings } from '../uplift/saving.js';
import { campaignArms, type ScoredRows, type WarningList } from './evaluate.js';

/** One past campaign: the list's month and each subscriber's arm (ARM: called, control or neither). */
export interface CampaignArms {
  readonly month: number;
  readonly arm: ReadonlyMap<string, number>;
}

/**
 * A scored month as a past campaign: the called and the comparable control group (campaignArms), by
 * subscriber id. Subscribers closed in the scored month are left out: no call could keep them.
 */
export function campaignOf(month: number, rows: ScoredRows, list: WarningList): CampaignArms {
  const kept = Uint8Array.from(rows.exclusion, (e) => (e === 'closed' ? 0 : 1));
  const { arm } = campaignArms(rows, list, kept);
  const byId = new Map<string, number>();
  rows.ids.forEach((id, i) => {
    if (arm[i] !== ARM.none) byId.set(id, arm[i]!);
  });
  return { month, arm: byId };
}

export interface UpliftTrainingInput {
  readonly billing: BillingTable;
  readonly cdr: CdrAggregates | null;
  readonly config: Config;
  readonly campaigns: readonly CampaignArms[];
  readonly engine: EngineName;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly trainedAt: string;
  readonly command: string;
  readonly packageVersion: string;
  readonly onStep?: (step: string) => void;
}

export interface UpliftTrainingResult {
  readonly content: UpliftModelContent;
  readonly campaigns: readonly UpliftCampaign[];
  readonly selection: UpliftSelection;
}

/** Rows of the campaign months that belong to an arm and carry a churn label, with their arm. */
function campaignRows(frame: Frame, campaigns: readonly CampaignArms[]) {
  const month = i32(frame, 'month');
  const ids = dict(frame, 'subscriber_id');
  const labelled = u8(frame, 'labelled');
  const status = u8(frame, 'status');
  const byMonth = new Map(campaigns.map((c) => [c.month, c.arm]));
  const rows: number[] = [];
  const treated: number[] = [];
  for (let i = 0; i < frame.n; i++) {
    const arms = byMonth.get(month[i]!);
    const code = ids.codes[i]!;
    if (arms === undefined || code < 0 || labelled[i] !== 1 || status[i] === STATUS.closed) continue;
    const a = arms.get(ids.dictionary[code]!);
    if (a !== ARM.called && a !== ARM.control) continue;
    rows.push(i);
    treated.push(a === ARM.called ? 1 : 0);
  }
  return { rows: Int32Array.from(rows), treated: Uint8Array.from(treated) };
}

export async function trainUpliftModel(input: UpliftTrainingInput): Promise<UpliftTrainingResult> {
  const { config } = input;
  const months = [...new Set(input.campaigns.map((c) => c.month))].sort((a, b) => a - b);
  const present = new Set(input.billing.cols.month);
  for (const m of months)
    if (!present.has(m + 1))
      throw new InputError(
        `the campaign of ${formatMonth(m)} needs the billing of ${formatMonth(m + 1)} to tell who churned; give that file too`,
      );
  const built = buildFeatures(input.billing, input.cdr, config, { months });
  const { rows, treated } = campaignRows(built.frame, input.campaigns);
  const X = toFeatureMatrix(built.frame, built.schema);
  const labels = u8(built.frame, 'churned_next');
  const picked = {
    X: takeMatrix(X, rows),
    treated,
    churned: takeColumn(labels, rows),
  };
  const monthCol = i32(built.frame, 'month');
  const campaigns: UpliftCampaign[] = months.map((m) => {
    const s = { called: 0, control: 0, calledChurned: 0, controlChurned: 0 };
    rows.forEach((r, k) => {
      if (monthCol[r] !== m) return;
      if (treated[k] === 1) {
        s.called++;
        s.calledChurned += picked.churned[k]!;
      } else {
        s.control++;
        s.controlChurned += picked.churned[k]!;
      }
    });
    return { month: formatMonth(m), ...s };
  });
  const called = campaigns.reduce((s, c) => s + c.called, 0);
  const control = campaigns.reduce((s, c) => s + c.control, 0);
  if (called < 50 || control < 50)
    throw new InputError(
      `the campaigns hold ${called} called and ${control} control subscribers with a known outcome; ` +
        'an uplift model needs at least 50 of each (a larger control group: --control-share)',
    );
  let fit: Awaited<ReturnType<typeof fitUplift>>;
  try {
    fit = await fitUplift(picked, {
      engine: input.engine,
      params: input.params,
      seed: input.seed,
      ...(input.onStep ? { onStep: input.onStep } : {}),
    });
  } catch (err) {
    if (err instanceof RangeError)
      throw new InputError(`cannot fit an uplift model: ${err.message}`, { cause: err });
    throw err;
  }
  const content: UpliftModelContent = {
    method: fit.learner.method,
    engine: input.engine,
    featureSchema: built.schema,
    featureSchemaHash: featureSchemaHash(built.schema),
    learner: fit.learner.parts,
    training: {
      campaigns,
      rows: rows.length,
      cdr: built.stats.cdrMonths.length > 0,
      seed: input.seed,
      params: { ...fit.learner.params },
      packageVersion: input.packageVersion,
      trainedAt: input.trainedAt,
      command: input.command,
      // Without the seconds each fit took: equal inputs give equal model files.
      selection: { ...fit.selection, trials: fit.selection.trials.map(({ seconds: _, ...t }) => t) },
    },
    importances: fit.learner.importances,
  };
  return { content, campaigns, selection: fit.selection };
}

/**
 * The uplift of every row of a scored month's feature frame and the expected saving of calling it
 * (uplift × arpu × uplift.horizon_months − uplift.contact_cost).
 */
export function upliftColumns(
  frame: Frame,
  schema: Parameters<typeof toFeatureMatrix>[1],
  model: LoadedUpliftModel,
  source: string,
  saving: SavingSettings,
  /** Whether CDRs cover the scored month: a model trained with them needs them. */
  scoredCdr: boolean,
): { uplift: Float64Array; expected_saving: Float64Array } {
  if (model.file.training.cdr && !scoredCdr)
    throw new ModelError(
      `${source} was trained with CDRs and no CDR file covers the scored month; give the month's CDR files with --cdr`,
    );
  checkFeatures(model.file.featureSchema.features, schema.features, source);
  const ordered = {
    version: schema.version,
    features: model.file.featureSchema.features.map((f) => ({ ...f, description: f.description ?? '' })),
  };
  const X = toFeatureMatrix(frame, ordered as typeof schema);
  const uplift = model.predict(X);
  const arpu = frame.cols.arpu as ArrayLike<number>;
  return {
    uplift,
    expected_saving: expectedSaving(uplift, arpu, saving),
  };
}
