import { describe, expect, it } from 'vitest';
import { TIERS } from '../src/contract.js';
import { valueTier } from '../src/value-tier.js';

describe('valueTier', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    [0,          [50, 150, 300], '<50'],
    [49.99,      [50, 150, 300], '<50'],
    [50,         [50, 150, 300], '50-150'],
    [149.99,     [50, 150, 300], '50-150'],
    [150,        [50, 150, 300], '150-300'],
    [299.99,     [50, 150, 300], '150-300'],
    [300,        [50, 150, 300], '300+'],
    [1e9,        [50, 150, 300], '300+'],
    [Number.NaN, [50, 150, 300], '<50'],
    [-5,         [50, 150, 300], '<50'],
    [20,         [10, 20, 30],   '150-300'],
  ] as const)('ARPU %s with bounds %j is %s', (arpu, bounds, tier) => {
    expect(TIERS[valueTier(arpu, bounds)]).toBe(tier);
  });
});
