/**
 * The commander program: declarations only. Each action normalises its flags into a typed options
 * object, lazily imports commands/<verb>.js and calls it with a CommandContext.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevel } from '../log.js';
import { parseShard } from '../pipeline/shard.js';
import { VERSION } from '../version.js';
import type { CommandContext } from './context.js';

export interface GlobalOptions {
  logLevel: LogLevel;
  quiet: boolean;
}

export type ContextFactory = (global: GlobalOptions) => CommandContext;

/** A commander parser for whole numbers in [min, max]; a bad value is a usage error (exit 2). */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const v = Number(text);
    if (!/^\d+$/.test(text.trim()) || v < min || v > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`,
      );
    }
    return v;
  };
}

function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ logLevel: LogLevel; quiet: boolean }>();
  return { logLevel: o.quiet && o.logLevel === 'info' ? 'warn' : o.logLevel, quiet: o.quiet };
}

export function buildProgram(makeContext: ContextFactory): Command {
  const program = new Command('retain')
    .description('Subscriber retention for telecom operators: churn risk, lifecycle stages and call lists.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--log-level <level>', 'log level on stderr').choices(LOG_LEVELS).default('info'))
    .option('-q, --quiet', 'print no human summary on stdout and log only warnings', false)
    .showHelpAfterError('(run retain --help for usage)')
    .exitOverride();

  const context = (cmd: Command) => makeContext(globalOptions(cmd));

  program
    .command('validate')
    .description('check billing or CDR files against the data contract and report bad rows')
    .argument('<files...>', 'billing or CDR files (CSV, CSV.gz or Arrow IPC)')
    .addOption(
      new Option('--kind <kind>', 'file kind (default: from the header)').choices(['billing', 'cdr']),
    )
    .option('--config <file>', 'config file (default: retain.config.json when present)')
    .option('--rejects <file>', 'write every bad row to this CSV')
    .action(
      async (
        files: string[],
        o: { kind?: 'billing' | 'cdr'; config?: string; rejects?: string },
        cmd: Command,
      ) => {
        const { validate } = await import('./commands/validate.js');
        await validate(context(cmd), { files, kind: o.kind, config: o.config, rejects: o.rejects });
      },
    );

  program
    .command('train')
    .description('train a churn model from billing (+ CDR) files, or from a wide table with --table')
    .argument('[billing...]', 'billing files; labels come from consecutive months')
    .option('--cdr <files...>', 'CDR files of the same months', [])
    .option('--table <file>', 'a wide table, one row per subscriber, instead of billing files')
    .option('--label <column>', 'with --table: the churn label column')
    .option('--id <column>', 'with --table: the subscriber id column (kept out of the features)')
    .option('--out <file>', 'model file to write', 'retain-model.json')
    .addOption(
      new Option('--engine <name>', 'forest engine')
        .choices(['forest', 'ml-random-forest'])
        .default('forest'),
    )
    .option('--seed <n>', 'random seed', wholeNumber(0, 2 ** 32 - 1), 1)
    .option('--trees <n>', 'trees in the forest', wholeNumber(1, 100_000), 100)
    .option('--min-leaf <n>', 'fewest training rows in a leaf', wholeNumber(1), 5)
    .option('--max-depth <n>', 'deepest tree level (0 = unlimited)', wholeNumber(0), 0)
    .addOption(
      new Option('--class-weight <weight>', 'class weights for the rare churn class')
        .choices(['none', 'balanced'])
        .default('none'),
    )
    .option(
      '--threads <n>',
      'threads reading CDR files and growing trees (0 = all cores; for CDRs at most 8, as memory allows); the model does not depend on it',
      wholeNumber(0, 1024),
      0,
    )
    .option('--config <file>', 'config file (default: retain.config.json when present)')
    .option('--rejects <file>', 'write every bad input row to this CSV')
    .action(async (billing: string[], o: TrainFlags, cmd: Command) => {
      const { train } = await import('./commands/train.js');
      await train(context(cmd), {
        billing,
        cdr: o.cdr,
        table: o.table ?? null,
        label: o.label ?? null,
        id: o.id ?? null,
        out: o.out,
        seed: o.seed,
        engine: o.engine,
        forest: {
          trees: o.trees,
          minLeaf: o.minLeaf,
          maxDepth: o.maxDepth,
          classWeight: o.classWeight,
          threads: o.threads,
        },
        config: o.config,
        rejects: o.rejects ?? null,
      });
    });

  program
    .command('score')
    .description('score the latest billing month: stages, tiers, triggers, churn risk and the call lists')
    .argument('[billing...]', 'billing files: the latest month is scored, earlier months are history')
    .option('--cdr <files...>', 'CDR files', [])
    .option('--table <file>', 'score a wide table (one row per subscriber) with a model trained on --table')
    .option('--id <column>', 'with --table: the subscriber id column')
    .option('--model <file>', 'model file (default: the model shipped in models/)')
    .option('--out <dir>', 'output folder (default: retain-out/<month>)')
    .addOption(
      new Option('--format <format>', 'format of scores and lists').choices(['csv', 'arrow']).default('csv'),
    )
    .option('--bom', 'start CSV files with a byte order mark so spreadsheet programs read them right', false)
    .option(
      '--capacity <n>',
      'most subscribers on the warning list (highest revenue at risk first)',
      wholeNumber(1),
    )
    .option('--seed <n>', 'seed of the control-group draw', wholeNumber(0, 2 ** 32 - 1), 1)
    .option('--list-date <date>', 'date the lists are issued, YYYY-MM-DD (default: the day after the month)')
    .option(
      '--shard <I/N>',
      'score only subscribers whose id hashes to shard I of N (e.g. "$JOB_COMPLETION_INDEX/8"); combine with retain merge',
    )
    .option(
      '--threads <n>',
      'threads reading CDR files and predicting (0 = all cores; for CDRs at most 8, as memory allows); the output does not depend on it',
      wholeNumber(0, 1024),
      0,
    )
    .option('--config <file>', 'config file (default: retain.config.json when present)')
    .option('--rejects <file>', 'write every bad input row to this CSV')
    .action(async (billing: string[], o: ScoreFlags, cmd: Command) => {
      const { score } = await import('./commands/score.js');
      await score(context(cmd), {
        billing,
        cdr: o.cdr,
        table: o.table ?? null,
        id: o.id ?? null,
        model: o.model ?? null,
        out: o.out ?? null,
        format: o.format,
        bom: o.bom,
        capacity: o.capacity ?? null,
        seed: o.seed,
        listDate: o.listDate ?? null,
        config: o.config,
        rejects: o.rejects ?? null,
        shard: o.shard === undefined ? null : parseShard(o.shard),
        threads: o.threads,
      });
    });

  program
    .command('features')
    .description(
      'write the feature frame the model sees (with the churn label where known) to CSV or Arrow, to check in a notebook',
    )
    .argument('<billing...>', 'billing files; the latest month is written unless --month or --all-months')
    .option('--cdr <files...>', 'CDR files', [])
    .option('--out <file>', 'file to write (default: retain-features-<month>.csv or .arrow)')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'arrow']).default('csv'))
    .option('--month <YYYY-MM>', 'the billing month to write (default: the latest)')
    .option('--all-months', 'every billing month of the input, labelled where the next month is known', false)
    .option('--bom', 'start the CSV file with a byte order mark', false)
    .option(
      '--threads <n>',
      'threads reading CDR files (0 = all cores, at most 8 as memory allows); the output does not depend on it',
      wholeNumber(0, 1024),
      0,
    )
    .option('--config <file>', 'config file (default: retain.config.json when present)')
    .option('--rejects <file>', 'write every bad input row to this CSV')
    .action(async (billing: string[], o: FeaturesFlags, cmd: Command) => {
      const { features } = await import('./commands/features.js');
      await features(context(cmd), {
        billing,
        cdr: o.cdr,
        out: o.out ?? null,
        format: o.format,
        month: o.month ?? null,
        allMonths: o.allMonths,
        bom: o.bom,
        config: o.config,
        rejects: o.rejects ?? null,
        threads: o.threads,
      });
    });

  program
    .command('merge')
    .description(
      'combine the folders of retain score --shard I/N into the lists one process would have written',
    )
    .argument('<shards...>', 'the shard folders, one per shard')
    .requiredOption('--out <dir>', 'output folder')
    .addOption(
      new Option('--format <format>', 'format of scores and lists').choices(['csv', 'arrow']).default('csv'),
    )
    .option('--bom', 'start CSV files with a byte order mark', false)
    .action(
      async (shards: string[], o: { out: string; format: 'csv' | 'arrow'; bom: boolean }, cmd: Command) => {
        const { merge } = await import('./commands/merge.js');
        await merge(context(cmd), { shards, out: o.out, format: o.format, bom: o.bom });
      },
    );

  program
    .command('report')
    .description(
      'write a self-contained HTML report of a scored month (KPIs, stages, tiers, segments, lists)',
    )
    .argument('<scored>', 'a folder written by retain score or retain merge')
    .option('--out <file>', 'HTML file to write (default: <scored>/report.html)')
    .option('--evaluation <file>', 'the JSON of retain evaluate --out, to show the outcome too')
    .option('--top <n>', 'rows of the warning list to show', wholeNumber(0, 10_000), 50)
    .action(async (scored: string, o: { out?: string; evaluation?: string; top: number }, cmd: Command) => {
      const { report } = await import('./commands/report.js');
      await report(context(cmd), {
        scored,
        out: o.out ?? null,
        evaluation: o.evaluation ?? null,
        top: o.top,
      });
    });

  program
    .command('evaluate')
    .description(
      'measure a scored month against who actually left: AUC, lift, and the warning list against its control group',
    )
    .argument('<scored>', 'a folder written by retain score')
    .argument('<next>', "the next month's billing file")
    .option('--out <file>', 'also write the evaluation as JSON')
    .option('--config <file>', 'config file (default: retain.config.json when present)')
    .action(async (scored: string, next: string, o: { out?: string; config?: string }, cmd: Command) => {
      const { evaluateCommand } = await import('./commands/evaluate.js');
      await evaluateCommand(context(cmd), { scored, next, out: o.out ?? null, config: o.config });
    });

  return program;
}

interface TrainFlags {
  cdr: string[];
  table?: string;
  label?: string;
  id?: string;
  out: string;
  engine: 'forest' | 'ml-random-forest';
  seed: number;
  trees: number;
  minLeaf: number;
  maxDepth: number;
  classWeight: 'none' | 'balanced';
  threads: number;
  config?: string;
  rejects?: string;
}

interface FeaturesFlags {
  cdr: string[];
  out?: string;
  format: 'csv' | 'arrow';
  month?: string;
  allMonths: boolean;
  bom: boolean;
  threads: number;
  config?: string;
  rejects?: string;
}

interface ScoreFlags {
  cdr: string[];
  table?: string;
  id?: string;
  model?: string;
  out?: string;
  format: 'csv' | 'arrow';
  bom: boolean;
  capacity?: number;
  seed: number;
  listDate?: string;
  config?: string;
  rejects?: string;
  shard?: string;
  threads: number;
}
