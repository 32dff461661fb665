/** `retain score`: read a month's billing (+ history, + CDRs), score with a model, write the lists atomically. */
import { join, resolve } from 'node:path';
import { formatDate, formatMonth, monthEndDay, monthStartDay, parseDate } from '../../calendar.js';
import type { Config } from '../../config.js';
import { LISTS, type OwnerField } from '../../contract.js';
import { InputError, ModelError, UsageError } from '../../errors.js';
import { loadConfigFile, type RunPath, readOutcomes, readText } from '../../io/index.js';
import { type ControlSizing, warningCapacity } from '../../lifecycle/index.js';
import { DEFAULT_MODEL_PATH } from '../../paths.js';
import { judgeCoverage } from '../../pipeline/coverage.js';
import { loadModel, requireMode } from '../../pipeline/model.js';
import { checkScoreInput, scoreSubscribers } from '../../pipeline/score.js';
import { scoredMonthFacts, scoreShardMeta, scoreSummary } from '../../pipeline/score-summary.js';
import { cohortRuleOf, controlSettingsOf } from '../../pipeline/settings.js';
import type { Shard } from '../../pipeline/shard.js';
import { NO_REFERENCE_REASON } from '../../report/index.js';
import { parseUpliftModel, type TargetBy } from '../../uplift/index.js';
import type { CommandContext } from '../context.js';
import { phaseTimer } from '../phases.js';
import { driftUnavailable, measureDrift } from './drift.js';
import { parseMonthFlag, readRunInputs } from './inputs.js';
import {
  checkSplitColumn,
  checkSplitUsage,
  claimOut,
  type OutputFormat,
  runRecord,
  writeScoreFolder,
} from './outputs.js';
import { modelAndConfig, scoreWideTable } from './score-table.js';

export interface ScoreOptions {
  billing: string[];
  cdr: string[];
  table: string | null;
  id: string | null;
  model: string | null;
  out: string | null;
  format: OutputFormat;
  bom: boolean;
  capacity: number | null;
  seed: number;
  /** --control-share: overrides targets.control_share; null = as configured. */
  controlShare: number | 'auto' | null;
  /** Work-order outcome files of earlier lists, for the contact policy. */
  contactHistory: string[];
  /** YYYY-MM-DD the lists are issued; due dates count from it. Default: the day after the scored month. */
  listDate: string | null;
  /** YYYY-MM: the month scored; later billing rows and CDR events are ignored. Default: the latest. */
  month: string | null;
  /** Refuse (exit 3) rather than warn when history is short or a CDR month looks truncated. */
  strict: boolean;
  config: string | undefined;
  rejects: string | null;
  /** Score only this shard's subscribers; `retain merge` combines the shards. */
  shard: Shard | null;
  /** Threads reading CDR files and predicting (0 = all cores); the output does not depend on it. */
  threads: number;
  /** The warning list's order: risk (revenue at risk) or uplift (expected saving, needs upliftModel). */
  targetBy?: TargetBy;
  upliftModel?: string | null;
  /** --split-by: also write each owning unit's or manager's lists. */
  splitBy?: OwnerField | null;
}

export function readModelFile(path: string): Promise<string> {
  return readText(
    path,
    (why, cause) => new ModelError(`${path}: cannot read the model file (${why})`, { cause }),
  );
}

/** --target-by uplift needs --uplift-model and billing files; true when uplift targeting is asked for. */
function checkTargeting(o: ScoreOptions): boolean {
  const by = o.targetBy ?? 'risk';
  if (by === 'risk') {
    if (o.upliftModel)
      throw new UsageError('--uplift-model is used with --target-by uplift; give both or neither');
    return false;
  }
  if (!o.upliftModel)
    throw new UsageError('--target-by uplift needs --uplift-model FILE (from retain train --uplift)');
  if (o.table !== null) throw new UsageError('--target-by uplift applies to billing files, not to --table');
  if (o.shard !== null)
    throw new UsageError('--target-by uplift cannot be sharded yet: score the month in one process');
  return true;
}

function parseListDate(text: string | null): number | undefined {
  if (text === null) return undefined;
  const day = parseDate(text);
  if (Number.isNaN(day))
    throw new UsageError(`--list-date ${JSON.stringify(text)} is not a date (YYYY-MM-DD)`);
  return day;
}

