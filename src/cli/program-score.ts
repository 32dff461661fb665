/** `retain score`: its flags, and the options object they become (see program.ts). */
import { type Command, Option } from 'commander';
import { parseShard } from '../pipeline/shard.js';
import type { CommandContext } from './context.js';
import {
  bomOption,
  cdrOption,
  columnName,
  configOption,
  controlShare,
  formatOption,
  outOption,
  outputPath,
  rejectsOption,
  rejectsPath,
  seedOption,
  threadsOption,
  threadsWithinCores,
  wholeNumber,
} from './options.js';

export function declareScore(program: Command, context: (cmd: Command) => CommandContext): void {
  program
    .command('score')
    .description('score the latest billing month: stages, tiers, triggers, churn risk and the call lists')
    .argument('[billing...]', 'billing files: the latest month is scored, earlier months are history')
    .addOption(cdrOption())
    .option('--table <file>', 'score a wide table (one row per subscriber) with a model trained on --table')
    .option('--id <column>', 'with --table: the subscriber id column', columnName)
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
        out: outputPath(ctx.cwd, '--out', o.out, 'the output folder', true),
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
        rejects: rejectsPath(ctx.cwd, o.rejects),
        shard: o.shard === undefined ? null : parseShard(o.shard),
        threads,
        targetBy: o.targetBy,
        upliftModel: o.upliftModel ?? null,
        splitBy: o.splitBy ?? null,
      });
    });
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
