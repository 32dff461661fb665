import { expect } from 'vitest';
import { dictToStrings, type Frame, isDict } from '../../src/frame.js';

/**
 * The frame holds exactly these columns (no more, no fewer) with exactly these values, and as many
 * rows as they have. To check some columns of a wider frame, say which: `frameColumnsEqual`.
 */
export function frameEqual(actual: Frame, expected: Record<string, readonly unknown[]>): void {
  expect(Object.keys(actual.cols).sort(), 'columns').toEqual(Object.keys(expected).sort());
  frameColumnsEqual(actual, expected);
}

/** The named columns of a frame hold exactly these values, and the frame has as many rows. */
export function frameColumnsEqual(actual: Frame, expected: Record<string, readonly unknown[]>): void {
  for (const [name, values] of Object.entries(expected)) {
    const c = actual.cols[name];
    expect(c, `column ${name}`).toBeDefined();
    const got = isDict(c!) ? dictToStrings(c) : Array.from(c!);
    expect(got, `column ${name}`).toEqual(values);
    expect(actual.n, `rows (column ${name})`).toBe(values.length);
  }
}
