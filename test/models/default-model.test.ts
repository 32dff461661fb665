/** The model shipped in models/ is what `retain score` uses out of the box: it must load and fit the sample. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
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
    // Calibrated on scores of rows the model did not fit, with the covers reasons need.
    expect(model.calibrator.method).not.toBe('identity');
    expect(model.explainer).not.toBeNull();
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
    // Every warning-list row says why, and no probability is exactly 0.
    const warning = readFileSync(join(dir, 'sample', 'targets', 'warning.csv'), 'utf8')
      .trim()
      .split('\n');
    const header = warning[0]!.split(',');
    expect(header).toContain('reasons');
    const rows = Papa.parse<Record<string, string>>(warning.join('\n'), { header: true }).data;
    expect(rows.length).toBe(summary.lists.warning);
    for (const r of rows) {
      expect(r.reasons).not.toBe('');
      expect(Number(r.churn_probability)).toBeGreaterThan(0);
    }
  });
});
