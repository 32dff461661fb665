import { describe, expect, it } from 'vitest';
import { fitForest, forestToJSON, predictForest } from '../../src/index.js';
import { generate } from './forest-data.js';

describe('fitForest on worker threads', () => {
  it('grows the same forest with 1 and 2 threads: identical JSON, predictions, OOB and importances', async () => {
    const data = generate(3000, { noise: 4, seed: 21 });
    const params = { trees: 12, seed: 5, minLeaf: 3 };
    const progress: number[] = [];
    const one = await fitForest(data.X, data.y, { ...params, threads: 1 });
    const two = await fitForest(
      data.X,
      data.y,
      { ...params, threads: 2 },
      { onProgress: (done) => progress.push(done) },
    );
    expect(two.stats.threads).toBe(2);
    expect(JSON.stringify(forestToJSON(two.model))).toBe(JSON.stringify(forestToJSON(one.model)));
    expect(predictForest(two.model, data.X)).toEqual(predictForest(one.model, data.X));
    expect(two.stats.oobScores).toEqual(one.stats.oobScores);
    expect(two.stats.importances).toEqual(one.stats.importances);
    expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
