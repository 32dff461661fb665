/**
 * Both uplift learners on a randomised campaign whose effect is known per row: the order they give
 * finds those a call keeps, the held-out comparison records both, and the model file round-trips,
 * hashed and tagged, refusing a changed file and a churn model.
 */
import { describe, expect, it } from 'vitest';
import {
  balancedRows,
  createRandom,
  fitLearner,
  fitUplift,
  heldOutSplit,
  ModelError,
  parseUpliftModel,
  qiniCurve,
  serializeUpliftModel,
  transformedOutcome,
  type UpliftModelContent,
} from '../../src/index.js';

/** x0 drives the effect (calls keep x0 > 0.5, wake x0 < 0.2), x1 drives churn, x2 is noise. */
function campaign(n: number, seed: number, calledShare: number) {
  const r = createRandom(seed, 9);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const treated = new Uint8Array(n);
  const churned = new Uint8Array(n);
  const effect = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = r.next();
    treated[i] = r.next() < calledShare ? 1 : 0;
    const base = 0.1 + 0.3 * cols[1]![i]!;
    effect[i] = cols[0]![i]! > 0.5 ? 0.25 : cols[0]![i]! < 0.2 ? -0.2 : 0;
    churned[i] = r.next() < base - (treated[i] ? effect[i]! : 0) ? 1 : 0;
  }
  return { X: { nRows: n, names: ['x0', 'x1', 'x2'], columns: cols }, treated, churned, effect };
}

const settings = { engine: 'forest' as const, params: { trees: 40 }, seed: 3 };

describe('uplift learners', () => {
  it.each(['two-model', 'class-transformation'] as const)(
    '%s orders a fresh campaign by its true effect',
    async (method) => {
      const train = campaign(6000, 1, 0.5);
      const test = campaign(3000, 2, 0.5);
      const learner = await fitLearner(method, train, settings);
      const u = learner.predict(test.X);
      const mean = (pick: (e: number) => boolean) => {
        let s = 0;
        let k = 0;
        test.effect.forEach((e, i) => {
          if (pick(e)) {
            s += u[i]!;
            k++;
          }
        });
        return s / k;
      };
      expect(mean((e) => e > 0)).toBeGreaterThan(mean((e) => e === 0));
      expect(mean((e) => e === 0)).toBeGreaterThan(mean((e) => e < 0));
      const q = qiniCurve({ score: u, treated: test.treated, churned: test.churned });
      const oracle = qiniCurve({ score: test.effect, treated: test.treated, churned: test.churned });
      expect(q.qiniCoefficient).toBeGreaterThan(0.5 * oracle.qiniCoefficient);
    },
  );

  it('balances the arms by repeating the smaller one, and transforms the outcome', () => {
    const treated = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0]);
    const rows = balancedRows(treated, 1);
    const control = [...rows].filter((r) => treated[r] === 0).length;
    expect([...rows].filter((r) => treated[r] === 1)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(control).toBe(6); // ratio 3: each control row three times
    expect([...transformedOutcome(Uint8Array.from([1, 1, 0, 0]), Uint8Array.from([0, 1, 0, 1]))]).toEqual([
      1, 0, 0, 1,
    ]);
  });

  it('holds out each arm and outcome in the same share', () => {
    const c = campaign(4000, 4, 0.2);
    const { train, test } = heldOutSplit(c, 0.3, 5);
    expect(train.length + test.length).toBe(4000);
    const share = (rows: Int32Array, f: (i: number) => boolean) => rows.filter(f).length;
    for (const arm of [0, 1]) {
      const inArm = (i: number) => c.treated[i] === arm;
      const all = share(
        Int32Array.from({ length: 4000 }, (_, i) => i),
        inArm,
      );
      expect(share(test, inArm) / all).toBeCloseTo(0.3, 2);
    }
  });

  it('compares both learners on the held-out part, records both, and round-trips the model file', async () => {
    const c = campaign(5000, 6, 0.3);
    const fit = await fitUplift(c, settings);
    expect(fit.selection.trials.map((t) => t.method)).toEqual(['two-model', 'class-transformation']);
    const best = Math.max(...fit.selection.trials.map((t) => t.qiniCoefficient));
    expect(fit.selection.trials.find((t) => t.method === fit.selection.chosen)!.qiniCoefficient).toBe(best);
    expect(fit.learner.method).toBe(fit.selection.chosen);
    const content: UpliftModelContent = {
      method: fit.learner.method,
      engine: 'forest',
      featureSchema: { version: 1, features: c.X.names.map((name) => ({ name, type: 'number' })) },
      featureSchemaHash: 'h',
      learner: fit.learner.parts,
      training: {
        campaigns: [{ month: '2025-05', called: 1500, control: 3500, calledChurned: 1, controlChurned: 1 }],
        rows: 5000,
        cdr: false,
        seed: 3,
        params: fit.learner.params,
        packageVersion: '0',
        trainedAt: '1970-01-01T00:00:00.000Z',
        command: 'retain train --uplift',
        selection: fit.selection,
      },
      importances: fit.learner.importances,
    };
    const text = serializeUpliftModel(content);
    const loaded = parseUpliftModel(text, 'u.json');
    expect(loaded.file.id).toMatch(/^[0-9a-f]{16}$/);
    expect(serializeUpliftModel(content)).toBe(text);
    expect([...loaded.predict(c.X)]).toEqual([...fit.learner.predict(c.X)]);
    const changed = text.replace('"rows":5000', '"rows":5001');
    expect(() => parseUpliftModel(changed, 'u.json')).toThrow(/changed after it was written/);
    expect(() => parseUpliftModel('{"format":"retain-model","version":1}', 'm.json')).toThrow(ModelError);
    expect(() => parseUpliftModel('{"format":"retain-model","version":1}', 'm.json')).toThrow(/churn model/);
  });
});
