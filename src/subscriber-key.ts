/**
 * Subscriber ids as numbers, for hash tables on hot paths (CDR reading and aggregation). Most operator
 * ids are digit strings (MSISDNs, account numbers): those of up to 14 digits map exactly to
 * value * 16 + length, so leading zeros still tell ids apart, and a probe compares a number instead
 * of dereferencing a string. Any other id gets NOT_NUMERIC and goes to a Map or Set.
 */
const MAX_DIGITS = 14;
export const NOT_NUMERIC = -1;

/** value * 16 + length for ids of 1..14 ASCII digits, exact below 2^53; NOT_NUMERIC otherwise. */
export function numericKey(id: string): number {
  const len = id.length;
  if (len === 0 || len > MAX_DIGITS) return NOT_NUMERIC;
  let v = 0;
  for (let i = 0; i < len; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NOT_NUMERIC;
    v = v * 10 + c;
  }
  return v * 16 + len;
}

/** numericKey of the ASCII bytes b[from, to), without making the string. */
export function numericKeyOfBytes(b: Uint8Array, from: number, to: number): number {
  const len = to - from;
  if (len === 0 || len > MAX_DIGITS) return NOT_NUMERIC;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return NOT_NUMERIC;
    v = v * 10 + c;
  }
  return v * 16 + len;
}

/** The id a numeric key was made from (the inverse of numericKey). */
export function idOfKey(key: number): string {
  const len = key % 16;
  return String((key - len) / 16).padStart(len, '0');
}

/** A well-mixed 32-bit hash of a numeric key, for open addressing. */
export function keyHash(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * A numeric key as the two words of a HashTable key (hash-table.ts): its high 32 bits + 1 (never 0,
 * which marks an empty cell) and its low 32 bits.
 */
export function keyHigh(key: number): number {
  return ((key / 4294967296) >>> 0) + 1;
}
export function keyLow(key: number): number {
  return key | 0;
}

/** keyHash of the numeric key whose words are (high, low): a HashTable's home function. */
export function keyHashOfWords(high: number, low: number): number {
  return keyHash((high - 1) * 4294967296 + (low >>> 0));
}
