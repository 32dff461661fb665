import { describe, expect, it } from 'vitest';
import { fitSegments, type SegmentOptions } from '../../src/segment/fit.js';
import { fitSegmentsParallel, PARALLEL_CHOICE_MIN_ROWS } from '../../src/segment/parallel.js';
import { makeBlobs } from './blobs.js';

const OPTIONS: SegmentOptions = { k: null, kMin: 2, kMax: 8, restarts: 3, silhouetteSample: 1000, seed: 5 };

describe('fitSegmentsParallel', () => {
  const { frame } = makeBlobs({ seed: 4 });

  it('gives fitSegments result to the last bit, with one thread and with two', async () => {
    const alone = fitSegments(frame, OPTIONS);
    // minRows 0: this small frame's choice fits go to a worker all the same.
    const two = await fitSegmentsParallel(frame, OPTIONS, 2, 0);
    const one = await fitSegmentsParallel(frame, OPTIONS, 1, 0);
    const small = await fitSegmentsParallel(frame, OPTIONS, 2);
    expect(frame.n).toBeLessThan(PARALLEL_CHOICE_MIN_ROWS);
    expect(alone.report.silhouetteByK.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (const other of [two, one, small]) {
      expect(other.report).toEqual(alone.report);
      expect(other.model).toEqual(alone.model);
      expect(Array.from(other.assignment)).toEqual(Array.from(alone.assignment));
    }
  }, 60_000);

  it('reports a bad option before starting any thread', async () => {
    await expect(fitSegmentsParallel(frame, { ...OPTIONS, restarts: 0 }, 2, 0)).rejects.toThrow(
      /restarts must be a positive integer/,
    );
  });
});
