import pino, { type Logger } from 'pino';

export type { Logger };
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * A logger writing JSON lines synchronously to fd 2 (stderr). Synchronous so that log lines and the
 * progress bar never interleave mid-line; no worker transport.
 */
export function createLogger(
  level: LogLevel = 'info',
  destination: number | NodeJS.WritableStream = 2,
): Logger {
  const dest =
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}

/** A logger that drops everything: for library callers and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
