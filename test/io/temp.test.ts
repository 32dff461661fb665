import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pendingUndoTasks, STALE_TEMP_MS, sweepStaleTemps, TEMP_MARKER } from '../../src/index.js';
import { createTemp } from '../../src/io/temp.js';
import { deadPid, tempDir } from './helpers.js';

const NAME = /^\.out\.retain-tmp-[0-9a-f]{8}-\d+-[0-9a-f-]{36}$/;
const tag = (host: string) => createHash('sha256').update(host).digest('hex').slice(0, 8);
const tempNameOf = (pid: number, host = hostname(), target = 'out') =>
  `.${target}.retain-tmp-${tag(host)}-${pid}-00000000-0000-4000-8000-${String(pid).padStart(12, '0')}`;

/** A temporary as a killed run leaves it: the pattern's name and a marker. */
function leftover(dir: string, owner: { pid: number; host: string; started: string }, target = 'out') {
  const path = join(dir, tempNameOf(owner.pid, owner.host, target));
  mkdirSync(join(path, 'new'), { recursive: true });
  writeFileSync(join(path, 'new', 'scores.csv'), 'half');
  const marker = { retain: 'temporary', ...owner, target: join(dir, target) };
  writeFileSync(join(path, TEMP_MARKER), JSON.stringify(marker));
  return path;
}

const now = new Date();
const recent = new Date(now.getTime() - 60_000).toISOString();
const old = new Date(now.getTime() - STALE_TEMP_MS - 60_000).toISOString();

describe('temporaries', () => {
  it('are uniquely named beside the target, marked with pid and host, and removed by dispose', () => {
    const dir = tempDir();
    const a = createTemp(join(dir, 'out'), now);
    const b = createTemp(join(dir, 'out'), now);
    expect(readdirSync(dir).sort()).toEqual([a.dir, b.dir].map((p) => p.slice(dir.length + 1)).sort());
    expect(a.dir.slice(dir.length + 1)).toMatch(NAME);
    expect(a.dir).not.toBe(b.dir);
    expect(JSON.parse(readFileSync(join(a.dir, TEMP_MARKER), 'utf8'))).toEqual({
      retain: 'temporary',
      pid: process.pid,
      host: hostname(),
      started: now.toISOString(),
      target: join(dir, 'out'),
    });
    expect(pendingUndoTasks()).toBe(2);
    a.dispose();
    b.dispose();
    a.dispose();
    expect(readdirSync(dir)).toEqual([]);
    expect(pendingUndoTasks()).toBe(0);
  });

  it('keep a long target name to a length the file system accepts', () => {
    const dir = tempDir();
    const t = createTemp(join(dir, 'x'.repeat(250)), now);
    expect(t.dir.slice(dir.length + 1).length).toBeLessThan(120);
    t.dispose();
  });

  it('put back a target moved aside when nothing took its place', () => {
    const dir = tempDir();
    const t = createTemp(join(dir, 'out'), now);
    mkdirSync(t.previous);
    writeFileSync(join(t.previous, 'scores.csv'), 'old run');
    t.dispose();
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readFileSync(join(dir, 'out', 'scores.csv'), 'utf8')).toBe('old run');
  });
});

describe('sweepStaleTemps', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['a dead pid on this host',          { pid: deadPid(), host: hostname(), started: recent },    true],
    ['our own pid (an earlier process)', { pid: process.pid, host: hostname(), started: recent },  true],
    ['any host, older than a day',       { pid: 1, host: 'elsewhere', started: old },              true],
    ['another host, recent',             { pid: 1, host: 'elsewhere', started: recent },           false],
    ['a live pid on this host',          { pid: process.ppid, host: hostname(), started: recent }, false],
  ])('judges a temporary of %s stale: %s', (_, owner, stale) => {
    const dir = tempDir();
    const path = leftover(dir, owner);
    const swept = sweepStaleTemps(dir, now);
    expect(swept.map((s) => s.path)).toEqual(stale ? [path] : []);
    expect(existsSync(path)).toBe(!stale);
  });

  it('never touches what its name pattern and marker do not both identify, nor a live temporary', () => {
    const dir = tempDir();
    const dead = { pid: deadPid(), host: hostname(), started: recent };
    mkdirSync(join(dir, '.out.retain-tmp-not-a-uuid'));
    writeFileSync(join(dir, '.out.retain-tmp-not-a-uuid', TEMP_MARKER), JSON.stringify(dead));
    const unmarked = join(dir, tempNameOf(dead.pid));
    mkdirSync(unmarked);
    writeFileSync(join(unmarked, 'scores.csv'), 'not empty');
    const badMarker = join(dir, tempNameOf(dead.pid, hostname(), 'other'));
    mkdirSync(badMarker);
    writeFileSync(join(badMarker, TEMP_MARKER), '{"retain":"temporary"}');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const live = createTemp(join(dir, 'out'), now);
    const before = readdirSync(dir).sort();
    expect(sweepStaleTemps(dir, now)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(before);
    live.dispose();
  });

  it.each([
    ['an empty folder', (_: string) => {}],
    ['an empty marker', (d: string) => writeFileSync(join(d, TEMP_MARKER), '')],
  ])('removes a temporary a run was killed in making, its name showing a dead pid: %s', (_, fill) => {
    const dir = tempDir();
    const path = join(dir, tempNameOf(deadPid()));
    mkdirSync(path);
    fill(path);
    expect(sweepStaleTemps(dir, now).map((s) => s.path)).toEqual([path]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('puts back the earlier folder a killed run had moved aside, and says so', () => {
    const dir = tempDir();
    const path = leftover(dir, { pid: deadPid(), host: hostname(), started: recent });
    mkdirSync(join(path, 'previous'));
    writeFileSync(join(path, 'previous', 'scores.csv'), 'last month');
    const swept = sweepStaleTemps(dir, now);
    expect(swept).toEqual([expect.objectContaining({ path, restored: true, target: join(dir, 'out') })]);
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readFileSync(join(dir, 'out', 'scores.csv'), 'utf8')).toBe('last month');
  });
});
