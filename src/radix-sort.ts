/**
 * Sorting doubles by their bits: each number becomes an unsigned 64-bit key, two 32-bit words, whose
 * order is the numbers' order (-0 before +0, as Float64Array's sort puts them), and the keys are put in
 * order by a stable least-significant-digit radix sort. Used where a comparator sort of millions of
 * values would take seconds (call lists) or where it is the bulk of the work (quantile edges).
 */

const scratch = new Float64Array(1);
const bits = new Uint32Array(scratch.buffer);
/** Which of the two words holds the sign and exponent on this machine. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Writes v's key at `at`: a negative number's bits all flipped, a positive one's sign bit set. NaN-free input. */
export function putNumberKey(v: number, hi: Uint32Array, lo: Uint32Array, at: number): void {
  scratch[0] = v;
  const h = bits[HI]!;
  const l = bits[1 - HI]!;
  if (h & 0x80000000) {
    hi[at] = ~h >>> 0;
    lo[at] = ~l >>> 0;
  } else {
    hi[at] = (h | 0x80000000) >>> 0;
    lo[at] = l;
  }
}

/** Positions 0..n-1 in ascending (hi, lo) order, stable: LSD radix sort in 16-bit digits. */
export function radixOrder(hi: Uint32Array, lo: Uint32Array): Int32Array {
  const n = hi.length;
  let order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let next = new Int32Array(n);
  const counts = new Int32Array(65537);
  for (const [words, shift] of [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ] as const) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[((words[k]! >>> shift) & 0xffff) + 1]!++;
    // A digit shared by every key leaves the order as it is.
    if (counts[(((words[0] ?? 0) >>> shift) & 0xffff) + 1] === n) continue;
    for (let d = 0; d < 65536; d++) counts[d + 1]! += counts[d]!;
    for (let k = 0; k < n; k++) {
      const p = order[k]!;
      next[counts[(words[p]! >>> shift) & 0xffff]!++] = p;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** Sorts NaN-free numbers in place into exactly the order of Float64Array.prototype.sort. */
export function sortNumbers(a: Float64Array): void {
  const m = a.length;
  if (m < 256) {
    a.sort();
    return;
  }
  const hi = new Uint32Array(m);
  const lo = new Uint32Array(m);
  for (let i = 0; i < m; i++) putNumberKey(a[i]!, hi, lo, i);
  const order = radixOrder(hi, lo);
  const copy = a.slice();
  for (let i = 0; i < m; i++) a[i] = copy[order[i]!]!;
}
