import { describe, expect, it } from 'vitest';
import { fitSegments, ModelError, type SegmentModel, segmentModelFromJSON } from '../../src/index.js';
import { makeBlobs } from './blobs.js';

const { frame } = makeBlobs({ seed: 5 });
const { model } = fitSegments(frame, { k: 4, kMin: 2, kMax: 8, restarts: 2, silhouetteSample: 300, seed: 1 });
// biome-ignore lint/suspicious/noExplicitAny: the cases below mutate parsed JSON freely
type Json = any;
const json = (): Json => JSON.parse(JSON.stringify(model));

describe('segmentModelFromJSON', () => {
  it('round-trips a fitted model', () => {
    const loaded: SegmentModel = segmentModelFromJSON(json());
    expect(loaded).toEqual(model);
    expect(loaded.format).toBe('retain-segments');
    expect(loaded.version).toBe(1);
  });

  // biome-ignore format: column-aligned case table
  it.each([
    ['another format',         (m: Json) => { m.format = 'RFClassifier'; },            /not a segment model.*RFClassifier/],
    ['a newer version',        (m: Json) => { m.version = 2; },                        /version 2 is not supported/],
    ['not an object',          () => null,                                             /not a segment model/],
    ['a missing scaler',       (m: Json) => { delete m.scaler; },                      /scaler/],
    ['a NaN centroid',         (m: Json) => { m.centroids[1][0] = 'NaN'; },            /centroids\.1\.0/],
    ['a short centroid',       (m: Json) => { m.centroids[2].pop(); },                 /centroids\.2 has 9 values, expected 10/],
    ['k out of step',          (m: Json) => { m.k = 5; },                              /expected k = 5/],
    ['duplicate names',        (m: Json) => { m.names[1] = m.names[0]; m.profiles[1].name = m.names[0]; }, /names are not unique/],
    ['a zero std',             (m: Json) => { m.scaler.stds[0] = 0; },                 /scaler\.stds\.0: must be positive/],
    ['scaler features differ', (m: Json) => { m.scaler.features[0] = 'sms_in'; },      /scaler\.features/],
    ['an unknown key',         (m: Json) => { m.extra = 1; },                          /extra/],
  ] as const)('rejects %s with a ModelError', (_, mutate, message) => {
    const m = json();
    const bad = (mutate as (m: Json) => unknown)(m) === null ? null : m;
    expect(() => segmentModelFromJSON(bad)).toThrow(ModelError);
    expect(() => segmentModelFromJSON(bad)).toThrow(message);
  });
});
