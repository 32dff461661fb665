/** `retain score`: read a month's billing (+ history, + CDRs), score with a model, write the lists atomically. */
import { basename, join, resolve } from 'node:path';
import { formatMonth, parseDate } from '../../calendar.js';
import { LISTS } from '../../contract.js';
import { ModelError, UsageError } from '../../errors.js';
import { commitOutputDir, loadConfig, readRawTable, readText, writeTableSet } from '../../io/index.js';
import { DEFAULT_MODEL_PATH } from '../../paths.js';
import { SHARD_FORMAT, SHARD_VERSION, type ShardMeta } from '../../pipeline/merge.js';
import { type LoadedModel, loadModel } from '../../pipeline/model.js';
import { scoreSubscribers } from '../../pipeline/score.js';
import { scoreTable } from '../../pipeline/score-table.js';
import type { Shard } from '../../pipeline/shard.js';
import { retentionKpis, summarize } from '../../report/index.js';
import type { CommandContext } from '../context.js';
import { readRunInputs } from './inputs.js';
import { type OutputFormat, outputTable, writeScoreFolder } from './outputs.js';

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
  /** YYYY-MM-DD the lists are issued; due dates count from it. Default: the day after the scored month. */
  listDate: string | null;
  config: string | undefined;
  rejects: string | null;
  /** Score only this shard's subscribers; `retain merge` combines the shards. */
  shard: Shard | null;
  /** Threads reading CDR files and predicting (0 = all cores); the output does not depend on it. */
  threads: number;
}

export function readModelFile(path: string): Promise<string> {
  return readText(
    path,
    (why, cause) => new ModelError(`${path}: cannot read the model file (${why})`, { cause }),
  );
}

function parseListDate(text: string | null): number | undefined {
  if (text === null) return undefined;
  const day = parseDate(text);
  if (Number.isNaN(day))
    throw new UsageError(`--list-date ${JSON.stringify(text)} is not a date (YYYY-MM-DD)`);
  return day;
}

export async function score(ctx: CommandContext, o: ScoreOptions): Promise<void> {
  if (o.table !== null && o.billing.length > 0)
    throw new UsageError('give billing files or --table, not both');
  if (o.table === null && o.billing.length === 0) {
    throw new UsageError('give the billing files to score, or --table FILE');
  }
  const listDate = parseListDate(o.listDate);
  const config = await loadConfig(o.config, ctx.cwd);
  const modelPath = o.model === null ? DEFAULT_MODEL_PATH : resolve(ctx.cwd, o.model);
  const model = loadModel(await readModelFile(modelPath), modelPath, o.threads);
  ctx.log.info(
    { model: modelPath, id: model.file.id, trainedAt: model.file.training.trainedAt },
    'model loaded',
  );
  if (model.explainer === null)
    ctx.log.warn(
      'the model carries no node covers (trained by an older retain): reasons stay empty; retrain it',
    );
  if (o.table !== null) return scoreWideTable(ctx, o, o.table, model, modelPath);

  const scoredBilling = await readRunInputs(ctx, {
    billing: o.billing,
    cdr: o.cdr,
    config,
    rejects: o.rejects,
    threads: o.threads,
    ...(o.shard ? { shard: o.shard } : {}),
  });
  const capacity = o.capacity ?? config.targets.capacity;
  const result = await scoreSubscribers({
    billing: scoredBilling.billing,
    cdr: scoredBilling.cdr,
    model,
    modelSource: modelPath,
    config,
    seed: o.seed,
    capacity,
    ...(listDate === undefined ? {} : { listDate }),
  });
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
  const month = formatMonth(result.month);
  const segmentNames = model.segments?.names ?? [];
  const kpis = retentionKpis(scoredBilling.billing, result.month, config);
  const inputs = scoredBilling.files.map((f) => ({
    file: f.path,
    kind: f.kind,
    rows: f.rows,
    rejects: f.rejected,
  }));
  const summary = summarize({
    staged: result.staged,
    targets: result.lists,
    kpis,
    segmentNames,
    modelId: model.file.id,
    inputs,
    ...(o.shard ? { extra: { shard: o.shard } } : {}),
  });

  const outDir = resolve(
    ctx.cwd,
    o.out ?? join('retain-out', o.shard ? `${month}-shard-${o.shard.index}-of-${o.shard.count}` : month),
  );
  const shard: ShardMeta | null = o.shard && {
    format: SHARD_FORMAT,
    version: SHARD_VERSION,
    shard: o.shard,
    month: result.month,
    modelId: model.file.id,
    segmentNames,
    seed: o.seed,
    capacity,
    listDate: result.listDate,
    config,
    kpis,
    inputs,
  };
  await writeScoreFolder(outDir, { listing: result, summary, ...(shard ? { shard } : {}) }, o.format, o.bom);
  ctx.log.info({ out: outDir, subscribers: result.scores.n }, 'scores and lists written');
  if (!ctx.quiet) {
    const counts = LISTS.map((l) => `${l} ${result.lists.lists[l].n}`).join(', ');
    ctx.stdout.write(
      `scored ${result.scores.n} subscribers for ${month}\nlists: ${counts}\n` +
        (result.lists.capped > 0 ? `warning list capped: ${result.lists.capped} cut by --capacity\n` : '') +
        `written to ${outDir}\n`,
    );
  }
}

async function scoreWideTable(
  ctx: CommandContext,
  o: ScoreOptions,
  table: string,
  model: LoadedModel,
  modelPath: string,
): Promise<void> {
  const raw = await readRawTable(resolve(ctx.cwd, table));
  const scores = await scoreTable(raw, model, modelPath, o.id === null ? {} : { id: o.id });
  const outDir = resolve(ctx.cwd, o.out ?? join('retain-out', basename(table).replace(/\.[^.]*$/, '')));
  await commitOutputDir(outDir, async (tmp) => {
    await writeTableSet(tmp, [['scores', outputTable(scores)]], o.format, { bom: o.bom });
  });
  ctx.log.info({ out: outDir, rows: scores.n }, 'scores written');
  if (!ctx.quiet) ctx.stdout.write(`scored ${scores.n} rows of ${table}\nwritten to ${outDir}\n`);
}
