import { describe, expect, it } from 'vitest';
import { makeFrame, take } from '../../src/frame.js';
import { nodeCovers, nodeCoversToJSON } from '../../src/model/contributions.js';
import { driftReference } from '../../src/model/drift.js';
import type { EngineName } from '../../src/model/types.js';
import { calibrateTraining } from '../../src/pipeline/calibration.js';
import { referenceRows } from '../../src/pipeline/drift.js';
import { fitWithEngine } from '../../src/pipeline/engine-model.js';
import { finishTraining } from '../../src/pipeline/train-finish.js';
import type { TrainingPhase } from '../../src/pipeline/validated-fit.js';
import { fitSegments, type SegmentOptions } from '../../src/segment/index.js';
import { generate } from '../model/forest-data.js';

// Above the walk's in-process limit, so the walk runs on worker threads beside the segments.
const data = generate(12_000, { noise: 4, seed: 5 });
const params = { forest: { trees: 8, minLeaf: 5, threads: 1 }, boost: { trees: 10, threads: 1 } };
const frame = makeFrame(Object.fromEntries(data.X.names.map((n, j) => [n, data.X.columns[j]!])));
const options: SegmentOptions = {
  features: data.X.names.slice(0, 3),
  k: null,
  kMin: 2,
  kMax: 4,
  restarts: 2,
  silhouetteSample: 500,
  seed: 3,
};

type Fitted = Awaited<ReturnType<typeof fitWithEngine>>;
type Finish = Parameters<typeof finishTraining>[0];

/** finishTraining on the generated rows with no hold-out, seed 1 and two threads. */
const finish = (fit: Fitted, rest: Pick<Finish, 'segments'> & Partial<Finish>) =>
  finishTraining({ held: null, final: fit, X: data.X, y: data.y, seed: 1, threads: 2, ...rest });

describe('finishTraining', () => {
  it.each<[EngineName, boolean]>([
    ['forest', false],
    ['boost', false],
    ['forest', true],
  ])('%s (drift on a subset: %s): the results of the steps run one after another', async (engine, subset) => {
    const fit = await fitWithEngine(engine, data.X, data.y, params);
    const driftRows = subset ? Int32Array.from({ length: 6000 }, (_, i) => 2 * i + 1) : undefined;
    const phases: TrainingPhase[] = [];
    const segmentFrame = driftRows ? take(frame, driftRows) : frame;
    const after = await finish(fit, {
      ...(driftRows ? { driftRows } : {}),
      segments: async () => fitSegments(segmentFrame, options),
      onPhase: (p) => phases.push(p),
    });
    expect(phases).toEqual(['calibrate', 'drift', 'segments', 'explain']);
    expect(after.calibration.json).toEqual(calibrateTraining(null, { oob: fit.oobScores, y: data.y }).json);
    expect(after.segments.model).toEqual(fitSegments(segmentFrame, options).model);
    // Covers on every row (12,000 is under the reference sample size), drift on the drift rows only.
    expect(referenceRows(data.X.nRows, 1)).toBeUndefined();
    const trees = fit.ensemble!.trees;
    expect(after.explanation).toEqual(nodeCoversToJSON(trees, nodeCovers(trees, data.X)));
    const Xref = driftRows
      ? {
          ...data.X,
          nRows: driftRows.length,
          columns: data.X.columns.map((c) => c.filter((_, i) => i % 2 === 1)),
        }
      : data.X;
    const expected = driftReference(Xref, fit.predict(Xref), 1);
    expect(after.drift).toEqual(expected);
    expect(after.drift.rows).toBe(subset ? 6000 : 12_000);
  });

  it('a failing segment fit fails the training, and the walk on other threads does not go unhandled', async () => {
    const fit = await fitWithEngine('forest', data.X, data.y, params);
    await expect(
      finish(fit, { segments: async () => fitSegments(frame, { ...options, restarts: 0 }) }),
    ).rejects.toThrow(/restarts must be a positive integer/);
  });
});
