/**
 * One seeded case of "does uplift targeting save more than risk targeting": a generated operator,
 * its churn model, a randomised campaign on the warning band of one month (half called, half held
 * out) whose effect the generator knows per subscriber, an uplift model trained on the campaign's
 * subscribers of one half of the ids, and on the other half, at the same capacity:
 *
 * - risk: the top subscribers by revenue at risk (retain score's default order);
 * - uplift: the top by expected saving, none with a negative one (retain score --target-by uplift);
 * - truth: the top by the saving each subscriber's known potential outcomes give (the oracle).
 *
 * A subscriber's saving is what the generator says calling them does: (churn without a call − churn
 * with a call that reaches) × reachable × ARPU × uplift.horizon_months − uplift.contact_cost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { formatMonth } from '../../src/calendar.js';
import { type Config, configSchema } from '../../src/config.js';
import { ARM } from '../../src/effect/index.js';
import { buildFeatures } from '../../src/features/index.js';
import { dict, f64, u8 } from '../../src/frame.js';
import { readBilling } from '../../src/io/index.js';
import { STAGE } from '../../src/lifecycle/stage.js';
import { serializeModel } from '../../src/model/persist.js';
import { loadModel } from '../../src/pipeline/model.js';
import { scoreSubscribers } from '../../src/pipeline/score.js';
import { savingSettingsOf } from '../../src/pipeline/settings.js';
import { trainSubscriberModel } from '../../src/pipeline/train.js';
import { trainUpliftModel, upliftColumns } from '../../src/pipeline/uplift.js';
import { hashString } from '../../src/random.js';
import { parseUpliftModel, serializeUpliftModel, type UpliftSelection } from '../../src/uplift/index.js';
import { createFileSinks, generateOperator } from '../generate/index.js';

export interface UpliftCaseOptions {
  readonly subscribers: number;
  readonly months: number;
  readonly seed: number;
  /** Folder for the generated files (two runs: plain/ and campaign/). */
  readonly dir: string;
  /** Calls available, as a share of the held-out half's warning band. */
  readonly capacityShare: number;
  /** Config overrides (the warning band's width, the call cost). */
  readonly config?: Record<string, unknown>;
  readonly trees?: number;
  /** Told as each step starts, for timing. */
  readonly onStep?: (step: string) => void;
}

export interface UpliftCaseResult {
  readonly seed: number;
  readonly month: string;
  /** The held-out half's warning band, and the calls made of it. */
  readonly candidates: number;
  readonly capacity: number;
  /** Revenue saved over the horizon by each ordering's calls. */
  readonly risk: number;
  readonly uplift: number;
  readonly truth: number;
  /** Calls the uplift order did not make for a negative expected saving. */
  readonly upliftDropped: number;
  readonly selection: UpliftSelection;
  readonly trainingRows: number;
}

const base = { engine: 'forest' as const, trainedAt: new Date(0).toISOString(), packageVersion: '0' };

/** Which half of the ids a subscriber is in: 0 trains the uplift model, 1 measures it. */
const half = (id: string, seed: number) => hashString(`${seed}:${id}`) & 1;

function billingFiles(dir: string, upTo: number, months: readonly string[]): string[] {
  return months.slice(0, upTo).map((m) => join(dir, `billing-${m}.csv`));
}

