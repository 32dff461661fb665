import { Writable } from 'node:stream';
import { run } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const parts: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      parts.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => parts.join('') };
}

/** Runs the command line in-process in `cwd`, capturing stdout and stderr. */
export async function retain(
  args: readonly string[],
  cwd: string,
  now = new Date('2025-08-01T02:00:00Z'),
): Promise<CliResult> {
  const out = sink();
  const err = sink();
  const code = await run(args, {
    stdout: out.stream,
    stderr: err.stream,
    stderrIsTTY: false,
    cwd,
    now: () => now,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
