import { describe, expect, it } from 'vitest';
import { lloyd } from '../../src/index.js';
import { fitKMeans } from '../../src/segment/kmeans.js';
import { overlappingRows as rows } from './blobs.js';

describe('fitKMeans with screened restarts', () => {
  const x = rows(3_000, 4, 11, false);
  const options = { maxIterations: 100, tolerance: 1e-6, seed: 3 };

  it('runs a screened restart on to what running it whole gives, to the last bit', () => {
    // One restart: screening only stops it after 2 iterations and runs it on from there.
    const whole = fitKMeans(x, 6, { ...options, restarts: 1 });
    const screened = fitKMeans(x, 6, { ...options, restarts: 1, screen: 2 });
    expect(whole.iterations).toBeGreaterThan(2);
    expect(screened.iterations).toBe(whole.iterations);
    expect(Array.from(screened.centroids)).toEqual(Array.from(whole.centroids));
    expect(screened.inertia).toBe(whole.inertia);
  });

  it('keeps one of the same restarts, run to convergence', () => {
    const whole = fitKMeans(x, 6, { ...options, restarts: 8 });
    const screened = fitKMeans(x, 6, { ...options, restarts: 8, screen: 3 });
    // Converged: one more step moves no centre.
    const again = lloyd(x, screened.centroids, 6, { maxIterations: 100, tolerance: 0 });
    expect(again.iterations).toBe(1);
    expect(Array.from(again.centroids)).toEqual(Array.from(screened.centroids));
    // The same starts, each kept one run to the end: never below the best of them all run whole.
    expect(screened.inertia).toBeGreaterThanOrEqual(whole.inertia);
    // Screening past convergence compares them as running them whole does.
    const late = fitKMeans(x, 6, { ...options, restarts: 8, screen: 100 });
    expect(Array.from(late.centroids)).toEqual(Array.from(whole.centroids));
  });
});
