/**
 * Paths no output may be written to: devices, pipes and sockets, and this process's own standard
 * streams. Apart from output-file.ts (and free of what it loads) so that the command line checks its
 * flags without loading the table readers.
 */
import { fstatSync, type Stats, statSync } from 'node:fs';

/**
 * Whether `path` is a device, pipe or socket (a link followed to what it names): no file or folder
 * retain could build beside it and rename into place. False for a file, a folder, and a path that
 * does not exist or cannot be looked at (that failure is reported when the path is written).
 */
export function isSpecialFile(path: string): boolean {
  try {
    const st = statSync(path);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether `path` (symbolic links followed) is the file of this process's standard input, output or
 * error, however it is spelled (`//dev/stderr`, `/dev/./fd/2`, a link to /dev/stdout, or the file a
 * shell's `>` or `2>` opened): writing there would replace the stream's file under the shell.
 */
export function isStandardStream(path: string): boolean {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return false;
  }
  for (const fd of [0, 1, 2]) {
    try {
      const s = fstatSync(fd);
      if (s.dev === st.dev && s.ino === st.ino) return true;
    } catch {
      // A closed stream is no file.
    }
  }
  return false;
}
