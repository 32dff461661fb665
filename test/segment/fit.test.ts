import { describe, expect, it } from 'vitest';
import {
  assignSegments,
  DEFAULT_CONFIG,
  DEFAULT_SEGMENT_FEATURES,
  fitSegments,
  InputError,
  ModelError,
  makeFrame,
  type SegmentOptions,
  segmentModelFromJSON,
  segmentOptionsFromConfig,
  select,
} from '../../src/index.js';
import { adjustedRand, BLOBS, majoritySegment, makeBlobs } from './blobs.js';

const OPTIONS: SegmentOptions = { k: null, kMin: 2, kMax: 8, restarts: 4, silhouetteSample: 1000, seed: 7 };
const { frame, truth } = makeBlobs({ seed: 1 });
const fit = fitSegments(frame, OPTIONS);

describe('fitSegments on planted blobs', () => {
  it('chooses the planted k by silhouette and recovers the blobs', () => {
    expect(fit.report.k).toBe(BLOBS.length);
    expect(fit.report.silhouetteByK.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const best = fit.report.silhouetteByK.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(best.k).toBe(4);
    expect(best.silhouette).toBeGreaterThan(0.6);
    expect(adjustedRand(truth, fit.assignment)).toBeGreaterThan(0.99);
    // Inertia only falls as k grows: the restarts found good optima.
    const inertias = fit.report.silhouetteByK.map((s) => s.inertia);
    for (let i = 1; i < inertias.length; i++) expect(inertias[i]!).toBeLessThan(inertias[i - 1]!);
  });

  it('numbers segments by size, largest first, and profiles them', () => {
    const sizes = fit.model.profiles.map((p) => p.size);
    expect(sizes).toEqual([1200, 800, 600, 400]);
    expect(majoritySegment(truth, fit.assignment, fit.model.k)).toEqual([0, 1, 2, 3]);
    const arpu = frame.cols.arpu as Float64Array;
    const labelled = frame.cols.labelled as Uint8Array;
    const churned = frame.cols.churned_next as Uint8Array;
    fit.model.profiles.forEach((p, s) => {
      let sum = 0;
      let lab = 0;
      let churn = 0;
      for (let i = 0; i < frame.n; i++) {
        if (fit.assignment[i] !== s) continue;
        sum += arpu[i]!;
        lab += labelled[i]!;
        churn += labelled[i]! & churned[i]!;
      }
      expect(p.share).toBeCloseTo(p.size / frame.n, 12);
      expect(p.meanArpu).toBeCloseTo(sum / p.size, 9);
      expect(p.labelledRows).toBe(lab);
      expect(p.churnRate).toBeCloseTo(churn / lab, 12);
      expect(p.featureMeans.arpu).toBeCloseTo(sum / p.size, 9);
    });
    // The new, light blob churns most.
    expect(fit.model.profiles[2]!.churnRate!).toBeGreaterThan(0.25);
  });

  it('gives unique names that say something true', () => {
    const names = fit.model.names;
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toContain('heavy data');
    expect(names[0]).toContain('high value');
    expect(names[1]).toContain('heavy voice');
    expect(names[2]).toContain('low value');
    expect(names[3]).toContain('night');
    expect(names[3]).toContain('heavy SMS');
    for (const p of fit.model.profiles) {
      expect(p.distinctive).toHaveLength(3);
      // Largest |z| first, and the listed z is the profile's z for that feature.
      for (const d of p.distinctive) expect(p.z[d.feature]).toBe(d.z);
      const absZ = p.distinctive.map((d) => Math.abs(d.z));
      expect([...absZ].sort((a, b) => b - a)).toEqual(absZ);
    }
    expect(fit.model.profiles[0]!.z.data_mb!).toBeGreaterThan(1);
  });

  it('is deterministic for a seed', () => {
    const again = fitSegments(frame, OPTIONS);
    expect(again.model).toEqual(fit.model);
    expect(again.assignment).toEqual(fit.assignment);
    expect(again.report).toEqual(fit.report);
  });

  it('reproduces the training assignment exactly from the saved model, also after a JSON round trip', () => {
    expect(assignSegments(fit.model, frame)).toEqual(fit.assignment);
    const loaded = segmentModelFromJSON(JSON.parse(JSON.stringify(fit.model)));
    expect(loaded).toEqual(fit.model);
    expect(assignSegments(loaded, frame)).toEqual(fit.assignment);
  });

  it('assigns a later, busier month with the saved centroids without reshuffling segments', () => {
    const later = makeBlobs({ seed: 2, volumeFactor: 1.15, tenureShift: 1 });
    const assignment = assignSegments(fit.model, later.frame);
    expect(majoritySegment(later.truth, assignment, fit.model.k)).toEqual([0, 1, 2, 3]);
    expect(adjustedRand(later.truth, assignment)).toBeGreaterThan(0.98);
  });

  it('fits on a seeded sample on large data and still assigns every row', () => {
    const sampled = fitSegments(frame, { ...OPTIONS, k: 4, fitSample: 400 });
    expect(sampled.report.fitRows).toBe(400);
    expect(sampled.report.silhouetteByK.map((s) => s.k)).toEqual([4]);
    expect(sampled.assignment).toHaveLength(frame.n);
    expect(adjustedRand(truth, sampled.assignment)).toBeGreaterThan(0.99);
    expect(assignSegments(sampled.model, frame)).toEqual(sampled.assignment);
  });

  it('chooses k on a smaller seeded sample, refines on the fit sample and still recovers the blobs', () => {
    const small = fitSegments(frame, { ...OPTIONS, choiceSample: 500, fitSample: 2000 });
    expect(small.report.choiceRows).toBe(500);
    expect(small.report.fitRows).toBe(2000);
    expect(small.report.k).toBe(BLOBS.length);
    expect(adjustedRand(truth, small.assignment)).toBeGreaterThan(0.99);
    // Inertia on the choice sample, so comparable across k, and falling as k grows.
    const inertias = small.report.silhouetteByK.map((s) => s.inertia);
    for (let i = 1; i < inertias.length; i++) expect(inertias[i]!).toBeLessThan(inertias[i - 1]!);
    expect(assignSegments(small.model, frame)).toEqual(small.assignment);
    expect(fitSegments(frame, { ...OPTIONS, choiceSample: 500, fitSample: 2000 }).model).toEqual(small.model);
  });

  it('copes with missing values: NaN counts as the training mean', () => {
    const holey = makeBlobs({ seed: 3, missingShare: 0.05 });
    const f = fitSegments(holey.frame, { ...OPTIONS, k: 4 });
    expect(f.model.scaler.means.every(Number.isFinite)).toBe(true);
    expect(adjustedRand(holey.truth, f.assignment)).toBeGreaterThan(0.9);
    expect(assignSegments(f.model, holey.frame)).toEqual(f.assignment);
    // A row with every feature missing sits at the population mean: the segment whose centroid is nearest 0.
    const blank = makeFrame(
      Object.fromEntries(f.model.features.map((name) => [name, new Float64Array([Number.NaN])])),
    );
    const norms = f.model.centroids.map((c) => c.reduce((s, v) => s + v * v, 0));
    expect(assignSegments(f.model, blank)[0]).toBe(norms.indexOf(Math.min(...norms)));
  });

  it('fits on the default features present (billing-only run) and records them', () => {
    const billingOnly = select(frame, ['arpu', 'tenure_months', 'labelled', 'churned_next']);
    const f = fitSegments(billingOnly, { ...OPTIONS, k: 3 });
    expect(f.model.features).toEqual(['arpu', 'tenure_months']);
    expect(f.model.centroids.every((c) => c.length === 2)).toBe(true);
    expect(DEFAULT_SEGMENT_FEATURES.filter((x) => frame.cols[x] !== undefined)).toEqual(fit.model.features);
  });

  it('names a missing feature column when assigning', () => {
    const noData = select(
      frame,
      fit.model.features.filter((f) => f !== 'data_mb'),
    );
    expect(() => assignSegments(fit.model, noData)).toThrow(ModelError);
    expect(() => assignSegments(fit.model, noData)).toThrow(/"data_mb"/);
  });

  it('rejects requested features that are absent and data with too few distinct rows', () => {
    expect(() => fitSegments(frame, { ...OPTIONS, features: ['arpu', 'x_loyalty'] })).toThrow(/x_loyalty/);
    const flat = makeFrame({
      arpu: new Float64Array(50).fill(10),
      tenure_months: new Float64Array(50).fill(3),
    });
    expect(() => fitSegments(flat, { ...OPTIONS, k: null })).toThrow(InputError);
    // It says which setting to change.
    expect(() => fitSegments(flat, { ...OPTIONS, k: null })).toThrow(
      /only 1 distinct behaviour profiles .*\(lower segments\.k_min, or set segments\.k, in the config\)/,
    );
  });

  it('names a screening count that is not a whole number of iterations, beside the other problems', () => {
    expect(() => fitSegments(frame, { ...OPTIONS, restarts: 0, screenIterations: -1 })).toThrow(
      /restarts must be a positive integer.*screenIterations must be an integer >= 0, got -1/,
    );
    expect(() => fitSegments(frame, { ...OPTIONS, screenIterations: 2.5 })).toThrow(/screenIterations/);
  });

  it('takes its options from the config', () => {
    expect(segmentOptionsFromConfig(DEFAULT_CONFIG.segments, 5)).toEqual({
      k: null,
      kMin: 4,
      kMax: 10,
      restarts: 8,
      silhouetteSample: 3000,
      seed: 5,
    });
  });
});
