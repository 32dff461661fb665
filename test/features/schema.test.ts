import { describe, expect, it } from 'vitest';
import {
  buildFeatures,
  CDR_FEATURES,
  DEFAULT_CONFIG,
  type FeatureSchema,
  featureSchemaHash,
  TRIGGERS,
  toFeatureMatrix,
} from '../../src/index.js';
import { billingTable } from './build.js';

describe('feature schema', () => {
  const { frame, schema } = buildFeatures(
    billingTable([
      { id: 'A', month: '2024-02', billed: 10, extra: { x_b: 1 } },
      { id: 'A', month: '2024-03', billed: 20, suspensions: 4, extra: { x_b: 2, x_a: 7 } },
    ]),
    null,
    DEFAULT_CONFIG,
  );

  it('lists CDR, billing, history and trigger features in a fixed order, extras last', () => {
    const names = schema.features.map((f) => f.name);
    expect(names.slice(0, CDR_FEATURES.length)).toEqual([...CDR_FEATURES]);
    expect(names.slice(CDR_FEATURES.length, CDR_FEATURES.length + 3)).toEqual([
      'billed_amount',
      'tenure_months',
      'months_to_plan_end',
    ]);
    expect(names.slice(-TRIGGERS.length - 2, -2)).toEqual(TRIGGERS.map((t) => `trigger_${t}`));
    expect(names.slice(-2)).toEqual(['x_a', 'x_b']);
    expect(new Set(names).size).toBe(names.length);
    expect(schema.features.find((f) => f.name === 'ends_silent')?.type).toBe('flag');
    expect(schema.features.find((f) => f.name === 'voice_out_calls')?.type).toBe('count');
  });

  it('hashes names, types and version but not descriptions', () => {
    const h = featureSchemaHash(schema);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const reworded: FeatureSchema = {
      ...schema,
      features: schema.features.map((f) => ({ ...f, description: 'x' })),
    };
    expect(featureSchemaHash(reworded)).toBe(h);
    const renamed: FeatureSchema = { ...schema, features: schema.features.slice(0, -1) };
    expect(featureSchemaHash(renamed)).not.toBe(h);
    expect(featureSchemaHash({ ...schema, version: schema.version + 1 })).not.toBe(h);
  });

  it('builds a Float64 matrix in schema order, converting integer and flag columns', () => {
    const m = toFeatureMatrix(frame, schema);
    expect(m.nRows).toBe(2);
    expect(m.names).toEqual(schema.features.map((f) => f.name));
    const at = (name: string) => Array.from(m.columns[m.names.indexOf(name)]!);
    expect(m.columns.every((c) => c instanceof Float64Array && c.length === 2)).toBe(true);
    expect(at('billed_amount')).toEqual([10, 20]);
    expect(at('suspension_count')).toEqual([0, 4]);
    expect(at('trigger_suspensions')).toEqual([0, 1]);
    expect(at('spend_change')).toEqual([Number.NaN, 1]);
    expect(at('x_a')).toEqual([Number.NaN, 7]);
    expect(at('voice_out_calls')).toEqual([Number.NaN, Number.NaN]);
  });

  it('refuses a frame that lacks a schema feature', () => {
    const bigger: FeatureSchema = {
      ...schema,
      features: [...schema.features, { name: 'x_c', type: 'number', description: '' }],
    };
    expect(() => toFeatureMatrix(frame, bigger)).toThrow(/x_c/);
  });
});
