import { describe, expect, it } from 'vitest';
import { concat, dictFromStrings, makeFrame, take, where } from '../src/index.js';
import { frameEqual } from './helpers/frame-equal.js';

describe('frame', () => {
  const f = makeFrame({
    id: dictFromStrings(['007', '008', null, '007']),
    amount: new Float64Array([1.5, Number.NaN, 3, 4]),
    flag: new Uint8Array([1, 0, 1, 0]),
  });

  it('keeps ids as strings, with missing values', () => {
    frameEqual(f, { id: ['007', '008', null, '007'], amount: [1.5, Number.NaN, 3, 4], flag: [1, 0, 1, 0] });
  });

  it('takes rows in the order given', () => {
    frameEqual(
      take(
        f,
        where(f.n, (i) => i !== 1),
      ),
      { id: ['007', null, '007'], amount: [1.5, 3, 4], flag: [1, 1, 0] },
    );
  });

  it('stacks frames, re-coding dictionaries', () => {
    const g = makeFrame({
      id: dictFromStrings(['009', '007']),
      amount: new Float64Array([9, 7]),
      flag: new Uint8Array([0, 1]),
    });
    const all = concat([f, g]);
    expect(all.n).toBe(6);
    frameEqual(all, {
      id: ['007', '008', null, '007', '009', '007'],
      amount: [1.5, Number.NaN, 3, 4, 9, 7],
      flag: [1, 0, 1, 0, 0, 1],
    });
  });

  it('refuses columns of different lengths', () => {
    expect(() => makeFrame({ a: new Float64Array(2), b: new Int32Array(3) })).toThrow(
      /column "b" has 3 rows/,
    );
  });
});
