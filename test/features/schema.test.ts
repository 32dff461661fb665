import { describe, expect, it } from 'vitest';
import {
  buildFeatures,
  CDR_FEATURES,
  DEFAULT_CONFIG,
  EXTRAS_FAMILY,
  FEATURE_FAMILIES,
  type FeatureSchema,
  familyOf,
  featureSchemaHash,
  ModelError,
  TRIGGERS,
  toFeatureMatrix,
} from '../../src/index.js';
import { checkFeatures } from '../../src/model/persist.js';
import { aggregate, billingTable } from './build.js';

describe('feature schema', () => {
  const { frame, schema } = buildFeatures(
    billingTable([
      { id: 'A', month: '2024-02', billed: 10, extra: { x_b: 1 } },
      { id: 'A', month: '2024-03', billed: 20, suspensions: 4, extra: { x_b: 2, x_a: 7 } },
    ]),
    null,
    DEFAULT_CONFIG,
  );

  it('lists the families in a fixed order, each feature once, extras last and sorted', () => {
    const names = schema.features.map((f) => f.name);
    const families = Object.values(FEATURE_FAMILIES).flatMap((specs) => specs.map(([name]) => name));
    expect(names).toEqual([...families, 'x_a', 'x_b']);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith('trigger_') && n !== 'trigger_months_3')).toEqual(
      TRIGGERS.map((t) => `trigger_${t}`),
    );
    expect(schema.features.find((f) => f.name === 'ends_silent')?.type).toBe('flag');
    expect(schema.features.find((f) => f.name === 'voice_out_calls')?.type).toBe('count');
  });

  it('names the family of every feature', () => {
    expect(familyOf('days_since_data')).toBe('recency');
    expect(familyOf('trigger_silent_days')).toBe('triggers');
    expect(familyOf('x_a')).toBe(EXTRAS_FAMILY);
  });

  it('every CDR aggregate is in the frame, and every schema feature too', () => {
    for (const name of CDR_FEATURES) expect(frame.cols[name], name).toBeDefined();
    for (const f of schema.features) expect(frame.cols[f.name], f.name).toBeDefined();
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

describe('a model trained on an earlier schema', () => {
  // The schema before the recency, tenure-in-days, contract and count-change features (version 1).
  const EARLIER = [
    ...['voice_out_calls', 'voice_in_calls', 'voice_out_minutes', 'voice_in_minutes', 'sms_out', 'sms_in'],
    ...['data_mb', 'data_sessions', 'active_days', 'longest_silent_run', 'ends_silent', 'distinct_contacts'],
    ...['night_share', 'weekend_share', 'own_care_calls', 'competitor_care_calls', 'cdr_charges'],
    ...['billed_amount', 'tenure_months', 'months_to_plan_end', 'is_suspended', 'is_arrears'],
    ...['is_pending_cancel', 'suspension_count', 'ownership_change', 'plan_change', 'is_group', 'arpu'],
    ...['spend_change', 'voice_minutes_change', 'data_change', 'spend_slope', 'voice_slope', 'data_slope'],
    ...['months_since_plan_change', 'trigger_months_3', ...TRIGGERS.map((t) => `trigger_${t}`)],
  ];
  const { frame, schema } = buildFeatures(
    billingTable([{ id: 'A', month: '2024-03', billed: 20 }]),
    aggregate([]),
    DEFAULT_CONFIG,
  );
  const supplied = new Map(schema.features.map((f) => [f.name, f]));

  it('scores: the frame supplies each of its features; the new ones are left out', () => {
    const model = EARLIER.map((name) => supplied.get(name)!);
    expect(model.every((f) => f !== undefined)).toBe(true);
    const { ignored } = checkFeatures(model, schema.features, 'old.model.json');
    expect(ignored.sort()).toEqual(
      schema.features
        .map((f) => f.name)
        .filter((n) => !EARLIER.includes(n))
        .sort(),
    );
    expect(ignored).toContain('days_since_voice_out');
    const X = toFeatureMatrix(frame, { version: 1, features: model });
    expect(X.names).toEqual(EARLIER);
  });

  it('a feature the frame cannot supply is a ModelError telling to retrain', () => {
    const model = [
      ...EARLIER.map((name) => supplied.get(name)!),
      { name: 'x_gone', type: 'number' as const },
    ];
    expect(() => checkFeatures(model, schema.features, 'old.model.json')).toThrow(ModelError);
    expect(() => checkFeatures(model, schema.features, 'old.model.json')).toThrow(
      /^old\.model\.json does not fit the data: the data lacks x_gone;.* Retrain with `retain train`/,
    );
  });
});
