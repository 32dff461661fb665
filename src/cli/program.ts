/**
 * The commander program: declarations only. Each action normalises its flags into a typed options
 * object, lazily imports commands/<verb>.js and calls it with a CommandContext.
 */
import { Command, Option } from 'commander';
import { LOG_LEVELS, type LogLevel } from '../log.js';
import { VERSION } from '../version.js';
import type { CommandContext } from './context.js';

export interface GlobalOptions {
  logLevel: LogLevel;
  quiet: boolean;
}

export type ContextFactory = (global: GlobalOptions) => CommandContext;

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

  return program;
}