/** Lists are issued after the month they score: a list date before or inside it is a usage error. */
function checkListDate(listDate: number | undefined, month: number): void {
  if (listDate === undefined || listDate > monthEndDay(month)) return;
  const where = listDate < monthStartDay(month) ? 'before' : 'inside';
  throw new UsageError(
    `--list-date ${formatDate(listDate)} is ${where} the scored month ${formatMonth(month)}: ` +
      `lists are issued after the month they score, from ${formatDate(monthEndDay(month) + 1)}`,
  );
}

/** What a score run reads (and its rejects file): `--out` may not be or contain any of them. */
function runPaths(o: ScoreOptions, modelPath: string): RunPath[] {
  return [
    ...o.billing.map((path) => ({ path, what: 'billing file' })),
    ...o.cdr.map((path) => ({ path, what: 'CDR file' })),
    ...(o.table === null ? [] : [{ path: o.table, what: 'table' }]),
    { path: modelPath, what: 'model' },
    ...(o.upliftModel ? [{ path: o.upliftModel, what: 'uplift model' }] : []),
    ...(o.config === undefined ? [] : [{ path: o.config, what: 'config file' }]),
    ...(o.rejects === null ? [] : [{ path: o.rejects, what: '--rejects file' }]),
  ];
}

export async function score(ctx: CommandContext, o: ScoreOptions): Promise<void> {
  if (o.table !== null && o.billing.length > 0)
    throw new UsageError('give billing files or --table, not both');
  if (o.table === null && o.billing.length === 0) {
    throw new UsageError('give the billing files to score, or --table FILE');
  }
  checkSplitUsage(o.splitBy ?? null, o.table !== null, o.shard !== null);
  if (o.table !== null && (o.month !== null || o.strict))
    throw new UsageError(
      `${o.month !== null ? '--month' : '--strict'} applies to billing files, not to --table`,
    );
  const upliftPath = checkTargeting(o) && resolve(ctx.cwd, o.upliftModel!);
  const timer = phaseTimer(ctx.log);
  const listDate = parseListDate(o.listDate);
  const pinned = parseMonthFlag(o.month);
  if (pinned !== null) checkListDate(listDate, pinned);
  const { config: loaded, source: configSource } = await loadConfigFile(o.config, ctx.cwd);
  const config =
    o.controlShare === null
      ? loaded
      : { ...loaded, targets: { ...loaded.targets, control_share: o.controlShare } };
  const modelPath = o.model === null ? DEFAULT_MODEL_PATH : resolve(ctx.cwd, o.model);
  const protect = runPaths(o, modelPath);
  // An --out given is checked and locked before the work; the default one, once the month is known.
  await using given = o.out === null ? null : await claimOut(ctx, o.out, protect);
  timer.start('load model');
  const model = loadModel(await readModelFile(modelPath), modelPath, o.threads);
  ctx.log.info(
    { model: modelPath, id: model.file.id, trainedAt: model.file.training.trainedAt },
    'model loaded',
  );
  if (model.explainer === null)
    ctx.log.warn(
      'the model carries no node covers (trained by an older retain): reasons stay empty; retrain it',
    );
  if (o.table !== null) {
    // Awaited here, not returned: `given` is released when this function's scope ends.
    timer.start('score table');
    await scoreWideTable(ctx, o, o.table, { model, modelPath, config, configSource }, given, protect);
    timer.finish();
    return;
  }
  requireMode(model, 'subscriber', modelPath);
  const uplift = upliftPath
    ? { model: parseUpliftModel(await readModelFile(upliftPath), upliftPath), source: upliftPath }
    : null;
  if (uplift)
    ctx.log.info(
      { upliftModel: upliftPath, id: uplift.model.file.id, method: uplift.model.file.method },
      'uplift model loaded',
    );

  const scoredBilling = await readRunInputs(ctx, {
    billing: o.billing,
    cdr: o.cdr,
    config,
    rejects: o.rejects,
    threads: o.threads,
    month: pinned,
    onMonth: (month) => checkListDate(listDate, month),
    onPhase: timer.start,
    ...(o.shard ? { shard: o.shard } : {}),
  });
  checkSplitColumn(o.splitBy ?? null, scoredBilling.billing);
  const capacity = warningCapacity(o.capacity, config.targets.capacity);
  const history =
    o.contactHistory.length === 0
      ? null
      : await readOutcomes(
          o.contactHistory.map((f) => resolve(ctx.cwd, f)),
          { config },
        );
  for (const f of history?.files ?? []) for (const n of f.notices) ctx.log.info({ file: f.path }, n);
  const scoreInput = {
    contactHistory: history?.table ?? null,
    billing: scoredBilling.billing,
    cdr: scoredBilling.cdr,
    model,
    modelSource: modelPath,
    config,
    month: scoredBilling.month,
    seed: o.seed,
    capacity,
    ...(listDate === undefined ? {} : { listDate }),
    uplift,
    onPhase: timer.start,
  };
  const figures = checkScoreInput(scoreInput);
  const coverage = judgeCoverage(figures, config.checks);
  if (coverage.problems.length > 0) {
    if (o.strict) throw new InputError(`refused (--strict): ${coverage.problems.join('; ')}`);
    for (const problem of coverage.problems)
      ctx.log.warn(`${problem}; scores may differ from those with complete inputs`);
  }
  const result = await scoreSubscribers(scoreInput);
  if (result.ignoredFeatures.length > 0) {
    ctx.log.warn(
      { features: result.ignoredFeatures },
      'the data has features the model was not trained on; ignored',
    );
  }
  const orphans = result.featureStats.cdrOrphans;
  if (orphans.subscriberMonths > 0) {
    ctx.log.warn(
      {
        subscriberMonths: orphans.subscriberMonths,
        unbilledSubscribers: orphans.unbilledSubscribers,
        examples: orphans.examples,
      },
      'CDR events of subscribers without a billing row that month (not scored)',
    );
  }
  timer.start('summary');
  const month = formatMonth(result.month);
  const facts = scoredMonthFacts(
    result,
    scoredBilling.billing,
    [...scoredBilling.files, ...(history?.files ?? [])],
    { cohort: cohortRuleOf(config), control: controlSettingsOf(config), capacity },
  );
  logControlSizing(ctx, facts.sizing, config);
  const drift =
    model.drift && result.drift
      ? measureDrift(ctx, model.drift, result.drift, config)
      : driftUnavailable(ctx, NO_REFERENCE_REASON);
  const recordInput = {
    result,
    facts,
    model,
    config,
    configSource,
    coverage,
    drift,
    seed: o.seed,
    capacity,
    shard: o.shard,
    upliftModelId: uplift ? uplift.model.file.id : null,
  };
  const summary = scoreSummary(recordInput);
  const shard = scoreShardMeta(recordInput, figures);

  const defaultOut = join(
    'retain-out',
    o.shard ? `${month}-shard-${o.shard.index}-of-${o.shard.count}` : month,
  );
  await using fallback = given ? null : await claimOut(ctx, defaultOut, protect);
  const out = (given ?? fallback)!;
  const record = await runRecord(
    { command: 'score', month, model_id: model.file.id, table_format: o.format, shard: null },
    [
      ...scoredBilling.files.map((f) => ({ path: f.path, kind: f.kind })),
      ...modelAndConfig(ctx, o, modelPath),
    ],
  );
  timer.start('write');
  const folder = { listing: result, summary, splitBy: o.splitBy ?? null, ...(shard ? { shard } : {}) };
  await writeScoreFolder(out, folder, o, record);
  const outDir = out.path;
  ctx.log.info({ out: outDir, subscribers: result.scores.n }, 'scores and lists written');
  timer.finish();
  if (!ctx.quiet) {
    const counts = LISTS.map((l) => `${l} ${result.lists.lists[l].n}`).join(', ');
    ctx.stdout.write(
      `scored ${result.scores.n} subscribers for ${month}\nlists: ${counts}\n` +
        (uplift
          ? `warning list ordered by expected saving; ${result.lists.notWorthCalling} not called: calling them is expected to lose revenue\n`
          : '') +
        (result.lists.capped > 0 ? `warning list capped: ${result.lists.capped} cut by --capacity\n` : '') +
        `written to ${outDir}\n`,
    );
  }
}

/**
 * The sizing goes to the log: a warning only when --control-share auto could not reach the power it
 * was asked for; a fixed share's power is information (evaluate says plainly what it could tell).
 */
function logControlSizing(ctx: CommandContext, s: ControlSizing, config: Config): void {
  const e = config.evaluation;
  const fields = { ...s, minEffect: e.min_effect, targetPower: e.power };
  if (s.basis === 'power' && !s.reachesPower)
    ctx.log.warn(
      fields,
      `the control group (${Math.round(s.control)} of ${s.band}) detects a ${(e.min_effect * 100).toFixed(1)}-point ` +
        `effect with only ${(s.power * 100).toFixed(0)}% power (${(e.power * 100).toFixed(0)}% wanted), ` +
        `even at evaluation.max_control_share ${e.max_control_share}`,
    );
  else ctx.log.info(fields, 'control group sized');
}
