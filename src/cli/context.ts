import type { Logger } from '../log.js';

/** What every command receives from the entry point: streams, logger, clock and working folder. */
export interface CommandContext {
  readonly log: Logger;
  /** Data and short human summaries. */
  readonly stdout: NodeJS.WritableStream;
  /** Diagnostics and the progress bar. */
  readonly stderr: NodeJS.WritableStream;
  readonly stderrIsTTY: boolean;
  readonly cwd: string;
  readonly now: () => Date;
  /** --quiet: no human summary on stdout. */
  readonly quiet: boolean;
  /** The arguments the command line was run with (without node and the script), for the record. */
  readonly args: readonly string[];
}
