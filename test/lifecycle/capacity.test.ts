import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, warningCapacity } from '../../src/index.js';

describe('warningCapacity', () => {
  const withCap = (capacity: number | null) => ({
    ...DEFAULT_CONFIG,
    targets: { ...DEFAULT_CONFIG.targets, capacity },
  });
  // biome-ignore format: aligned case table
  it.each([
    [40,        500,  40],
    [null,      500,  500],
    [undefined, 500,  500],
    [null,      null, null],
    [7,         null, 7],
  ] as const)('a run capacity of %s with targets.capacity %s gives %s', (run, configured, want) => {
    expect(warningCapacity(run, withCap(configured))).toBe(want);
  });
});
