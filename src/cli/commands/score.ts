/** `retain score`: read a month's billing (+ history, + CDRs), score with a model, write the lists atomically. */
import { resolve } from 'node:path';
import { formatMonth } from '../../calendar.js';
import { LISTS } from '../../contract.js';
import { InputError } from '../../errors.js';
import { loadConfigFile, readOutcomes } from '../../io/index.js';
import { type ControlSizing, type PowerSettings, warningCapacity } from '../../lifecycle/index.js';
import { DEFAULT_MODEL_PATH } from '../../paths.js';
import { judgeCoverage } from '../../pipeline/coverage.js';
import { loadModel, requireMode } from '../../pipeline/model.js';
import { checkScoreInput, scoreSubscribers } from '../../pipeline/score.js';
import {
  defaultScoreFolder,
  monthFactSettingsOf,
  scoredMonthFacts,
  scoreShardMeta,
  scoreSummary,
} from '../../pipeline/score-summary.js';
import { controlSettingsOf, withControlShare } from '../../pipeline/settings.js';
import { NO_REFERENCE_REASON } from '../../report/index.js';
import { parseUpliftModel } from '../../uplift/index.js';
import type { CommandContext } from '../context.js';
import { phaseTimer } from '../phases.js';
import { driftUnavailable, measureDrift } from './drift.js';
import { parseMonthFlag, readRunInputs } from './inputs.js';
import { checkSplitColumn, claimOut, runRecord, writeScoreFolder } from './outputs.js';
import {
  checkListDate,
  checkScoreUsage,
  parseListDate,
  readModelFile,
  runPaths,
  type ScoreOptions,
} from './score-options.js';
import { modelAndConfig, scoreWideTable } from './score-table.js';

export type { ScoreOptions } from './score-options.js';

export async function score(ctx: CommandContext, o: ScoreOptions): Promise<void> {
  const upliftPath = checkScoreUsage(ctx, o);
  const timer = phaseTimer(ctx.log);
  const listDate = parseListDate(o.listDate);
  const pinned = parseMonthFlag(o.month);
  if (pinned !== null) checkListDate(listDate, pinned);
  const { config: loaded, source: configSource } = await loadConfigFile(o.config, ctx.cwd);
  const config = withControlShare(loaded, o.controlShare);
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
    monthFactSettingsOf(config, capacity),
  );
  logControlSizing(ctx, facts.sizing, controlSettingsOf(config));
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

  const defaultOut = defaultScoreFolder(result.month, o.shard);
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

/** `x` to `places` decimals, for a log line: share × band is 5.050000000000001, not 5.05. */
const shown = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/**
 * The sizing goes to the log: a warning only when --control-share auto could not reach the power it
 * was asked for; a fixed share's power is information (evaluate says plainly what it could tell).
 * The expected group sizes are shown to two decimals and the rates to four (summary.json keeps them whole).
 */
function logControlSizing(ctx: CommandContext, s: ControlSizing, aim: PowerSettings): void {
  const fields = {
    ...s,
    share: shown(s.share, 4),
    control: shown(s.control, 2),
    called: shown(s.called, 2),
    expectedChurn: shown(s.expectedChurn, 4),
    power: shown(s.power, 4),
    minEffect: aim.minEffect,
    targetPower: aim.power,
  };
  if (s.basis === 'power' && !s.reachesPower)
    ctx.log.warn(
      fields,
      `the control group (${Math.round(s.control)} of ${s.band}) detects a ${(aim.minEffect * 100).toFixed(1)}-point ` +
        `effect with only ${(s.power * 100).toFixed(0)}% power (${(aim.power * 100).toFixed(0)}% wanted), ` +
        `even at evaluation.max_control_share ${aim.maxControlShare}`,
    );
  else ctx.log.info(fields, 'control group sized');
}
