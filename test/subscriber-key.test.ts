import { describe, expect, it } from 'vitest';
import { keyHash, keyHashOfWords, keyHigh, keyLow, numericKey } from '../src/subscriber-key.js';

describe('numeric keys as hash table words', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['0',              1,                     1, 1],
    ['7',              7 * 16 + 1,            1, 113],
    ['134217728',      2 ** 31 + 9,           1, -(2 ** 31) + 9],
    ['268435455',      2 ** 32 - 16 + 9,      1, -7],
    ['268435456',      2 ** 32 + 9,           2, 9],
    ['99999999999999', 99999999999999 * 16 + 14, Math.floor((99999999999999 * 16 + 14) / 2 ** 32) + 1, ((99999999999999 * 16 + 14) % 2 ** 32) | 0],
  ])('%s: key %i is words (%i, %i), hashed as the key is', (id, key, high, low) => {
    expect(numericKey(id)).toBe(key);
    expect([keyHigh(key), keyLow(key)]).toEqual([high, low]);
    expect(keyHigh(key)).toBeGreaterThanOrEqual(1);
    expect(keyHashOfWords(high, low)).toBe(keyHash(key));
  });
});
