/** `retain train`: billing (+ CDR) mode or `--table` mode → one model file. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { dropLosesData } from '../../features/index.js';
import { checkOutputFile, loadConfig, readCellTable, writeOwnedFile } from '../../io/index.js';
import { type ModelFileContent, serializeModel } from '../../model/persist.js';
import {
  type BoostParams,
  DEFAULT_ENGINE,
  type EngineChoice,
  type EngineName,
  type ForestParams,
} from '../../model/types.js';
import type { Phase } from '../../pipeline/engine-model.js';
import { subscriberTrainingLines, tableTrainingLines } from '../../pipeline/train-summary.js';
import { trainTableModel } from '../../pipeline/train-table.js';
import { VERSION } from '../../version.js';
import type { CommandContext } from '../context.js';
import { type EngineFamily, refuseSameOutput, refuseTableFlags } from '../options.js';
import { phaseTimer } from '../phases.js';
import { createProgress, type Progress } from '../progress.js';
import { parseMonthFlag, readRunInputs } from './inputs.js';

export interface TrainOptions {
  billing: string[];
  cdr: string[];
  table: string | null;
  label: string | null;
  id: string | null;
  out: string;
  /** YYYY-MM: the last billing month read; later rows are ignored. Default: the latest. */
  month: string | null;
  seed: number;
  /** Default: DEFAULT_ENGINE for a churn model, forest for an uplift model. */
  engine?: EngineChoice;
  forest: Partial<ForestParams>;
  boost: Partial<BoostParams>;
  config: string | undefined;
  rejects: string | null;
  /** Scored folders of past campaign months: fit an uplift model from them instead of a churn model. */
  uplift?: string[];
  /** The engine-only flags given, each with the engines it is for (unused ones are warned of). */
  engineFlags?: readonly { flag: string; family: EngineFamily }[];
}

/** Warns of the engine-only flags the engine(s) in use do not read: they change nothing. */
function warnUnreadFlags(
  ctx: CommandContext,
  engine: EngineChoice,
  given: TrainOptions['engineFlags'],
): void {
  const families: EngineFamily[] =
    engine === 'auto' ? ['boost', 'forest'] : engine === 'boost' ? ['boost'] : ['forest'];
  for (const family of ['boost', 'forest'] as const) {
    if (families.includes(family)) continue;
    const flags = (given ?? []).filter((g) => g.family === family).map((g) => g.flag);
    if (flags.length === 0) continue;
    const what = family === 'boost' ? 'boosting' : 'the forest';
    ctx.log.warn(
      `${flags.join(', ')} set${flags.length === 1 ? 's' : ''} ${what}, which --engine ${engine} does not fit: ignored`,
    );
  }
}

/** Warns of --gradient-sample-from beside a row share below 1, which draws each tree's rows instead. */
function warnOverriddenSampling(
  ctx: CommandContext,
  engine: EngineChoice,
  boost: Partial<BoostParams>,
): void {
  if (engine !== 'boost' && engine !== 'auto') return;
  if (boost.gradientSampleFrom === undefined || (boost.rowShare ?? 1) >= 1) return;
  ctx.log.warn(
    `--gradient-sample-from does not apply with --row-share ${boost.rowShare}, which draws each tree's rows at random instead: ignored`,
  );
}

/** Training time stamp: SOURCE_DATE_EPOCH (seconds) when set, for reproducible model files; else the clock. */
export function trainedAt(ctx: CommandContext): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return ctx.now().toISOString();
}

/** Flags that do not change the model: left out of the recorded command so equal models give equal files. */
const NOT_MODEL_FLAGS = new Set(['--threads', '--out', '--log-level', '--rejects']);

/** The command line recorded in the model, to reproduce it. */
export function modelCommand(args: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag] = a.split('=', 1);
    if (a === '-q' || a === '--quiet') continue;
    if (NOT_MODEL_FLAGS.has(flag!)) {
      if (!a.includes('=')) i++;
      continue;
    }
    kept.push(a);
  }
  return ['retain', ...kept].join(' ');
}

function progressFor(ctx: CommandContext, trees: number) {
  const bars = new Map<Phase, Progress>();
  return {
    update(phase: Phase, done: number, total: number) {
      let bar = bars.get(phase);
      if (!bar) {
        bar = createProgress(ctx.stderr, ctx.stderrIsTTY, phase === 'fit' ? 'training' : 'validating', trees);
        bars.set(phase, bar);
      }
      bar.update(done, total);
      if (done === total) bar.done();
    },
  };
}

