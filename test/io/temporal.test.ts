import { describe, expect, it } from 'vitest';
import { formatTemporal } from '../../src/io/temporal.js';

describe('formatTemporal', () => {
  // biome-ignore format: column-aligned table
  it.each([
    [Date.UTC(2024, 2, 1, 8, 15, 0),       'datetime', '2024-03-01T08:15:00'],
    [Date.UTC(2024, 1, 29, 23, 59, 59, 999), 'datetime', '2024-02-29T23:59:59'],
    [Date.UTC(1969, 11, 31, 23, 0, 1),     'datetime', '1969-12-31T23:00:01'],
    [Date.UTC(2024, 1, 29, 23, 59, 59),    'date',     '2024-02-29'],
    [Date.UTC(2024, 1, 29, 23, 59, 59),    undefined,  '2024-02-29'],
    [Date.UTC(2025, 6, 1),                 'month',    '2025-07'],
    [Number.NaN,                           'date',     'NaN'],
    [9e15,                                 'datetime', '9000000000000000'],
  ] as const)('writes %d as a %s: %s', (ms, as, text) => {
    expect(formatTemporal(ms, as)).toBe(text);
  });

  it('writes every second of a stretch of days as Date does', () => {
    const from = Date.UTC(2023, 11, 30);
    for (let ms = from; ms < from + 3 * 86_400_000; ms += 7_919) {
      expect(formatTemporal(ms, 'datetime')).toBe(new Date(ms).toISOString().slice(0, 19));
    }
  });
});
