/**
 * File-system failures while writing an output, in the operator's words. A full disk, a read-only or
 * forbidden folder, a name too long or a path through a file is the machine's state, not a bug: it
 * becomes an InputError (exit 3) naming the output and the cause. Every writer maps errors here.
 */
import { ClosedOutputError, InputError, RetainError } from '../errors.js';

const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'a folder is in the way',
  ENOENT: 'a folder of the path does not exist',
  ENOTEMPTY: 'a folder is in the way',
  EBUSY: 'the path is busy (a mount point or in use)',
  EXDEV: 'the path crosses file systems',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error of the device',
  ENXIO: 'no such device',
  EPIPE: 'the pipe was closed by the program reading it',
  EBADF: 'not open for writing',
};

export function fsErrorCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for an error the file system raised with a code this module words. */
export function isFsFailure(err: unknown): boolean {
  const code = fsErrorCode(err);
  return !(err instanceof RetainError) && code !== undefined && code in CAUSES;
}

/** An output that could not be written for a file-system reason; `cause` is the system's error. */
export class WriteFailure extends InputError {}

/**
 * `err` as an InputError naming `target` (what the user asked for) and the cause, with the path the
 * system complained about when it is another one (a temporary or a parent folder); a closed pipe as a
 * ClosedOutputError. Errors that are not such failures are returned as they are.
 */
export function writeFailure(err: unknown, target: string, doing = 'write'): unknown {
  // A failure inside a folder being built is reported for the folder the user named.
  if (err instanceof WriteFailure) err = err.cause;
  if (!isFsFailure(err)) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e.code!;
  // A reader that went away (`| head`) is not a failure of the machine: exit 141 (errors.ts).
  if (code === 'EPIPE')
    return new ClosedOutputError(`${target} was closed by the program reading it`, { cause: err });
  const at = typeof e.path === 'string' && e.path !== target ? ` at ${e.path}` : '';
  return new WriteFailure(`cannot ${doing} ${target}: ${CAUSES[code]} (${code}${at})`, { cause: err });
}

/** Runs `body`, turning file-system failures into writeFailure(err, target). */
export async function mappingWriteFailures<T>(
  target: string,
  body: () => Promise<T>,
  doing = 'write',
): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw writeFailure(err, target, doing);
  }
}
