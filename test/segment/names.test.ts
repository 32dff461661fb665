import { describe, expect, it } from 'vitest';
import { NAME_MIN_Z, segmentNames } from '../../src/index.js';

const f = (feature: string, z: number) => ({ feature, z });

describe('segmentNames', () => {
  it('uses up to three features above the threshold, in the operator words', () => {
    expect(NAME_MIN_Z).toBe(0.3);
    const names = segmentNames([
      [f('data_mb', 2), f('voice_out_minutes', -1.5), f('arpu', 0.9), f('tenure_months', 0.8)],
      [f('tenure_months', -1.2), f('night_share', 0.5), f('arpu', 0.1)],
      [f('x_loyalty', 0.7), f('weekend_share', -0.4)],
      [f('arpu', 0.1)],
    ]);
    expect(names).toEqual([
      'heavy data, light voice, high value',
      'new, night',
      'high x_loyalty, weekday',
      'typical',
    ]);
  });

  it('disambiguates equal names with further features, then with the segment number', () => {
    const names = segmentNames([
      [f('data_mb', 2), f('arpu', 1), f('sms_out', 0.5), f('tenure_months', 0.2)],
      [f('data_mb', 1.8), f('arpu', 1.1), f('sms_out', 0.4), f('tenure_months', -0.1)],
      [f('data_mb', 1.5)],
      [f('data_mb', 1.2)],
    ]);
    expect(names).toEqual([
      'heavy data, high value, heavy SMS, long-tenure',
      'heavy data, high value, heavy SMS, new',
      'heavy data (segment 3)',
      'heavy data (segment 4)',
    ]);
    expect(new Set(names).size).toBe(4);
  });
});
