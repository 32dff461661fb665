/**
 * Runs of the built command line as separate processes: two at once on one --out, and runs stopped by
 * SIGINT, SIGTERM or SIGKILL at random points (mid-run, mid-write). Needs `npm run build` (runs dist/).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, watch } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/retain');
const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();
const inputs = [
  ...files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f)),
  '--cdr',
  ...files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f)),
];

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(cwd: string, out = 'out', log = ['-q']): Run {
  const child = spawn(process.execPath, [BIN, 'score', ...inputs, '--out', out, ...log, '--threads', '1'], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b) => {
    stderr += String(b);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((ok) =>
    child.on('close', (code, signal) => ok({ code, signal, stderr })),
  );
  return { child, done };
}

/** Resolves as soon as an entry of `dir` matches (watched, so a short-lived temporary is not missed). */
function appears(dir: string, match: (name: string) => boolean): Promise<void> {
  return new Promise((ok) => {
    const w = watch(dir, (_, name) => {
      if (name && match(name)) {
        w.close();
        ok();
      }
    });
    if (readdirSync(dir).some(match)) {
      w.close();
      ok();
    }
  });
}

const isTemp = (n: string) => /^\.out\.retain-tmp-/.test(n);
const isLock = (n: string) => n === 'out.retain-lock';
const leftovers = (dir: string) => readdirSync(dir).filter((n) => isTemp(n) || isLock(n));
const complete = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'out', 'retain-run.json'), 'utf8')).format === 'retain-run';

describe('retain score as separate processes', () => {
  it('lets one of two runs on one --out write it; the other stops with exit 3 naming the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-two-'));
    // The second starts once the first holds the lock, so the two overlap however loaded the machine.
    const first = start(dir);
    await appears(dir, isLock);
    const runs = [first, start(dir)];
    const results = await Promise.all(runs.map((r) => r.done));
    const winner = results.findIndex((r) => r.code === 0);
    const loser = results[1 - winner]!;
    expect(results.map((r) => r.code).sort()).toEqual([0, 3]);
    expect(loser.stderr).toContain(
      `out is being written by another retain run (pid ${runs[winner]!.child.pid} on host ${hostname()}`,
    );
    expect(complete(dir)).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  it.each([
    ['SIGTERM', 'mid-run', isLock],
    ['SIGTERM', 'mid-write', isTemp],
    ['SIGINT', 'mid-write', isTemp],
  ] as const)(
    'on %s %s removes its temporary and its lock and dies by the signal',
    async (sig, _, when) => {
      const dir = mkdtempSync(join(tmpdir(), 'retain-signal-'));
      const run = start(dir);
      await appears(dir, when);
      run.child.kill(sig);
      const r = await run.done;
      expect(r.signal).toBe(sig);
      expect(leftovers(dir)).toEqual([]);
      expect(existsSync(join(dir, 'out'))).toBe(false);
      expect(r.stderr).toContain(`stopped by ${sig}`);
    },
    60_000,
  );

  it('ends the log of a stopped run with its seconds, peak memory, exit code and signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-signal-log-'));
    const run = start(dir, 'out', ['--log-format', 'json']);
    await appears(dir, isLock);
    run.child.kill('SIGTERM');
    const r = await run.done;
    expect(r.signal).toBe('SIGTERM');
    const records = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [stopped, end] = records.slice(-2);
    expect(stopped).toMatchObject({
      level: 'error',
      msg: 'stopped by SIGTERM',
      signal: 'SIGTERM',
      exitCode: 143,
    });
    expect(end).toMatchObject({ msg: 'end', command: 'score', exitCode: 143, signal: 'SIGTERM' });
    expect(end!.seconds).toBeGreaterThan(0);
    expect(end!.peakRssMB).toBeGreaterThan(0);
    expect(records[0]).toMatchObject({ msg: 'start', command: 'score' });
  }, 60_000);

  it('after a SIGKILL mid-write, the next run takes over the stale lock, removes the temporary and succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-kill-'));
    const killed = start(dir);
    await appears(dir, isTemp);
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    const left = leftovers(dir);
    expect(left).toContain('out.retain-lock');
    expect(left.filter(isTemp)).toHaveLength(1);
    const next = await start(dir).done;
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(
      `took over the stale lock of a run that no longer runs (pid ${killed.child.pid}`,
    );
    expect(next.stderr).toContain(
      `removed the temporary ${join(dir, left.find(isTemp)!)} of a run that no longer runs`,
    );
    expect(leftovers(dir)).toEqual([]);
    expect(complete(dir)).toBe(true);
  }, 60_000);
});

describe('a reader that closes standard output early', () => {
  it('ends `features --out -` with exit 141 and no error line, as `| head` expects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-pipe-'));
    const child = spawn(process.execPath, [BIN, 'features', ...inputs, '--all-months', '--out', '-'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (b) => {
      stderr += String(b);
    });
    // The first chunk read, the reader goes away, as `head -1` does once it has its line.
    let first = '';
    child.stdout!.once('data', (b) => {
      first = String(b);
      child.stdout!.destroy();
    });
    const code = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
    expect(first).toMatch(/^subscriber_id,month,churned_next_month,/);
    expect(code, stderr).toBe(141);
    const levels = stderr
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { level: string }).level);
    expect(levels).not.toContain('error');
    expect(levels).not.toContain('fatal');
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

describe('standard output that fails under any command', () => {
  it('ends `inspect` with exit 141 when the reader is gone, and exit 3 naming the cause on a full device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-stdout-'));
    const closed = spawn(process.execPath, [BIN, 'inspect', '--json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the first write.
    closed.stdout!.destroy();
    let stderr = '';
    closed.stderr!.on('data', (b) => {
      stderr += String(b);
    });
    const code = await new Promise<number | null>((ok) => closed.on('close', (c) => ok(c)));
    expect(code, stderr).toBe(141);
    expect(stderr).not.toMatch(/"level":"(error|fatal)"|Unhandled|EPIPE/);
    if (!existsSync('/dev/full')) return;
    const full = openSync('/dev/full', 'w');
    const r = spawnSync(process.execPath, [BIN, 'inspect'], { cwd: dir, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    expect(r.status).toBe(3);
    expect(String(r.stderr)).toContain('cannot write standard output: no space left on the device (ENOSPC)');
  }, 60_000);
});
