import { describe, expect, it } from 'vitest';
import { warningCapacity } from '../../src/index.js';

describe('warningCapacity', () => {
  // biome-ignore format: aligned case table
  it.each([
    [40,        500,  40],
    [null,      500,  500],
    [undefined, 500,  500],
    [null,      null, null],
    [7,         null, 7],
  ] as const)('a run capacity of %s with targets.capacity %s gives %s', (run, configured, want) => {
    expect(warningCapacity(run, configured)).toBe(want);
  });
});
