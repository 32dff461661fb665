import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');

/** Runs the command line with stderr a terminal or not, returning the exit code and each stream. */
async function cli(args: string[], cwd: string, stderrIsTTY: boolean) {
  const parts = { out: [] as string[], err: [] as string[] };
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, cb) {
        into.push(String(chunk));
        cb();
      },
    });
  const code = await run(args, {
    stdout: sink(parts.out),
    stderr: sink(parts.err),
    stderrIsTTY,
    cwd,
    now: () => new Date('2025-08-01T02:00:00Z'),
  });
  return { code, stdout: parts.out.join(''), stderr: parts.err.join('') };
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the log of a run', () => {
  it('is JSON lines with level names off a terminal, from a start line to an end line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-main-'));
    writeFileSync(join(dir, 'retain.config.json'), '{}');
    const r = await cli(['validate', join(SAMPLE, 'billing-2025-01.csv')], dir, false);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stderr);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'start',
      command: 'validate',
      config: join(dir, 'retain.config.json'),
    });
    expect(lines[0]!.args).toEqual(['validate', join(SAMPLE, 'billing-2025-01.csv')]);
    const end = lines.at(-1)!;
    expect(end).toMatchObject({ level: 'info', msg: 'end', command: 'validate', exitCode: 0 });
    expect(end.peakRssMB).toBeGreaterThan(10);
    expect(typeof end.seconds).toBe('number');
  });

  it('writes a user error as a JSON line with its exit code, and still ends with the end line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-main-'));
    const r = await cli(['validate', 'missing.csv'], dir, false);
    expect(r.code).toBe(3);
    const lines = jsonLines(r.stderr);
    expect(lines[0]).toMatchObject({ msg: 'start', config: null });
    const error = lines.find((l) => l.level === 'error')!;
    expect(error.exitCode).toBe(3);
    expect(error.msg).toMatch(/missing\.csv/);
    expect(lines.at(-1)).toMatchObject({ msg: 'end', exitCode: 3 });
  });

  it('writes a bad flag as a JSON line too (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-main-'));
    const r = await cli(['score', 'b.csv', '--format', 'xml'], dir, false);
    expect(r.code).toBe(2);
    const [line] = jsonLines(r.stderr);
    expect(line).toMatchObject({ level: 'error', exitCode: 2 });
    expect(line!.msg).toMatch(/--format/);
  });

  it.each([
    [['train', '--table', 'a.csv', '--table', 'b.csv', '--label', 'churn'], '--table'],
    [['train', '--table', 'a.csv', '--label', 'churn', '--label=id'], '--label'],
    [['--log-level', 'warn', '--log-level', 'info', 'inspect'], '--log-level'],
    [['score', 'b.csv', '--seed', '1', '--seed', '2'], '--seed'],
  ])('refuses a one-value flag given twice, before any work (exit 2): %j', async (args, flag) => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-main-'));
    const r = await cli(args, dir, false);
    expect(r.code).toBe(2);
    expect(jsonLines(r.stderr).find((l) => l.level === 'error')!.msg).toBe(
      `${flag} is given twice; give it once`,
    );
  });

  it('takes a flag of several values given twice, and a switch given twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-main-'));
    // --cdr takes files; -q is a switch: neither is refused (the missing billing file is, with exit 3).
    const r = await cli(['-q', '-q', 'score', 'b.csv', '--cdr', 'c1.csv', '--cdr', 'c2.csv'], dir, false);
    expect(r.code).toBe(3);
  });

  it('is readable lines on a terminal, and --log-format chooses either way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-main-'));
    const tty = await cli(['validate', 'missing.csv'], dir, true);
    expect(tty.code).toBe(3);
    expect(tty.stderr).toMatch(/INFO {2}start command=validate/);
    expect(tty.stderr).toMatch(/^retain: 1 of 1 files are not clean:\n.*missing\.csv/m);
    const json = await cli(['--log-format', 'json', 'validate', 'missing.csv'], dir, true);
    expect(jsonLines(json.stderr).at(-1)).toMatchObject({ msg: 'end', exitCode: 3 });
    const pretty = await cli(['--log-format', 'pretty', 'validate', 'missing.csv'], dir, false);
    expect(pretty.stderr).toMatch(/^retain: 1 of 1 files are not clean:\n.*missing\.csv/m);
    // The line clear that overwrites a progress bar goes to a terminal only, not into a log file.
    expect(tty.stderr).toContain('\r\x1b[K');
    expect(pretty.stderr).toMatch(/^\d\d:\d\d:\d\d INFO {2}start command=validate/m);
    expect(pretty.stderr).not.toContain('\x1b');
    expect((await cli(['--log-format', 'xml', 'validate', 'x.csv'], dir, false)).code).toBe(2);
  });
});
