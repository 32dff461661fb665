/**
 * Scoring a wide table walks the trees once: the probabilities are exactly those of the model's
 * prediction calibrated, and the reasons those of the contributions of the same rows.
 */
import { describe, expect, it } from 'vitest';
import { applyTableEncoding, type TableEncoding } from '../../src/features/table.js';
import { dict, f64 } from '../../src/frame.js';
import { loadModel, type RawTable, trainTableModel } from '../../src/index.js';
import { calibrate } from '../../src/model/calibrate.js';
import { topDrivers } from '../../src/model/drivers.js';
import { serializeModel } from '../../src/model/persist.js';
import { tableGroups, tableReasonsOf } from '../../src/pipeline/reasons.js';
import { scoreTableRows } from '../../src/pipeline/score-table.js';
import { createRandom } from '../../src/random.js';
import { REASONS_PER_SUBSCRIBER } from '../../src/targets/index.js';

function table(n: number): RawTable {
  const random = createRandom(5);
  const plan: string[] = [];
  const tenure: string[] = [];
  const spend: string[] = [];
  const churn: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = ['basic', 'plus', 'max'][random.int(3)]!;
    const t = 1 + random.int(60);
    const s = random.next() < 0.05 ? '' : (20 + random.next() * 80).toFixed(2);
    const z =
      -1.5 + (p === 'basic' ? 1.2 : 0) - t / 30 + (s === '' ? 0 : Number(s) / 100) + random.normal() * 0.4;
    plan.push(p);
    tenure.push(String(t));
    spend.push(s);
    churn.push(random.next() < 1 / (1 + Math.exp(-z)) ? 'Yes' : 'No');
  }
  return { names: ['plan', 'tenure', 'spend', 'Churn'], columns: [plan, tenure, spend, churn], rowCount: n };
}

/** A forest trained on `raw` (label Churn), loaded to score on `threads` threads. */
async function trainOn(raw: RawTable, o: { trees: number; seed: number; threads: number; id?: string }) {
  const { content } = await trainTableModel({
    engine: 'forest',
    forest: { trees: o.trees, minLeaf: 5, threads: 1 },
    seed: o.seed,
    trainedAt: '2025-08-01T00:00:00.000Z',
    command: 'test',
    packageVersion: '0.0.0',
    raw,
    label: 'Churn',
    ...(o.id === undefined ? {} : { id: o.id }),
    testShare: 0.3,
  });
  return loadModel(serializeModel(content), 'table.model.json', o.threads);
}

describe('scoreTableRows', () => {
  it.each([1, 2])(
    'gives prediction’s probabilities and the contributions’ reasons (%i threads)',
    async (threads) => {
      const raw = table(2500);
      const model = await trainOn(raw, { trees: 30, seed: 9, threads });
      const { scores } = await scoreTableRows(raw, model, 'table.model.json');
      const encoding = model.file.tableEncoding as TableEncoding;
      const { X } = applyTableEncoding(encoding, raw);
      const expected = calibrate(model.calibrator, await model.predict(X));
      expect(Array.from(f64(scores, 'churn_probability'))).toEqual(Array.from(expected));
      const drivers = topDrivers(
        model.explainer!,
        X,
        REASONS_PER_SUBSCRIBER,
        tableGroups(encoding.columns, X.columns.length),
      );
      const reasons = tableReasonsOf(drivers, encoding.columns, raw);
      const got = dict(scores, 'reasons');
      const text = (c: { codes: Int32Array; dictionary: readonly string[] }, i: number) =>
        c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!;
      const rows = Array.from({ length: X.nRows }, (_, i) => i);
      expect(rows.map((i) => text(got, i))).toEqual(rows.map((i) => text(reasons, i)));
      expect(rows.filter((i) => text(got, i) !== null).length).toBeGreaterThan(X.nRows / 2);
    },
  );

  it('numbers the rows under "row", never under the model’s id name, when the table lacks the id', async () => {
    const base = table(600);
    const ids = Array.from({ length: base.rowCount }, (_, i) => `C${1000 + i}`);
    const raw: RawTable = { ...base, names: ['customer', ...base.names], columns: [ids, ...base.columns] };
    const model = await trainOn(raw, { trees: 10, seed: 3, threads: 1, id: 'customer' });
    const keyed = await scoreTableRows(raw, model, 'table.model.json');
    expect(Object.keys(keyed.scores.cols)[0]).toBe('customer');
    const keys = dict(keyed.scores, 'customer');
    expect(Array.from(keys.codes.subarray(0, 3), (c) => keys.dictionary[c])).toEqual(ids.slice(0, 3));
    const unkeyed = await scoreTableRows(base, model, 'table.model.json');
    expect(Object.keys(unkeyed.scores.cols)[0]).toBe('row');
    expect(unkeyed.scores.cols.customer).toBeUndefined();
    expect(unkeyed.notes).toEqual([
      {
        column: 'customer',
        note: `not in the table (the model's id column): its rows are numbered from 1 in a column named "row"; give --id COLUMN to key the scores by the table's own ids`,
      },
    ]);
  });
});
