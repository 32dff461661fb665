/** Errors that reach the command line, each with its exit code (see CLI.md). */
export class RetainError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Exit 2: the command line itself is wrong (unknown flag, bad value). */
export class UsageError extends RetainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 2, options);
  }
}

/** Exit 3: an input file is missing, unreadable, lacks a column, or has too many bad rows. */
export class InputError extends RetainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 3, options);
  }
}

/** Exit 4: the model file is unreadable, of another format or version, or does not fit the data. */
export class ModelError extends RetainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 4, options);
  }
}

/** Exit 1: a bug. The message asks for a report. */
export class InternalError extends RetainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 1, options);
  }
}

/**
 * Exit 141: the program reading standard output closed it before the data ended (`| head`). A program
 * stopped by SIGPIPE shows 141 in the shell; Node ignores that signal, so retain ends with the same
 * code and no error line: the reader had what it wanted, and `set -o pipefail` still sees it.
 */
export class ClosedOutputError extends RetainError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 141, options);
  }
}

export const EXIT = { ok: 0, internal: 1, usage: 2, input: 3, model: 4, closedOutput: 141 } as const;

export function assertUnreachable(x: never): never {
  throw new InternalError(`unexpected value: ${JSON.stringify(x)}`);
}
