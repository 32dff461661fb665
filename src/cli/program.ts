/**
 * The commander program: declarations only. Each action normalises its flags into a typed options
 * object, lazily imports commands/<verb>.js and calls it with a CommandContext.
 */
import { Command, Option } from 'commander';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log.js';
import {
  DEFAULT_BOOST_PARAMS,
  DEFAULT_ENGINE,
  DEFAULT_FOREST_PARAMS,
  ENGINE_CHOICES,
  type EngineChoice,
  LAMBDA_SCALINGS,
  type LambdaScaling,
} from '../model/types.js';
import { parseShard } from '../pipeline/shard.js';
import { VERSION } from '../version.js';
import type { CommandContext } from './context.js';
import {
  bomOption,
  boostDefaultOf,
  cdrOption,
  configOption,
  controlShare,
  decimal,
  defaultOf,
  engineOption,
  formatOption,
  givenEngineFlags,
  outOption,
  rejectsOption,
  seedOption,
  threadsOption,
  threadsWithinCores,
  wholeNumber,
} from './options.js';

export interface GlobalOptions {
  logLevel: LogLevel;
  /** Undefined: pretty on a terminal, JSON lines otherwise. */
  logFormat: LogFormat | undefined;
  quiet: boolean;
}

/** The command being run, for the log's start line: its name and the config file it was given. */
export interface CommandInfo {
  readonly name: string;
  readonly config: string | undefined;
}

export type ContextFactory = (global: GlobalOptions, command: CommandInfo) => CommandContext;

