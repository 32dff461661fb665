import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, ModelError } from '../../src/index.js';
import { parseModel, serializeModel } from '../../src/model/persist.js';

const shipped = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: a model file's JSON, edited by hand as a user would
type Json = Record<string, any>;

/** The shipped model with one change made by hand to its parsed JSON, written back as JSON. */
function edited(change: (m: Json) => void, space?: number): string {
  const m = JSON.parse(shipped);
  change(m);
  return JSON.stringify(m, null, space);
}

describe('model id', () => {
  it('is the hash of the content: serializing what was read gives the same file', () => {
    const { format, version, id, ...content } = parseModel(shipped, 'shipped');
    expect([format, version]).toEqual(['retain-model', 1]);
    expect(serializeModel(content)).toBe(shipped);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with the content', () => {
    const { format, version, id, ...content } = parseModel(shipped, 'shipped');
    const other = serializeModel({ ...content, thresholds: { warning_deciles: 2 } });
    expect(JSON.parse(other).id).not.toBe(id);
    expect(parseModel(other, 'other').thresholds).toEqual({ warning_deciles: 2 });
  });

  it('survives reformatting: whitespace is not content', () => {
    expect(
      parseModel(
        edited(() => {}, 2),
        'pretty',
      ).id,
    ).toBe(JSON.parse(shipped).id);
  });

  it.each([
    ['a changed threshold', (m: Json) => (m.thresholds.warning_deciles = 2)],
    ['a NaN written as null', (m: Json) => (m.thresholds.warning_deciles = null)],
    ['a changed training record', (m: Json) => (m.training.churnRate = 0.5)],
    ['a changed forest', (m: Json) => (m.forest = { ...m.forest, edited: true })],
    ['a changed feature description', (m: Json) => (m.featureSchema.features[0].description = 'x')],
    ['a changed id', (m: Json) => (m.id = '0000000000000000')],
  ])('%s: the file was changed after it was written (ModelError)', (_, change) => {
    const text = edited(change);
    expect(() => parseModel(text, 'm.json')).toThrow(ModelError);
    expect(() => parseModel(text, 'm.json')).toThrow(
      /^m\.json: the model file was changed after it was written \(id "[0-9a-f]{16}" does not match its content, which hashes to "[0-9a-f]{16}"\)/,
    );
  });

  it('checks the envelope before the id', () => {
    expect(() =>
      parseModel(
        edited((m) => (m.version = 2)),
        'm.json',
      ),
    ).toThrow(/version 2 is not supported/);
    expect(() =>
      parseModel(
        edited((m) => delete m.forest),
        'm.json',
      ),
    ).toThrow(/damaged model file: forest is missing/);
  });
});
