/**
 * Reasons and calibrated probabilities end to end: a model trained on the shipped sample operator
 * scores its last month; each subscriber's top reason must be one the model really acts on.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCdrAggregator,
  createRandom,
  DEFAULT_CONFIG,
  dict,
  dictValue,
  f64,
  factGroups,
  type LoadedModel,
  loadModel,
  type RawTable,
  readBilling,
  readCdr,
  type ScoreResult,
  scoreSubscribers,
  scoreTable,
  toFeatureMatrix,
  topDrivers,
  trainSubscriberModel,
  trainTableModel,
} from '../../src/index.js';
import { serializeModel } from '../../src/model/persist.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const run = {
  engine: 'forest' as const,
  forest: { trees: 40, minLeaf: 5, threads: 1 },
  seed: 3,
  trainedAt: '2025-08-01T00:00:00.000Z',
  command: 'test',
  packageVersion: '0.0.0',
};

let model: LoadedModel;
let result: ScoreResult;
let older: ScoreResult;

beforeAll(async () => {
  const files = readdirSync(SAMPLE).sort();
  const { table: billing } = await readBilling(
    files.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f)),
    { config: DEFAULT_CONFIG },
  );
  const aggregator = createCdrAggregator(DEFAULT_CONFIG);
  for (const f of files.filter((f) => f.startsWith('cdr-')))
    await readCdr(join(SAMPLE, f), aggregator, { config: DEFAULT_CONFIG });
  const cdr = aggregator.finish();
  const trained = await trainSubscriberModel({ ...run, billing, cdr, config: DEFAULT_CONFIG });
  model = loadModel(serializeModel(trained.content), 'sample.model.json');
  result = await scoreSubscribers({
    billing,
    cdr,
    model,
    modelSource: 'sample.model.json',
    config: DEFAULT_CONFIG,
    seed: 1,
    capacity: null,
  });
  // A model file from before calibration and reasons: neither field.
  const { calibration: _c, explanation: _e, ...before } = trained.content;
  older = await scoreSubscribers({
    billing,
    cdr,
    model: loadModel(serializeModel(before), 'older.model.json'),
    modelSource: 'older.model.json',
    config: DEFAULT_CONFIG,
    seed: 1,
    capacity: null,
  });
}, 120_000);

describe('calibrated probabilities at scoring', () => {
  it('stores a calibrator and the measurement before and after in the model', () => {
    const check = (
      model.file.metrics as { calibration: { before: { atZero: number }; after: { atZero: number } } }
    ).calibration;
    expect(model.calibrator.method).not.toBe('identity');
    expect(check.before.atZero).toBeGreaterThan(0);
    expect(check.after.atZero).toBe(0);
  });

  it('gives no subscriber a probability of exactly 0, and revenue at risk follows it', async () => {
    const staged = result.staged;
    const p = f64(staged, 'churn_probability');
    const arpu = f64(staged, 'arpu');
    const revenue = f64(staged, 'revenue_at_risk');
    const schema = {
      version: 1,
      features: model.file.featureSchema.features.map((f) => ({ ...f, description: '' })),
    };
    const raw = await model.predict(toFeatureMatrix(staged, schema as never));
    expect(raw.some((v) => v === 0)).toBe(true);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    for (let i = 0; i < staged.n; i++)
      if (arpu[i]! > 0)
        expect(revenue[i]).toBeCloseTo(p[i]! * arpu[i]! * DEFAULT_CONFIG.revenue.horizon_months, 9);
  });
});

describe('reasons', () => {
  it('fill the reasons column of scores and of every list', () => {
    const reasons = dict(result.scores, 'reasons');
    let given = 0;
    for (let i = 0; i < result.scores.n; i++) if ((dictValue(reasons, i) ?? '') !== '') given++;
    expect(given / result.scores.n).toBeGreaterThan(0.95);
    const warning = result.lists.lists.warning;
    expect(warning.n).toBeGreaterThan(0);
    const listed = dict(warning, 'reasons');
    for (let i = 0; i < warning.n; i++) expect(dictValue(listed, i)).toMatch(/^[^;]+(; [^;]+){0,2}$/);
  });

  it('name what the model acts on: removing the top reason (the population median) lowers the score', async () => {
    const staged = result.staged;
    const schema = {
      version: 1,
      features: model.file.featureSchema.features.map((f) => ({ ...f, description: '' })),
    };
    const X = toFeatureMatrix(staged, schema as never);
    const raw = await model.predict(X);
    const groups = factGroups(X.names);
    const d = topDrivers(model.explainer!, X, 1, groups);
    const median = X.columns.map((c) => {
      const v = c.filter((x) => !Number.isNaN(x)).sort();
      return v[v.length >> 1]!;
    });
    const riskiest = Array.from({ length: X.nRows }, (_, i) => i)
      .filter((i) => d.group[i]! >= 0)
      .sort((a, b) => raw[b]! - raw[a]! || a - b)
      .slice(0, Math.round(X.nRows / 10));
    const columns = X.columns.map((c) => Float64Array.from(riskiest, (i) => c[i]!));
    riskiest.forEach((i, r) => {
      X.names.forEach((_, f) => {
        if (groups.of[f] === d.group[i]) columns[f]![r] = median[f]!;
      });
    });
    const after = await model.predict({ nRows: riskiest.length, names: X.names, columns });
    const lower = riskiest.map((i, r) => after[r]! < raw[i]!);
    expect(lower.slice(0, 10)).toEqual(Array(10).fill(true));
    expect(lower.filter(Boolean).length / lower.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('a model file from before calibration and reasons', () => {
  it('still scores: the raw score as the probability, the reasons column empty', () => {
    const p = f64(older.staged, 'churn_probability');
    expect(p.some((v) => v === 0)).toBe(true);
    const reasons = dict(older.scores, 'reasons');
    expect(Array.from(reasons.codes).every((c) => c === -1)).toBe(true);
    expect(Object.keys(older.lists.lists.warning.cols)).toContain('reasons');
  });
});

describe('reasons of a wide table', () => {
  it('name the column and the row’s value, one-hot levels summed back into their column', async () => {
    const random = createRandom(12);
    const n = 3000;
    const contract: string[] = [];
    const tenure: string[] = [];
    const paperless: string[] = [];
    const churn: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = ['Month-to-month', 'One year', 'Two year'][random.int(3)]!;
      const t = 1 + random.int(72);
      const z = -2 + (c === 'Month-to-month' ? 1.8 : 0) - t / 24 + random.normal() * 0.3;
      contract.push(c);
      tenure.push(String(t));
      paperless.push(random.next() < 0.5 ? 'Yes' : 'No');
      churn.push(random.next() < 1 / (1 + Math.exp(-z)) ? 'Yes' : 'No');
    }
    const raw: RawTable = {
      names: ['Contract', 'tenure', 'PaperlessBilling', 'Churn'],
      columns: [contract, tenure, paperless, churn],
      rowCount: n,
    };
    const { content } = await trainTableModel({ ...run, raw, label: 'Churn', testShare: 0.3 });
    const table = loadModel(serializeModel(content), 'table.model.json');
    const scores = await scoreTable(raw, table, 'table.model.json');
    const reasons = dict(scores, 'reasons');
    const p = f64(scores, 'churn_probability');
    const top = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b)[0]!;
    const text = dictValue(reasons, top)!;
    expect(text.split('; ')[0]).toMatch(/^(Contract: Month-to-month|tenure: \d+)$/);
    expect(text).toContain(`Contract: ${contract[top]}`);
    expect(text).not.toMatch(/=/);
  });
});
