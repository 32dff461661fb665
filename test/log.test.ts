import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, prettyLine } from '../src/index.js';

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return () => chunks.join('');
}

describe('log', () => {
  it('writes JSON lines with level, time and fields', () => {
    const out = new PassThrough();
    const text = collect(out);
    createLogger('info', out).info({ rows: 3 }, 'read billing');
    const rec = JSON.parse(text().trim());
    expect(rec).toMatchObject({ level: 'info', msg: 'read billing', rows: 3 });
    expect(typeof rec.time).toBe('string');
  });

  it('drops lines below the level', () => {
    const out = new PassThrough();
    const text = collect(out);
    createLogger('warn', out).info('hidden');
    expect(text()).toBe('');
  });

  it('formats readable lines for a terminal', () => {
    const line = prettyLine(
      '{"level":40,"time":"2026-01-02T03:04:05.000Z","msg":"bad rows","file":"a.csv","n":2}',
      true,
    );
    expect(line).toBe('\r\x1b[K03:04:05 WARN  bad rows file=a.csv n=2\n');
    const named = prettyLine('{"level":"error","time":"2026-01-02T03:04:05.000Z","msg":"stopped"}', true);
    expect(named).toBe('\r\x1b[K03:04:05 ERROR stopped\n');
    expect(prettyLine('{"level":"info","time":"2026-01-02T03:04:05.000Z","msg":"read"}')).toBe(
      '03:04:05 INFO  read\n',
    );
  });

  it('clears the line before a pretty line only on a terminal, never into a file or a pipe', () => {
    const lines = (terminal: boolean | undefined) => {
      const out = new PassThrough();
      const text = collect(out);
      createLogger('info', out, { pretty: true, ...(terminal === undefined ? {} : { terminal }) }).warn(
        { file: 'a.csv' },
        'bad rows',
      );
      return text();
    };
    const onTerminal = lines(true);
    expect(onTerminal.startsWith('\r\x1b[K')).toBe(true);
    expect(onTerminal.slice(4)).toMatch(/^\d\d:\d\d:\d\d WARN {2}bad rows file=a.csv\n$/);
    expect(lines(false)).toMatch(/^\d\d:\d\d:\d\d WARN {2}bad rows file=a.csv\n$/);
    expect(lines(undefined)).not.toContain('\x1b');
  });
});
