/**
 * Standard output's failures, whichever command writes to it: a reader that closed the pipe
 * (`| head`), or a stream that cannot take the data (a full disk, a descriptor not open for writing).
 * Node tells a failed write to standard output by an 'error' event, which with no listener ends the
 * process with a stack trace; watched here, the first failure ends the run with its exit code.
 */
import type { EventEmitter } from 'node:events';
import { InputError, RetainError } from '../errors.js';
import { writeFailure } from '../io/fs-errors.js';

/** Starts watching `stream`; the returned function gives its first failure, or null. */
export function watchStandardOutput(stream: NodeJS.WritableStream): () => RetainError | null {
  let failure: unknown = null;
  (stream as NodeJS.WritableStream & EventEmitter).on('error', (err: unknown) => {
    failure ??= err;
  });
  return () => (failure === null ? null : standardOutputError(failure));
}

/**
 * Whether `err`, thrown out of a command, is a write to a standard stream that failed: the failures of
 * the files retain writes are named where they are written, and carry their path.
 */
export function isStreamWriteError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | null;
  return !(err instanceof RetainError) && e?.syscall === 'write' && e.path === undefined;
}

/**
 * A failed write to standard output as the error the run ends with: exit 141 for a closed pipe, else 3
 * (fs-errors.ts words both, as for every output).
 */
export function standardOutputError(err: unknown): RetainError {
  if (err instanceof RetainError) return err;
  const mapped = writeFailure(err, 'standard output');
  if (mapped instanceof RetainError) return mapped;
  return new InputError(`cannot write standard output (${(err as Error).message})`, { cause: err });
}
