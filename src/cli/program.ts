/**
 * The commander program: declarations only. Each action normalises its flags into a typed options
 * object, lazily imports commands/<verb>.js and calls it with a CommandContext. `train` and `score`,
 * whose flags are most, are declared in program-train.ts and program-score.ts.
 */
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log.js';
import { VERSION } from '../version.js';
import type { CommandContext } from './context.js';
import {
  bomOption,
  cdrOption,
  configOption,
  featuresOut,
  formatOption,
  outOption,
  outputPath,
  rejectsOption,
  rejectsPath,
  threadsOption,
  threadsWithinCores,
  wholeNumber,
} from './options.js';
import { declareScore } from './program-score.js';
import { declareTrain } from './program-train.js';

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
        const ctx = context(cmd);
        const rejects = rejectsPath(ctx.cwd, o.rejects) ?? undefined;
        const { validate } = await import('./commands/validate.js');
        await validate(ctx, { files, kind: o.kind, config: o.config, rejects });
      },
    );

  declareTrain(program, context);
  declareScore(program, context);

  program
    .command('features')
    .description(
      'write the feature frame the model sees (with the churn label where known) to CSV, Arrow or Parquet, to check in a notebook',
    )
    .argument('<billing...>', 'billing files; the latest month is written unless --month or --all-months')
    .addOption(cdrOption())
    .addOption(
      outOption(
        'file',
        'file to write, or - for standard output as CSV (default: retain-features-<month>.<format>)',
      ),
    )
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
        out: featuresOut(ctx.cwd, o.out, o.format),
        format: o.format,
        month: o.month ?? null,
        allMonths: o.allMonths,
        bom: o.bom,
        config: o.config,
        rejects: rejectsPath(ctx.cwd, o.rejects),
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
        const ctx = context(cmd);
        const out = outputPath(ctx.cwd, '--out', o.out, 'the output folder', true);
        const { merge } = await import('./commands/merge.js');
        await merge(ctx, { shards, out, format: o.format, bom: o.bom });
      },
    );

  program
    .command('report')
    .description(
      'write the monthly report of a scored month: one self-contained HTML file with its charts inline',
    )
    .argument('<scored>', 'a folder written by retain score or retain merge')
    .addOption(outOption('file', 'HTML file to write (default: <scored>/report.html)'))
    .option(
      '--evaluation <file>',
      'the JSON of retain evaluate --out of this scored folder (its manifest is matched), to show the outcome too',
    )
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
        const ctx = context(cmd);
        const out = outputPath(ctx.cwd, '--out', o.out, 'the report');
        const { report } = await import('./commands/report.js');
        await report(ctx, {
          scored,
          out,
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
      const ctx = context(cmd);
      const out = outputPath(ctx.cwd, '--out', o.out, 'the evaluation');
      const rejects = rejectsPath(ctx.cwd, o.rejects);
      const { evaluateCommand } = await import('./commands/evaluate.js');
      await evaluateCommand(ctx, { scored, next, out, config: o.config, outcomes: o.outcomes, rejects });
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

  for (const command of [program, ...program.commands]) refuseRepeatedValues(command);
  return program;
}

/**
 * A flag that takes one value, given twice (`--table a.csv --table b.csv`), is a usage error: commander
 * would keep the last without a word, and which one was meant cannot be told. Flags of several values
 * (`--cdr FILES...`) and switches are left alone.
 */
function refuseRepeatedValues(command: Command): void {
  for (const option of command.options) {
    if (option.variadic || !(option.required || option.optional)) continue;
    let given = false;
    command.on(`option:${option.name()}`, () => {
      if (given) throw new UsageError(`${option.long ?? option.short} is given twice; give it once`);
      given = true;
    });
  }
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

interface EvaluateFlags {
  out?: string;
  outcomes: string[];
  config?: string;
  rejects?: string;
}
