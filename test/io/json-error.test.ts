import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorAt } from '../../src/io/json-error.js';

/** JSON.parse's verdict: -1 when it reads the text, else the position it names (null when none). */
function parsed(text: string): number | null {
  try {
    JSON.parse(text);
    return -1;
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    return m ? Number(m[1]) : null;
  }
}

/** A JSON text with one character put in, taken out or replaced at a drawn place. */
const damaged = fc
  .tuple(
    fc.json({ maxDepth: 3 }),
    fc.nat(),
    fc.constantFrom('insert', 'delete', 'replace'),
    fc.constantFrom(...'{}[],:"\\ \n0-1.eE+tfnuaTN/#\u0001x'),
  )
  .map(([json, at, how, ch]) => {
    const k = json.length === 0 ? 0 : at % json.length;
    if (how === 'insert') return json.slice(0, k) + ch + json.slice(k);
    if (how === 'delete') return json.slice(0, k) + json.slice(k + 1);
    return json.slice(0, k) + ch + json.slice(k + 1);
  });

describe('jsonErrorAt', () => {
  it('takes what JSON.parse takes, and stops where JSON.parse says when it says', () => {
    fc.assert(
      fc.property(damaged, (text) => {
        const v8 = parsed(text);
        const ours = jsonErrorAt(text);
        expect(ours === -1).toBe(v8 === -1);
        if (v8 !== null && v8 >= 0) expect(ours).toBe(v8);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it.each([
    ['{"a": True}', 6],
    ['{"a": NaN}', 6],
    ['// note\n{}', 0],
    ['{"a": tru}', 9],
    ['{"a": [1, 2', 11],
    ['', 0],
    ['{"a": 1}}', 8],
  ])('finds where %j stops being JSON', (text, at) => {
    expect(jsonErrorAt(text)).toBe(at);
  });

  it('gives no place, rather than failing, for nesting deeper than the stack', () => {
    expect(jsonErrorAt(`${'['.repeat(200_000)}x`)).toBe(-1);
  });
});
