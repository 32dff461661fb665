import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';

export type { Logger };
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

export interface LoggerOptions {
  /** Human-readable lines instead of JSON (for a terminal). */
  pretty?: boolean;
  /**
   * The destination is a terminal, where a progress bar may stand on the last line: each pretty line
   * first clears it. Elsewhere (a file, a pipe) the clearing codes would only be noise in the text.
   */
  terminal?: boolean;
}

/**
 * A logger writing synchronously to fd 2 (stderr), or to a given stream: JSON lines by default, short
 * readable lines when `pretty`. Synchronous and without a worker transport, so log lines and the progress
 * bar never interleave mid-line.
 */
export function createLogger(
  level: LogLevel = 'info',
  destination: number | NodeJS.WritableStream = 2,
  options: LoggerOptions = {},
): Logger {
  const opts = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names ("warn"), not pino's numbers (40): a log file is read by people and by log shippers.
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (options.pretty) {
    const write =
      typeof destination === 'number'
        ? (s: string) => writeSync(destination, s)
        : (s: string) => void destination.write(s);
    const clear = options.terminal ?? false;
    return pino(opts, { write: (line: string) => write(prettyLine(line, clear)) });
  }
  const dest =
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino(opts, dest);
}

/** A logger that drops everything: for library callers and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/**
 * `12:01:02 INFO message key=value ...`; with `clearLine` (on a terminal) preceded by a line clear,
 * so it overwrites a progress bar.
 */
export function prettyLine(json: string, clearLine = false): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, ...rest } = rec;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const name =
    typeof level === 'string' ? level.toUpperCase() : (LEVEL_NAMES[level as number] ?? String(level));
  return `${clearLine ? '\r\x1b[K' : ''}${clock} ${name.padEnd(5)} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`;
}
