import { expect } from 'vitest';
import { dictToStrings, type Frame, isDict } from '../../src/index.js';

/** Asserts that a frame's columns hold the given values (dictionary columns as strings, NaN equal to NaN). */
export function frameEqual(actual: Frame, expected: Record<string, readonly unknown[]>): void {
  for (const [name, values] of Object.entries(expected)) {
    const c = actual.cols[name];
    expect(c, `column ${name}`).toBeDefined();
    const got = isDict(c!) ? dictToStrings(c) : Array.from(c!);
    expect(got, `column ${name}`).toEqual(values);
  }
}
