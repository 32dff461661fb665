import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { phaseTimer } from '../../src/cli/phases.js';
import { createLogger, createRandom } from '../../src/index.js';
import { retain } from '../helpers/cli.js';
import { tempDir } from '../io/helpers.js';

/** The JSON log records written to a stream. */
function records(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('phaseTimer', () => {
  it('logs each phase as the next starts, then the total and the peak RSS', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    let now = 1_000;
    let cpu = 0.5;
    const timer = phaseTimer(
      createLogger('info', out),
      () => now,
      () => 321,
      () => cpu,
    );
    now = 1_250;
    timer.start('read');
    now = 3_750.4;
    cpu = 4.25;
    timer.start('encode');
    timer.start('fit');
    now = 10_000;
    cpu = 15.5;
    const summary = timer.finish();
    expect(summary).toEqual({
      phases: [
        { phase: 'read', seconds: 2.5 },
        { phase: 'encode', seconds: 0 },
        { phase: 'fit', seconds: 6.25 },
      ],
      seconds: 9,
      peakRssMiB: 321,
    });
    expect(
      records(text).map(({ phase, seconds, cpuSeconds, peakRssMiB, msg }) => ({
        phase,
        seconds,
        cpuSeconds,
        peakRssMiB,
        msg,
      })),
    ).toEqual([
      { phase: 'read', seconds: 2.5, cpuSeconds: 3.75, peakRssMiB: undefined, msg: 'phase' },
      { phase: 'encode', seconds: 0, cpuSeconds: 0, peakRssMiB: undefined, msg: 'phase' },
      { phase: 'fit', seconds: 6.25, cpuSeconds: 11.25, peakRssMiB: undefined, msg: 'phase' },
      { phase: undefined, seconds: 9, cpuSeconds: undefined, peakRssMiB: 321, msg: 'total' },
    ]);
  });
});

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const billingFiles = readdirSync(SAMPLE)
  .filter((f) => f.startsWith('billing-'))
  .sort()
  .map((f) => join(SAMPLE, f));

describe('retain train logs the seconds of each phase', () => {
  it('in table mode: read, encode, validate, fit, calibrate, drift, segments, explain, write, then the total', async () => {
    const dir = tempDir();
    const r = createRandom(3);
    const lines = ['id,a,b,c,churn'];
    for (let i = 0; i < 400; i++) {
      const a = r.normal();
      lines.push(
        `${i},${a.toFixed(3)},${r.int(10)},${r.normal().toFixed(3)},${r.next() < 0.2 + 0.2 * a ? 1 : 0}`,
      );
    }
    writeFileSync(join(dir, 't.csv'), `${lines.join('\n')}\n`);
    const run = await retain(
      ['train', '--table', 't.csv', '--label', 'churn', '--id', 'id', '--trees', '5', '--out', 'm.json'],
      dir,
    );
    expect(run.code, run.stderr).toBe(0);
    const logged = records(run.stderr);
    const phases = logged.filter((l) => l.msg === 'phase');
    expect(phases.map((p) => p.phase)).toEqual([
      'read',
      'encode',
      'validate',
      'fit',
      'calibrate',
      'drift',
      'segments',
      'explain',
      'write',
    ]);
    for (const p of phases) expect(p.seconds).toBeGreaterThanOrEqual(0);
    // The training's total, then the run's end line (main.ts).
    const [total, end] = logged.slice(-2) as [Record<string, unknown>, Record<string, unknown>];
    expect(total.msg).toBe('total');
    expect(end.msg).toBe('end');
    const sum = phases.reduce((s, p) => s + (p.seconds as number), 0);
    expect(total.seconds as number).toBeGreaterThanOrEqual(sum - 0.01);
    expect(total.peakRssMiB as number).toBeGreaterThan(10);
  }, 120_000);

  it('in billing mode: the same phases after the fit as a table', async () => {
    const run = await retain(['train', ...billingFiles, '--trees', '5', '--out', 'm.json'], tempDir());
    expect(run.code, run.stderr).toBe(0);
    const phases = records(run.stderr).filter((l) => l.msg === 'phase');
    expect(phases.map((p) => p.phase)).toEqual([
      'read',
      'features',
      'validate',
      'fit',
      'calibrate',
      'drift',
      'segments',
      'explain',
      'write',
    ]);
  }, 120_000);
});

describe('retain score logs the seconds of each phase', () => {
  it('load model, read billing, read CDRs, features, predict (with segments), reasons, lists, summary, write', async () => {
    const cdrFiles = readdirSync(SAMPLE)
      .filter((f) => f.startsWith('cdr-'))
      .sort()
      .map((f) => join(SAMPLE, f));
    const run = await retain(['score', ...billingFiles, '--cdr', ...cdrFiles, '--out', 'o'], tempDir());
    expect(run.code, run.stderr).toBe(0);
    const logged = records(run.stderr);
    const phases = logged.filter((l) => l.msg === 'phase');
    expect(phases.map((p) => p.phase)).toEqual([
      'load model',
      'read billing',
      'read CDRs',
      'features',
      'predict',
      'reasons',
      'lists',
      'summary',
      'write',
    ]);
    const total = logged.find((l) => l.msg === 'total')!;
    const sum = phases.reduce((s, p) => s + (p.seconds as number), 0);
    expect(total.seconds as number).toBeGreaterThanOrEqual(sum - 0.01);
    expect(total.peakRssMiB as number).toBeGreaterThan(10);
  }, 120_000);
});
