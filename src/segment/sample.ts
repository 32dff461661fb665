import type { Random } from '../random.js';

/**
 * `m` distinct row indices out of `n`, ascending, drawn with Floyd's algorithm: O(m) time and memory,
 * so sampling 50,000 of ten million rows does not touch the other rows. All rows when m >= n.
 */
export function sampleRows(n: number, m: number, random: Random): Int32Array {
  if (m >= n) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const chosen = new Set<number>();
  for (let j = n - m; j < n; j++) {
    const t = random.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}