export async function runUpliftCase(o: UpliftCaseOptions): Promise<UpliftCaseResult> {
  const step = o.onStep ?? (() => {});
  // The whole eligible base is the warning band: the campaign is a randomised trial on all of it,
  // and the capacity picks who of it is called.
  const config: Config = configSchema.parse({
    stages: { warning_deciles: 10 },
    targets: { control_share: 0.5 },
    ...o.config,
  });
  const plainDir = join(o.dir, 'plain');
  const gen = { subscribers: o.subscribers, months: o.months, seed: o.seed, start: '2025-01', cdrMonths: 0 };
  step('generate');
  await generateOperator(gen, createFileSinks({ out: plainDir, cdr: false }));
  const monthNames = Array.from({ length: o.months }, (_, k) => `2025-${String(k + 1).padStart(2, '0')}`);
  // The churn model sees every month up to the list's month (the last but one).
  const listMonthIndex = o.months - 2;
  const { table: known } = await readBilling(billingFiles(plainDir, listMonthIndex + 1, monthNames), {
    config,
  });
  const trees = o.trees ?? 100;
  step('churn model');
  const churn = await trainSubscriberModel({
    ...base,
    forest: { trees },
    seed: o.seed,
    command: 'bench',
    billing: known,
    cdr: null,
    config,
  });
  const model = loadModel(serializeModel(churn.content), 'churn.model.json', 1);
  step('score');
  const scored = await scoreSubscribers({
    billing: known,
    cdr: null,
    model,
    modelSource: 'churn.model.json',
    config,
    seed: o.seed,
    capacity: null,
  });
  const staged = scored.staged;
  const ids = dict(staged, 'subscriber_id');
  const idOf = (i: number) => ids.dictionary[ids.codes[i]!]!;
  const stage = u8(staged, 'stage');
  const eligible = u8(staged, 'eligible');
  const control = u8(staged, 'control');
  const customer = u8(staged, 'customer_type');
  const listed = new Set<string>();
  const held = new Set<string>();
  const band: number[] = [];
  for (let i = 0; i < staged.n; i++) {
    if (stage[i] !== STAGE.warning || eligible[i] !== 1 || customer[i] !== 0) continue;
    band.push(i);
    (control[i] === 1 ? held : listed).add(idOf(i));
  }
  step('campaign');
  const campaignDir = join(o.dir, 'campaign');
  await generateOperator(
    { ...gen, campaign: { month: scored.month, listed, control: held } },
    createFileSinks({ out: campaignDir, cdr: false }),
  );
  const { table: billing } = await readBilling(billingFiles(campaignDir, o.months, monthNames), { config });
  const arm = new Map<string, number>();
  for (const id of listed) if (half(id, o.seed) === 0) arm.set(id, ARM.called);
  for (const id of held) if (half(id, o.seed) === 0) arm.set(id, ARM.control);
  step('uplift model');
  const trained = await trainUpliftModel({
    ...base,
    billing,
    cdr: null,
    config,
    campaigns: [{ month: scored.month, arm }],
    params: { trees },
    seed: o.seed,
    command: 'bench',
  });
  const upliftModel = parseUpliftModel(serializeUpliftModel(trained.content), 'uplift.model.json');
  const built = buildFeatures(billing, null, config, { months: [scored.month] });
  const { expected_saving } = upliftColumns(
    built.frame,
    built.schema,
    upliftModel,
    'uplift.model.json',
    savingSettingsOf(config),
    false,
  );
  const builtIds = dict(built.frame, 'subscriber_id');
  const savingById = new Map<string, number>();
  for (let i = 0; i < built.frame.n; i++)
    savingById.set(builtIds.dictionary[builtIds.codes[i]!]!, expected_saving[i]!);

  const truthRows = Papa.parse<Record<string, string>>(
    readFileSync(join(campaignDir, `campaign-truth-${formatMonth(scored.month)}.csv`), 'utf8'),
    { header: true, skipEmptyLines: true },
  ).data;
  const truth = new Map(truthRows.map((t) => [t.subscriber_id!, t]));
  const revenue = f64(staged, 'revenue_at_risk');
  const arpu = staged.cols.arpu as ArrayLike<number>;
  const { horizon_months: horizon, contact_cost: cost } = config.uplift;
  const test = band.filter((i) => half(idOf(i), o.seed) === 1);
  const value = (i: number) => {
    const t = truth.get(idOf(i))!;
    const effect = Number(t.reachable) * (Number(t.churn_without_call) - Number(t.churn_with_call));
    return effect * arpu[i]! * horizon - cost;
  };
  const capacity = Math.round(o.capacityShare * test.length);
  const top = (key: (i: number) => number, positiveOnly: boolean) => {
    const ranked = test
      .filter((i) => !positiveOnly || key(i) > 0)
      .sort((a, b) => key(b) - key(a) || (idOf(a) < idOf(b) ? -1 : 1));
    return ranked.slice(0, capacity);
  };
  const saved = (rows: number[]) => rows.reduce((s, i) => s + value(i), 0);
  const byUplift = top((i) => savingById.get(idOf(i)) ?? Number.NEGATIVE_INFINITY, true);
  return {
    seed: o.seed,
    month: formatMonth(scored.month),
    candidates: test.length,
    capacity,
    risk: saved(top((i) => revenue[i]!, false)),
    uplift: saved(byUplift),
    truth: saved(top(value, true)),
    upliftDropped: capacity - byUplift.length,
    selection: trained.selection,
    trainingRows: trained.content.training.rows,
  };
}