export async function train(ctx: CommandContext, o: TrainOptions): Promise<void> {
  if (o.table !== null && o.billing.length > 0)
    throw new UsageError('give billing files or --table, not both');
  if (o.table === null && o.billing.length === 0)
    throw new UsageError('give billing files to train on, or --table FILE');
  if (o.table !== null && o.label === null) throw new UsageError('--table needs --label COLUMN');
  if (o.table !== null && o.id !== null && o.id === o.label)
    throw new UsageError(`--id and --label both name the column "${o.id}": the label cannot be the id`);
  if (o.table !== null && o.uplift && o.uplift.length > 0)
    throw new UsageError('--uplift learns from billing files and scored folders, not from --table');
  // A table is read whole (a malformed row fails the run) and has no months: these would be ignored.
  if (o.table !== null)
    refuseTableFlags([
      o.month !== null && '--month',
      o.cdr.length > 0 && '--cdr',
      o.rejects !== null && '--rejects',
    ]);
  const month = parseMonthFlag(o.month);
  refuseSameOutput(ctx.cwd, o.out, o.rejects);
  const out = resolve(ctx.cwd, o.out);
  // Refused before training, not after: a folder, or a file that is not a retain model.
  checkOutputFile(out, 'model', '--out');
  const uplift = o.uplift !== undefined && o.uplift.length > 0;
  // An uplift model's engine is the forest unless boost or ml-random-forest is named.
  const upliftEngine: EngineName = o.engine === undefined || o.engine === 'auto' ? 'forest' : o.engine;
  const engine: EngineChoice = uplift ? upliftEngine : (o.engine ?? DEFAULT_ENGINE);
  warnUnreadFlags(ctx, engine, o.engineFlags);
  warnOverriddenSampling(ctx, engine, o.boost);
  const timer = phaseTimer(ctx.log);
  const common = {
    engine,
    forest: o.forest,
    boost: o.boost,
    seed: o.seed,
    trainedAt: trainedAt(ctx),
    command: modelCommand(ctx.args),
    packageVersion: VERSION,
    onProgress: progressFor(ctx, o.forest.trees ?? 100).update,
    onNotice: (message: string) => ctx.log.warn(message),
    onPhase: timer.start,
  };
  let lines: string[];
  let content: Awaited<ReturnType<typeof trainTableModel>>['content'];
  timer.start('read');
  if (o.table !== null) {
    // Of the config, a table's training uses the segment settings.
    const config = await loadConfig(o.config, ctx.cwd);
    const raw = await readCellTable(resolve(ctx.cwd, o.table), {
      text: o.id ? [o.id] : [],
      threads: o.forest.threads ?? 0,
    });
    const r = await trainTableModel({
      ...common,
      raw,
      label: o.label!,
      ...(o.id ? { id: o.id } : {}),
      testShare: 0.3,
      segments: config.segments,
    });
    content = r.content;
    for (const d of r.report.encoding.dropped) {
      const which = d.column.trim() === '' ? 'a column' : `column ${d.column}`;
      const said = `${o.table}: ${which} not used: ${d.reason}`;
      if (dropLosesData(d.reason)) ctx.log.warn({ file: o.table, column: d.column }, said);
      else ctx.log.info({ file: o.table, column: d.column }, said);
    }
    for (const n of r.report.encoding.notes)
      ctx.log.warn({ file: o.table, column: n.column }, `${o.table}: column ${n.column}: ${n.note}`);
    lines = tableTrainingLines(r.report);
  } else {
    const config = await loadConfig(o.config, ctx.cwd);
    const inputs = await readRunInputs(ctx, {
      billing: o.billing,
      cdr: o.cdr,
      config,
      rejects: o.rejects,
      threads: o.forest.threads ?? 0,
      month,
    });
    if (inputs.setAside.unnamed > 0)
      ctx.log.warn(
        { rows: inputs.setAside.unnamed },
        `${inputs.setAside.unnamed} billing rows set aside as bad name no subscriber or month that can be read: any of their subscribers billed the month before is labelled churned`,
      );
    if (uplift) {
      // Loaded here: the uplift learners, evaluation and report modules are no part of a churn training.
      const { trainUplift } = await import('./train-uplift.js');
      const done = await trainUplift(ctx, {
        ...common,
        scored: o.uplift ?? [],
        billing: inputs.billing,
        cdr: inputs.cdr,
        config,
        engine: upliftEngine,
        params: engine === 'boost' ? o.boost : o.forest,
        out,
      });
      timer.finish();
      if (!ctx.quiet) ctx.stdout.write(`${done.join('\n')}\n`);
      return;
    }
    const { trainSubscriberModel } = await import('../../pipeline/train.js');
    const r = await trainSubscriberModel({
      ...common,
      billing: inputs.billing,
      cdr: inputs.cdr,
      setAside: inputs.setAside,
      config,
    });
    content = r.content;
    lines = subscriberTrainingLines(r.report);
  }
  warnIfConstant(ctx, content);
  timer.start('write');
  const text = serializeModel(content);
  const written = await writeOwnedFile(out, 'model', '--out', (tmp) => writeFile(tmp, text));
  ctx.log.info({ model: written, bytes: text.length }, 'model written');
  timer.finish();
  if (!ctx.quiet) ctx.stdout.write(`${lines.join('\n')}\nmodel: ${written}\n`);
}

/**
 * A model none of whose trees split scores every subscriber alike: trained without error and written,
 * it would rank no one. Said, with the usual cause: a leaf minimum too large for the rows (boosting's
 * default of 20 leaves no split in a table of a few dozen rows).
 */
function warnIfConstant(ctx: CommandContext, content: ModelFileContent): void {
  if (Object.values(content.importances).some((v) => v > 0)) return;
  const { rows, params } = content.training;
  const minLeaf = typeof params.minLeaf === 'number' ? params.minLeaf : null;
  ctx.log.warn(
    { rows, minLeaf },
    `the model learnt nothing: no tree split on ${rows} training rows${minLeaf === null ? '' : ` with leaves of at least ${minLeaf} rows`}, so it gives every subscriber the same score; lower --min-leaf, or train on more rows`,
  );
}
