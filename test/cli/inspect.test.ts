import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorMessage, retain } from '../helpers/cli.js';

const MODEL = resolve(import.meta.dirname, '../../models/default.model.json');
const file = JSON.parse(readFileSync(MODEL, 'utf8'));

describe('retain inspect', () => {
  it('prints the shipped model: engine, training, metrics, top features, segments, schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-inspect-'));
    const r = await retain(['inspect', '--log-level', 'warn'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^model ${file.id}: ${file.engine}, subscriber mode$`, 'm'));
    const validation = file.metrics.validation.metrics;
    const line = r.stdout.split('\n').find((l) => l.trim().startsWith('validation'))!;
    expect(line).toContain(validation.auc.toFixed(4));
    expect(line).toContain(validation.topDecileLift.toFixed(2));
    expect(line).toContain(validation.n.toLocaleString('en-US'));
    const [top] = Object.entries(file.importances as Record<string, number>).sort((a, b) => b[1] - a[1]);
    expect(r.stdout).toMatch(
      new RegExp(`top 10 features by importance:\\n.*\\n  ${top![0]} +${top![1].toFixed(4)}`),
    );
    for (const name of file.segments.names) expect(r.stdout).toContain(name);
    const calibration = file.metrics.calibration;
    expect(r.stdout).toMatch(
      new RegExp(
        `calibration: ${calibration.method}[^\\n]*\\n.*\\n  before +${calibration.before.brier.toFixed(4)} +${calibration.before.ece.toFixed(4)}`,
      ),
    );
    expect(r.stdout).toContain(
      `${file.featureSchema.features.length} features, hash ${file.featureSchemaHash}`,
    );
  });

  it('prints the same facts as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-inspect-'));
    const r = await retain(['inspect', MODEL, '--json', '--top', '3', '--log-level', 'warn'], dir);
    expect(r.code, r.stderr).toBe(0);
    const card = JSON.parse(r.stdout);
    expect(card).toMatchObject({
      id: file.id,
      engine: file.engine,
      mode: 'subscriber',
      rows: file.training.rows,
      months: file.training.months,
      needsCdr: true,
    });
    expect(card.topFeatures).toHaveLength(3);
    // A boosted model has no out-of-bag rows: its block is null, and the card leaves it out.
    const blocks = Object.keys(file.metrics).filter((k) => k !== 'calibration' && file.metrics[k] !== null);
    expect(card.metrics.map((m: { name: string }) => m.name)).toEqual(blocks);
    expect(card.calibration).toMatchObject({
      method: file.metrics.calibration.method,
      after: { ece: file.metrics.calibration.after.ece },
    });
    expect(card.segments).toHaveLength(file.segments.k);
    expect(card.segments[0].share).toBeCloseTo(file.segments.profiles[0].share, 12);
  });

  it('refuses what is not a model (exit 4) and a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-inspect-'));
    writeFileSync(join(dir, 'notes.json'), '{"format":"something-else"}');
    const wrong = await retain(['inspect', 'notes.json'], dir);
    expect(wrong.code).toBe(4);
    expect(errorMessage(wrong.stderr)).toMatch(/notes\.json: not a retain model/);
    expect((await retain(['inspect', 'absent.json'], dir)).code).toBe(4);
  });
});
