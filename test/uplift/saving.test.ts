import { describe, expect, it } from 'vitest';
import { expectedSaving } from '../../src/index.js';

describe('expectedSaving', () => {
  // prettier-ignore
  it.each([
    { uplift: 0.1, arpu: 80, horizon: 12, cost: 0, saving: 96 },
    { uplift: 0.1, arpu: 80, horizon: 12, cost: 5, saving: 91 },
    { uplift: -0.05, arpu: 120, horizon: 6, cost: 2, saving: -38 },
    { uplift: 0, arpu: 50, horizon: 12, cost: 3, saving: -3 },
  ])(
    'uplift $uplift × ARPU $arpu × $horizon months − $cost = $saving',
    ({ uplift, arpu, horizon, cost, saving }) => {
      const s = expectedSaving(Float64Array.of(uplift), [arpu], {
        horizonMonths: horizon,
        contactCost: cost,
      });
      expect(s[0]).toBeCloseTo(saving, 12);
    },
  );

  it('is unknown where the ARPU is', () => {
    expect(
      expectedSaving(Float64Array.of(0.2), [Number.NaN], { horizonMonths: 12, contactCost: 0 })[0],
    ).toBeNaN();
  });
});
