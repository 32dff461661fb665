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

/**
 * The message of the error a run ended with: its `retain: …` line in pretty logs, or the `msg` of its
 * error-level line in JSON logs (the default when stderr is not a terminal).
 */
export function errorMessage(stderr: string): string {
  for (const line of stderr.split('\n').reverse()) {
    if (line.startsWith('retain: ')) return line.slice('retain: '.length);
    if (!line.startsWith('{')) continue;
    const rec = JSON.parse(line) as { level?: string; msg?: string };
    if (rec.level === 'error' || rec.level === 'fatal') return rec.msg ?? '';
  }
  return '';
}

/**
 * The log as text to search: each JSON line becomes its message and field values, unescaped (a quote
 * in a message is `"` again, not `\"`); other lines stay as they are.
 */
export function logText(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{')) return line;
      const rec = JSON.parse(line) as Record<string, unknown>;
      return Object.values(rec)
        .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
        .join(' ');
    })
    .join('\n');
}
