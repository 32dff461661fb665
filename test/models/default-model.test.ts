/** The model shipped in models/ is what `retain score` uses out of the box: it must load and fit the sample. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, loadModel } from '../../src/index.js';
import { retain } from '../helpers/cli.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();

describe('the shipped default model', () => {
  const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8');

  it('loads, records how it was made, and is small enough to ship', () => {
    const model = loadModel(text, DEFAULT_MODEL_PATH);
    expect(model.file.training.command).toMatch(/^npm run train-default -- /);
    expect(model.file.training.cdr).toBe(true);
    expect(model.segments?.names.length).toBeGreaterThanOrEqual(4);
    expect(text.length).toBeLessThan(4_000_000);
    const validation = (model.file.metrics as { validation: { metrics: { auc: number } } }).validation;
    expect(validation.metrics.auc).toBeGreaterThan(0.8);
    // Nothing about the machine it was trained on.
    expect(text).not.toMatch(/"\/(tmp|home|root|work|Users)\//);
  });

  it('scores the sample operator out of the box (the README command)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-default-'));
    const { code, stderr } = await retain(
      [
        '--quiet',
        'score',
        ...files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f)),
        '--cdr',
        ...files.filter((f) => f.startsWith('cdr-')).map((f) => join(SAMPLE, f)),
        '--out',
        'sample',
      ],
      dir,
    );
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'sample', 'summary.json'), 'utf8'));
    expect(summary.month).toBe('2025-07');
    expect(summary.subscribers).toBe(1154);
    expect(summary.lists.warning).toBeGreaterThan(0);
  });
});
