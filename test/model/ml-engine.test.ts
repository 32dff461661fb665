import { describe, expect, it } from 'vitest';
import {
  auc,
  estimateMlSeconds,
  fitForest,
  getEngine,
  type MlForestModel,
  mlTrainingWarning,
  predictForest,
} from '../../src/index.js';
import { generate, slice } from './forest-data.js';

const data = generate(2200, { noise: 3, seed: 13 });
const train = slice(data, 0, 700);
const test = slice(data, 700, 2200);

interface Node {
  left?: Node;
  right?: Node;
  splitColumn?: number;
  splitValue?: number;
  distribution?: { columns: number; get(r: number, c: number): number };
}

describe('ml-random-forest engine', async () => {
  const engine = getEngine('ml-random-forest');
  const fit = await engine.fit(train.X, train.y, { trees: 8, minLeaf: 3, seed: 4 });
  const model = fit.model as MlForestModel;
  const scores = engine.predict(model, test.X);

  it('scores within 0.05 AUC of our forest on the same small set', async () => {
    const ours = await fitForest(train.X, train.y, { trees: 8, minLeaf: 3, seed: 4, threads: 1 });
    expect(Math.abs(auc(scores, test.y) - auc(predictForest(ours.model, test.X), test.y))).toBeLessThan(0.05);
  });

  it('averages the class-1 leaf share over ALL trees (checked by walking its trees by hand)', () => {
    const { estimators, indexes } = model.forest as unknown as {
      estimators: { root: Node }[];
      indexes: number[][];
    };
    expect(estimators).toHaveLength(8);
    for (const i of [0, 5, 17, 400]) {
      const row = test.X.columns.map((c, f) => (Number.isNaN(c[i]!) ? model.medians[f]! : c[i]!));
      let sum = 0;
      estimators.forEach((est, t) => {
        let node = est.root;
        while (node.left && node.right) {
          node = row[indexes[t]![node.splitColumn!]!]! < node.splitValue! ? node.left : node.right;
        }
        const d = node.distribution!;
        sum += d.columns > 1 ? d.get(0, 1) : 0;
      });
      expect(scores[i]).toBeCloseTo(sum / 8, 12);
    }
  });

  it('imputes NaN with the training median', () => {
    expect(train.X.columns[3]!.some(Number.isNaN)).toBe(true);
    expect(Number.isFinite(model.medians[3]!)).toBe(true);
    expect(scores.every((p) => p >= 0 && p <= 1)).toBe(true);
  });

  it('round-trips through JSON', () => {
    const back = engine.fromJSON(JSON.parse(JSON.stringify(engine.toJSON(model))));
    expect(engine.predict(back, test.X)).toEqual(scores);
    expect(() => engine.fromJSON({ format: 'retain-forest' })).toThrow(/expected "retain-ml-random-forest"/);
  });

  it('warns with a time estimate on large data only', () => {
    expect(mlTrainingWarning(1000, 8, 10)).toBeUndefined();
    expect(mlTrainingWarning(200_000, 30, 100)).toMatch(/may take about \d+ minutes/);
    expect(estimateMlSeconds(20_000, 20, 10)).toBeGreaterThan(3 * estimateMlSeconds(10_000, 20, 10));
    expect(getEngine('forest').warning(1e6, 30)).toBeUndefined();
  });
});