/** The flags the user gave: an engine fills in its own defaults for the rest. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ logLevel: LogLevel; logFormat?: LogFormat; quiet: boolean }>();
  return {
    logLevel: o.quiet && o.logLevel === 'info' ? 'warn' : o.logLevel,
    logFormat: o.logFormat,
    quiet: o.quiet,
  };
}

export function buildProgram(makeContext: ContextFactory): Command {
  const program = new Command('retain')
    .description('Subscriber retention for telecom operators: churn risk, lifecycle stages and call lists.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--log-level <level>', 'log level on stderr').choices(LOG_LEVELS).default('info'))
    .addOption(
      new Option(
        '--log-format <format>',
        'log lines on stderr (default: pretty on a terminal, else json)',
      ).choices(LOG_FORMATS),
    )
    .option('-q, --quiet', 'print no human summary on stdout and log only warnings', false)
    .showHelpAfterError('(run retain --help for usage)')
    .exitOverride();

  const context = (cmd: Command) =>
    makeContext(globalOptions(cmd), { name: cmd.name(), config: cmd.opts<{ config?: string }>().config });

  program
    .command('validate')
    .description('check billing or CDR files against the data contract and report bad rows')
    .argument('<files...>', 'billing, CDR or work-order outcome files (CSV, CSV.gz or Arrow IPC)')
    .addOption(
      new Option('--kind <kind>', 'file kind (default: billing or cdr from the header)').choices([
        'billing',
        'cdr',
        'outcomes',
      ]),
    )
    .addOption(configOption())
    .addOption(rejectsOption('bad row'))
    .action(
      async (
        files: string[],
        o: { kind?: 'billing' | 'cdr' | 'outcomes'; config?: string; rejects?: string },
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
    .addOption(cdrOption('CDR files of the same months'))
    .option('--table <file>', 'a wide table, one row per subscriber, instead of billing files')
    .option('--label <column>', 'with --table: the churn label column')
    .option('--id <column>', 'with --table: the subscriber id column (kept out of the features)')
    .addOption(outOption('file', 'model file to write', 'retain-model.json'))
    .option(
      '--month <YYYY-MM>',
      'the last billing month read (it labels the month before); later rows and CDR events are ignored (default: the latest month, refused when it bills far fewer subscribers than the month before)',
    )
    .addOption(
      new Option(
        '--engine <name>',
        `model engine (default ${DEFAULT_ENGINE}; forest under --uplift): auto measures forest and boost on the validation rows and keeps the lower calibrated log-loss`,
      ).choices(ENGINE_CHOICES),
    )
    .addOption(seedOption('random seed'))
    .option(
      '--trees <n>',
      `trees in the forest (default ${DEFAULT_FOREST_PARAMS.trees}), or most boosting rounds (default ${DEFAULT_BOOST_PARAMS.trees}, stopped early)`,
      wholeNumber(1, 100_000),
    )
    .option('--min-leaf <n>', `fewest training rows in a leaf ${defaultOf('minLeaf')}`, wholeNumber(1))
    .option(
      '--max-depth <n>',
      `deepest tree level, 0 for unlimited ${defaultOf('maxDepth')}`,
      wholeNumber(0, 64),
    )
    .addOption(
      engineOption('forest', '--class-weight <weight>', 'class weights for the rare churn class')
        .choices(['none', 'balanced'])
        .default(DEFAULT_FOREST_PARAMS.classWeight),
    )
    .addOption(
      engineOption(
        'boost',
        '--learning-rate <x>',
        `shrinkage of each tree ${boostDefaultOf('learningRate')}`,
        decimal(0, 1, true),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--leaves <n>',
        `most leaves per tree ${boostDefaultOf('maxLeaves')}`,
        wholeNumber(2, 65_536),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--lambda <x>',
        `L2 penalty on leaf values ${boostDefaultOf('lambda')}`,
        decimal(0),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--lambda-scaling <how>',
        `hessian scales the penalty with the rows' mean hessian, so it weighs as many rows as the model grows confident; fixed keeps it ${boostDefaultOf('lambdaScaling')}`,
      ).choices(LAMBDA_SCALINGS),
    )
    .addOption(
      engineOption(
        'boost',
        '--min-hessian <x>',
        `smallest hessian sum in a leaf ${boostDefaultOf('minHessian')}`,
        decimal(0),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--row-share <x>',
        `share of rows drawn for each tree ${boostDefaultOf('rowShare')}`,
        decimal(0, 1, true),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--feature-share <x>',
        `share of features drawn for each tree ${boostDefaultOf('featureShare')}`,
        decimal(0, 1, true),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--early-stopping <n>',
        `rounds without a better validation log-loss before stopping ${boostDefaultOf('earlyStopping', '; 0 = off')}`,
        wholeNumber(0),
      ),
    )
    .addOption(threadsOption('growing trees', 'model', true))
    .addOption(configOption())
    .addOption(rejectsOption())
    .option(
      '--uplift <scored...>',
      "fit an uplift model (how much a call lowers each subscriber's churn) from these retain score folders of past campaign months with a control group; the billing files must include the month after each",
    )
    .action(async (billing: string[], o: TrainFlags, cmd: Command) => {
      const { train } = await import('./commands/train.js');
      const ctx = context(cmd);
      const threads = threadsWithinCores(ctx, o.threads);
      await train(ctx, {
        billing,
        cdr: o.cdr,
        table: o.table ?? null,
        label: o.label ?? null,
        id: o.id ?? null,
        out: o.out,
        month: o.month ?? null,
        seed: o.seed,
        engine: o.engine,
        forest: definedOnly({
          trees: o.trees,
          minLeaf: o.minLeaf,
          maxDepth: o.maxDepth,
          classWeight: o.classWeight,
          threads,
        }),
        boost: definedOnly({
          trees: o.trees,
          minLeaf: o.minLeaf,
          maxDepth: o.maxDepth,
          learningRate: o.learningRate,
          maxLeaves: o.leaves,
          lambda: o.lambda,
          lambdaScaling: o.lambdaScaling,
          minHessian: o.minHessian,
          rowShare: o.rowShare,
          featureShare: o.featureShare,
          earlyStopping: o.earlyStopping,
          threads,
        }),
        engineFlags: givenEngineFlags(cmd),
        config: o.config,
        rejects: o.rejects ?? null,
        uplift: o.uplift ?? [],
      });
    });

  program
    .command('score')
    .description('score the latest billing month: stages, tiers, triggers, churn risk and the call lists')
    .argument('[billing...]', 'billing files: the latest month is scored, earlier months are history')
    .addOption(cdrOption())
    .option('--table <file>', 'score a wide table (one row per subscriber) with a model trained on --table')
    .option('--id <column>', 'with --table: the subscriber id column')
    .option('--model <file>', 'model file (default: the model shipped in models/)')
    .addOption(outOption('dir', 'output folder (default: retain-out/<month>)'))
    .addOption(formatOption('format of scores and lists'))
    .addOption(bomOption('CSV files', ' so spreadsheet programs read them right'))
    .option(
      '--capacity <n>',
      'most subscribers on the warning list (highest revenue at risk first)',
      wholeNumber(1),
    )
    .addOption(seedOption('seed of the control-group draw'))
    .option(
      '--control-share <share>',
      'share of the warning band held out as the control group (0 to 1), or "auto": the smallest that detects evaluation.min_effect with evaluation.power',
      controlShare,
    )
    .option('--list-date <date>', 'date the lists are issued, YYYY-MM-DD (default: the day after the month)')
    .option(
      '--contact-history <files...>',
      'work-order outcome files of earlier lists: nobody a call reached within targets.contact_gap_days is listed again',
      [],
    )
    .option(
      '--month <YYYY-MM>',
      'the month to score; billing rows and CDR events of later months are ignored (default: the latest month, refused when it bills far fewer subscribers than the month before)',
    )
    .option(
      '--strict',
      "refuse (exit 3) rather than warn when the inputs hold less history than the model's features need or a CDR month looks truncated",
      false,
    )
    .option(
      '--shard <I/N>',
      'score only subscribers whose id hashes to shard I of N (e.g. "$JOB_COMPLETION_INDEX/8"); combine with retain merge',
    )
    .addOption(threadsOption('predicting', 'output', true))
    .addOption(
      new Option(
        '--split-by <owner>',
        "also write each owning unit's (or service manager's) lists under targets/by-<owner>/, from the billing's unit or manager column",
      ).choices(['unit', 'manager']),
    )
    .addOption(configOption())
    .addOption(rejectsOption())
    .addOption(
      new Option(
        '--target-by <order>',
        'order of the warning list: risk (revenue at risk) or uplift (expected revenue a call saves, from --uplift-model; negative savings not called)',
      )
        .choices(['risk', 'uplift'])
        .default('risk'),
    )
    .option('--uplift-model <file>', 'with --target-by uplift: the model of retain train --uplift')
    .action(async (billing: string[], o: ScoreFlags, cmd: Command) => {
      const { score } = await import('./commands/score.js');
      const ctx = context(cmd);
      const threads = threadsWithinCores(ctx, o.threads);
      await score(ctx, {
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
        seedGiven: cmd.getOptionValueSource('seed') === 'cli',
        controlShare: o.controlShare ?? null,
        contactHistory: o.contactHistory,
        listDate: o.listDate ?? null,
        month: o.month ?? null,
        strict: o.strict,
        config: o.config,
        rejects: o.rejects ?? null,
        shard: o.shard === undefined ? null : parseShard(o.shard),
        threads,
        targetBy: o.targetBy,
        upliftModel: o.upliftModel ?? null,
        splitBy: o.splitBy ?? null,
      });
    });

  program
    .command('features')
    .description(
      'write the feature frame the model sees (with the churn label where known) to CSV, Arrow or Parquet, to check in a notebook',
    )
    .argument('<billing...>', 'billing files; the latest month is written unless --month or --all-months')
    .addOption(cdrOption())
    .addOption(outOption('file', 'file to write (default: retain-features-<month>.<format>)'))
    .addOption(formatOption('file format'))
    .option('--month <YYYY-MM>', 'the billing month to write (default: the latest)')
    .option('--all-months', 'every billing month of the input, labelled where the next month is known', false)
    .addOption(bomOption('the CSV file'))
    .addOption(threadsOption(null, 'output'))
    .addOption(configOption())
    .addOption(rejectsOption())
    .action(async (billing: string[], o: FeaturesFlags, cmd: Command) => {
      const { features } = await import('./commands/features.js');
      const ctx = context(cmd);
      const threads = threadsWithinCores(ctx, o.threads);
      await features(ctx, {
        billing,
        cdr: o.cdr,
        out: o.out ?? null,
        format: o.format,
        month: o.month ?? null,
        allMonths: o.allMonths,
        bom: o.bom,
        config: o.config,
        rejects: o.rejects ?? null,
        threads,
      });
    });

  program
    .command('merge')
    .description(
      'combine the folders of retain score --shard I/N into the lists one process would have written',
    )
    .argument('<shards...>', 'the shard folders, one per shard')
    .addOption(outOption('dir', 'output folder').makeOptionMandatory())
    .addOption(formatOption('format of scores and lists'))
    .addOption(bomOption('CSV files'))
    .action(
      async (
        shards: string[],
        o: { out: string; format: 'csv' | 'arrow' | 'parquet'; bom: boolean },
        cmd: Command,
      ) => {
        const { merge } = await import('./commands/merge.js');
        await merge(context(cmd), { shards, out: o.out, format: o.format, bom: o.bom });
      },
    );

  program
    .command('report')
    .description(
      'write the monthly report of a scored month: one self-contained HTML file with its charts inline',
    )
    .argument('<scored>', 'a folder written by retain score or retain merge')
    .addOption(outOption('file', 'HTML file to write (default: <scored>/report.html)'))
    .option('--evaluation <file>', 'the JSON of retain evaluate --out, to show the outcome too')
    .option('--history <dirs...>', 'scored folders of earlier months, for the KPI trend', [])
    .option(
      '--model <file>',
      'the model that scored the folder (default: the shipped model, if it is that one)',
    )
    .addOption(configOption(', for report.currency'))
    .option('--top <n>', 'rows of the warning list to show', wholeNumber(0, 10_000), 50)
    .action(
      async (
        scored: string,
        o: {
          out?: string;
          evaluation?: string;
          history: string[];
          model?: string;
          config?: string;
          top: number;
        },
        cmd: Command,
      ) => {
        const { report } = await import('./commands/report.js');
        await report(context(cmd), {
          scored,
          out: o.out ?? null,
          evaluation: o.evaluation ?? null,
          history: o.history,
          model: o.model ?? null,
          config: o.config,
          top: o.top,
        });
      },
    );

  program
    .command('evaluate')
    .description(
      'measure a scored month against who actually left: AUC, lift, capture, and the effect of the calls against the control group',
    )
    .argument('<scored>', 'a folder written by retain score')
    .argument('<next>', "the next month's billing file")
    .addOption(outOption('file', 'also write the evaluation as JSON'))
    .option(
      '--outcomes <files...>',
      "the call centre's work-order outcomes for the scored month: who was reached, with which action",
      [],
    )
    .addOption(configOption())
    .addOption(rejectsOption('bad outcome row'))
    .action(async (scored: string, next: string, o: EvaluateFlags, cmd: Command) => {
      const { evaluateCommand } = await import('./commands/evaluate.js');
      await evaluateCommand(context(cmd), {
        scored,
        next,
        out: o.out ?? null,
        config: o.config,
        outcomes: o.outcomes,
        rejects: o.rejects ?? null,
      });
    });

  program
    .command('inspect')
    .description('print what a model is: engine, training, metrics, top features, segments, schema')
    .argument('[model]', 'model file (default: the model shipped in models/)')
    .option('--json', 'print it as JSON', false)
    .option('--top <n>', 'features to list', wholeNumber(1, 10_000), 10)
    .action(async (model: string | undefined, o: { json: boolean; top: number }, cmd: Command) => {
      const { inspect } = await import('./commands/inspect.js');
      await inspect(context(cmd), { model: model ?? null, json: o.json, top: o.top });
    });

  return program;
}

interface TrainFlags {
  cdr: string[];
  table?: string;
  label?: string;
  id?: string;
  out: string;
  month?: string;
  engine?: EngineChoice;
  seed: number;
  trees?: number;
  minLeaf?: number;
  maxDepth?: number;
  classWeight: 'none' | 'balanced';
  learningRate?: number;
  leaves?: number;
  lambda?: number;
  lambdaScaling?: LambdaScaling;
  minHessian?: number;
  rowShare?: number;
  featureShare?: number;
  earlyStopping?: number;
  threads: number;
  config?: string;
  rejects?: string;
  uplift?: string[];
}

interface FeaturesFlags {
  cdr: string[];
  out?: string;
  format: 'csv' | 'arrow' | 'parquet';
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
  format: 'csv' | 'arrow' | 'parquet';
  bom: boolean;
  capacity?: number;
  seed: number;
  controlShare?: number | 'auto';
  contactHistory: string[];
  listDate?: string;
  month?: string;
  strict: boolean;
  config?: string;
  rejects?: string;
  shard?: string;
  threads: number;
  targetBy: 'risk' | 'uplift';
  upliftModel?: string;
  splitBy?: 'unit' | 'manager';
}

interface EvaluateFlags {
  out?: string;
  outcomes: string[];
  config?: string;
  rejects?: string;
}
