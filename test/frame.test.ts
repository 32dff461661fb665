import { describe, expect, it } from 'vitest';
import {
  type Column,
  concat,
  dictFromStrings,
  dictToStrings,
  isDict,
  makeFrame,
  take,
  takeColumn,
  takeMatrix,
  where,
} from '../src/index.js';
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

  it.each<[string, Column, unknown[]]>([
    ['Float64', new Float64Array([0.5, Number.NaN, 2, 3]), [3, 0.5, 3]],
    ['Int32', new Int32Array([-1, 7, 8, 9]), [9, -1, 9]],
    ['Uint8', new Uint8Array([1, 0, 255, 4]), [4, 1, 4]],
    ['dictionary', dictFromStrings(['a', null, 'b', 'c']), ['c', 'a', 'c']],
  ])('selects rows [3, 0, 3] of a %s column into a new column of the same type', (_, c, expected) => {
    const taken = takeColumn(c, [3, 0, 3]);
    expect(taken.constructor).toBe(c.constructor);
    expect(taken).not.toBe(c);
    expect(isDict(taken) ? dictToStrings(taken) : Array.from(taken)).toEqual(expected);
    if (isDict(taken) && isDict(c)) expect(taken.dictionary).toBe(c.dictionary);
  });

  it('selects rows of a feature matrix, every column alike', () => {
    const X = {
      nRows: 3,
      names: ['a', 'b'],
      columns: [new Float64Array([1, 2, 3]), new Float64Array([4, Number.NaN, 6])],
    };
    const taken = takeMatrix(X, new Int32Array([2, 1]));
    expect(taken.nRows).toBe(2);
    expect(taken.names).toEqual(['a', 'b']);
    expect(taken.columns.map((c) => Array.from(c))).toEqual([
      [3, 2],
      [6, Number.NaN],
    ]);
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
