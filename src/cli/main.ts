/** The command-line entry: builds the context, runs the program, maps errors to exit codes. */
import { CommanderError } from 'commander';
import { EXIT, RetainError } from '../errors.js';
import { createLogger } from '../log.js';
import type { CommandContext } from './context.js';
import { buildProgram, type GlobalOptions } from './program.js';

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

/** Runs `retain` with the given arguments (without node and script); resolves to the exit code. */
export async function run(args: readonly string[], io: MainIO = processIO()): Promise<number> {
  const makeContext = (g: GlobalOptions): CommandContext => ({
    log: createLogger(g.logLevel, io.stderr === process.stderr ? 2 : io.stderr, { pretty: io.stderrIsTTY }),
    stdout: io.stdout,
    stderr: io.stderr,
    stderrIsTTY: io.stderrIsTTY,
    cwd: io.cwd,
    now: io.now,
    quiet: g.quiet,
    args,
  });
  const program = buildProgram(makeContext);
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    return report(err, io.stderr);
  }
}

function report(err: unknown, stderr: NodeJS.WritableStream): number {
  if (err instanceof CommanderError) {
    // Help and version exit 0; commander has already printed its message for usage errors.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof RetainError && err.exitCode !== EXIT.internal) {
    stderr.write(`retain: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  stderr.write(`retain: internal error: ${e.message}\n${e.stack ?? ''}\n`);
  stderr.write('This is a bug in retain. Please report it with the command line and the message above.\n');
  return EXIT.internal;
}
