/** The command-line entry: builds the context, runs the program, maps errors to exit codes. */
import { CommanderError } from 'commander';
import { ClosedOutputError, EXIT, RetainError } from '../errors.js';
import { noteOnStop } from '../io/abort-cleanup.js';
import { configFileInUse } from '../io/config-path.js';
import { createLogger, type LogFormat } from '../log.js';
import { VERSION } from '../version.js';
import type { CommandContext } from './context.js';
import { buildProgram, type CommandInfo, type GlobalOptions } from './program.js';
import { isStreamWriteError, standardOutputError, watchStandardOutput } from './standard-output.js';

export interface MainIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stderrIsTTY: boolean;
  cwd: string;
  now: () => Date;
}

const processIO = (): MainIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  now: () => new Date(),
});

/** The run's command, its context and when it started, once the command line has named them. */
interface Started {
  readonly command: string;
  readonly ctx: CommandContext;
  readonly json: boolean;
  readonly at: number;
  /** Unregisters the note that ends the log if a signal stops the run. */
  readonly unnote: () => void;
}

/** The run's last log record: how long it took, its peak memory and its exit code. */
function logEnd(s: Started, io: MainIO, exitCode: number, signal?: NodeJS.Signals): void {
  s.ctx.log.info(
    {
      command: s.command,
      seconds: (io.now().getTime() - s.at) / 1000,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      exitCode,
      ...(signal ? { signal } : {}),
    },
    'end',
  );
}

/** Runs `retain` with the given arguments (without node and script); resolves to the exit code. */
export async function run(args: readonly string[], io: MainIO = processIO()): Promise<number> {
  // Pretty lines on a terminal, JSON lines anywhere else (a log file, a log shipper), unless told.
  const formatOf = (f: LogFormat | undefined): LogFormat => f ?? (io.stderrIsTTY ? 'pretty' : 'json');
  let started: Started | undefined;
  const makeContext = (g: GlobalOptions, command: CommandInfo): CommandContext => {
    const json = formatOf(g.logFormat) === 'json';
    const ctx: CommandContext = {
      log: createLogger(g.logLevel, io.stderr === process.stderr ? 2 : io.stderr, {
        pretty: !json,
        terminal: io.stderrIsTTY,
      }),
      stdout: io.stdout,
      stderr: io.stderr,
      stderrIsTTY: io.stderrIsTTY,
      cwd: io.cwd,
      now: io.now,
      quiet: g.quiet,
      args,
    };
    const at = io.now().getTime();
    // A run stopped by a signal (a scheduler's timeout, Ctrl-C) while it holds something to undo (an
    // output folder's lock, a temporary) undoes it, says so and ends its log (io/abort-cleanup.ts).
    const unnote = noteOnStop((signal, exitCode) => {
      ctx.log.error({ signal, exitCode }, `stopped by ${signal}`);
      if (started) logEnd(started, io, exitCode, signal);
    });
    started = { command: command.name, ctx, json, at, unnote };
    ctx.log.info(
      { command: command.name, args, config: configFileInUse(command.config, io.cwd), version: VERSION },
      'start',
    );
    return ctx;
  };
  const program = buildProgram(makeContext);
  const jsonBeforeStart = () => formatOf((program.opts() as { logFormat?: LogFormat }).logFormat) === 'json';
  const output = {
    writeOut: (s: string) => io.stdout.write(s),
    // Help and hints that commander writes to stderr: one more JSON line when the log is JSON.
    writeErr: (s: string) =>
      io.stderr.write(
        jsonBeforeStart() && s.trim() !== ''
          ? `${JSON.stringify({ level: 'info', time: io.now().toISOString(), msg: s.trim() })}\n`
          : s,
      ),
    outputError: (s: string) =>
      io.stderr.write(
        jsonBeforeStart() ? errorLine(io.now(), s.replace(/^error: /, '').trim(), EXIT.usage) : s,
      ),
  };
  // Subcommands copy their parent's output settings when declared, so each is given them here.
  for (const command of [program, ...program.commands]) command.configureOutput(output);
  const stdoutFailure = watchStandardOutput(io.stdout);
  let code: number;
  try {
    await program.parseAsync([...args], { from: 'user' });
    code = EXIT.ok;
  } catch (err) {
    code = report(isStreamWriteError(err) ? standardOutputError(err) : err, io, started);
  }
  // A write to standard output that failed is told by an event after it: let that come.
  await new Promise((resolve) => setImmediate(resolve));
  const failed = stdoutFailure();
  if (failed !== null && code === EXIT.ok) code = report(failed, io, started);
  if (started) {
    started.unnote();
    logEnd(started, io, code);
  }
  return code;
}

/** One JSON log line for an error met before a logger exists (e.g. a bad flag). */
function errorLine(now: Date, message: string, exitCode: number): string {
  return `${JSON.stringify({ level: 'error', time: now.toISOString(), msg: message, exitCode })}\n`;
}

const BUG_HINT = 'This is a bug in retain. Please report it with the command line and the message above.';

function report(err: unknown, io: MainIO, started: Started | undefined): number {
  if (err instanceof CommanderError) {
    // Help and version exit 0; commander has already printed its message for usage errors.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof ClosedOutputError) {
    started?.ctx.log.debug(err.message);
    return err.exitCode;
  }
  const json = started?.json ?? !io.stderrIsTTY;
  if (err instanceof RetainError && err.exitCode !== EXIT.internal) {
    if (json && started) started.ctx.log.error({ exitCode: err.exitCode }, err.message);
    else if (json) io.stderr.write(errorLine(io.now(), err.message, err.exitCode));
    else io.stderr.write(`retain: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  if (json) {
    const line = { exitCode: EXIT.internal, stack: e.stack ?? '', hint: BUG_HINT };
    if (started) started.ctx.log.fatal(line, `internal error: ${e.message}`);
    else io.stderr.write(errorLine(io.now(), `internal error: ${e.message} (${BUG_HINT})`, EXIT.internal));
  } else {
    io.stderr.write(`retain: internal error: ${e.message}\n${e.stack ?? ''}\n${BUG_HINT}\n`);
  }
  return EXIT.internal;
}
