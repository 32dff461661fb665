/**
 * Split search on one node: a feature's bins gathered from the node's rows (packed draws, one addition
 * a row), the present bins put in order through a 256-bit set (so a node with few rows never walks all
 * 256 bins), the Gini score of every cut with the missing bin tried on both sides, and the stable
 * partition of the node's rows by the best cut.
 */
import { CLASS1_UNIT, COUNT_UNIT, type GrowData, type GrowScratch, PACKED_MAX_DRAWS } from './grow-data.js';

/** Best split found so far at a node; l0, l1 are the left side's bootstrap draws per class. */
export interface Split {
  score: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  l0: number;
  l1: number;
  lc: number;
}

/** A node to search: its rows [start, end), its draws per class (d0, d1), and the class weights. */
export interface NodeRange {
  start: number;
  end: number;
  d0: number;
  d1: number;
  weight0: number;
  weight1: number;
  minLeaf: number;
}

/**
 * Bytes of row-major codes a node may span and still read them instead of the columns: its rows' lines
 * then stay in the core's cache from one tried feature to the next.
 */
const ROW_MAJOR_BYTES = 1 << 18;

function rowMajor(rows: number, nFeatures: number): boolean {
  return rows * nFeatures <= ROW_MAJOR_BYTES;
}

/**
 * Fills hc/h01 for the node's rows and lists the bins present in s.touched; returns how many. Below
 * PACKED_MAX_DRAWS draws one packed sum per bin, else a count and a class-indexed draw sum.
 */
function gather(data: GrowData, s: GrowScratch, f: number, node: NodeRange): number {
  const { rows, packed, hp, hc, h01, touched } = s;
  const { start, end } = node;
  const code = data.codes[f]!;
  let k = 0;
  if (node.d0 + node.d1 < PACKED_MAX_DRAWS) {
    const nF = data.codes.length;
    const rowCodes = data.rowCodes;
    if (rowCodes && rowMajor(end - start, nF)) {
      for (let i = start; i < end; i++) {
        const b = rowCodes[rows[i]! * nF + f]!;
        const v = hp[b]!;
        if (v === 0) touched[k++] = b;
        hp[b] = v + packed[i]!;
      }
    } else {
      for (let i = start; i < end; i++) {
        const b = code[rows[i]!]!;
        const v = hp[b]!;
        if (v === 0) touched[k++] = b;
        hp[b] = v + packed[i]!;
      }
    }
    for (let t = 0; t < k; t++) {
      const b = touched[t]!;
      const v = hp[b]!;
      hp[b] = 0;
      const c = Math.floor(v / COUNT_UNIT);
      const rest = v - c * COUNT_UNIT;
      const d1 = Math.floor(rest / CLASS1_UNIT);
      hc[b] = c;
      h01[2 * b] = rest - d1 * CLASS1_UNIT;
      h01[2 * b + 1] = d1;
    }
    return k;
  }
  const { counts } = s;
  const y = data.y;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const b = code[r]!;
    if (hc[b] === 0) touched[k++] = b;
    hc[b]!++;
    h01[(b << 1) | y[r]!]! += counts[r]!;
  }
  return k;
}

/** Rewrites s.touched[0..k) in ascending order through a 256-bit set: O(k + 8), no sort. */
function orderBins(s: GrowScratch, k: number): void {
  const { touched, seen } = s;
  seen.fill(0);
  for (let t = 0; t < k; t++) {
    const b = touched[t]!;
    seen[b >> 5]! |= 1 << (b & 31);
  }
  let n = 0;
  for (let w = 0; w < 8; w++) {
    let bits = seen[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      touched[n++] = (w << 5) + 31 - Math.clz32(low);
      bits ^= low;
    }
  }
}

/**
 * Evaluates every split of feature f for the node's rows, updating `best` when one scores higher.
 * Returns the number of distinct bins seen (1 = constant in the node).
 */
export function searchFeature(
  data: GrowData,
  s: GrowScratch,
  f: number,
  node: NodeRange,
  best: Split,
): number {
  const k = gather(data, s, f, node);
  const { hc, h01, touched } = s;
  if (k > 1) {
    orderBins(s, k);
    const { d0, d1, weight0, weight1, minLeaf } = node;
    const c = node.end - node.start;
    const w0 = d0 * weight0;
    const w1 = d1 * weight1;
    const missing = data.valueBins[f]!;
    // The missing bin is the highest: last in order when present.
    const present = touched[k - 1] === missing;
    const m0 = present ? h01[2 * missing]! : 0;
    const m1 = present ? h01[2 * missing + 1]! : 0;
    const mc = present ? hc[missing]! : 0;
    const last = present ? k - 1 : k;
    let l0 = 0;
    let l1 = 0;
    let lc = 0;
    for (let t = 0; t < last; t++) {
      const b = touched[t]!;
      l0 += h01[2 * b]!;
      l1 += h01[2 * b + 1]!;
      lc += hc[b]!;
      // Missing rows to the right. (This and the missing-left block below are written out, not shared
      // through a helper: a helper measured up to 40% slower on some runs of the forest benchmark.)
      let rc = c - lc;
      if (lc >= minLeaf && rc >= minLeaf) {
        const lw0 = l0 * weight0;
        const lw1 = l1 * weight1;
        const r0 = w0 - lw0;
        const r1 = w1 - lw1;
        const lw = lw0 + lw1;
        const rw = r0 + r1;
        if (lw > 0 && rw > 0) {
          const score = (lw0 * lw0 + lw1 * lw1) / lw + (r0 * r0 + r1 * r1) / rw;
          if (score > best.score) {
            best.score = score;
            best.feature = f;
            best.bin = b;
            best.missingLeft = mc === 0 && lc >= rc;
            best.l0 = l0;
            best.l1 = l1;
            best.lc = lc;
          }
        }
      }
      if (mc === 0) continue;
      // Missing rows to the left.
      const a0 = l0 + m0;
      const a1 = l1 + m1;
      const ac = lc + mc;
      rc = c - ac;
      if (ac >= minLeaf && rc >= minLeaf) {
        const aw0 = a0 * weight0;
        const aw1 = a1 * weight1;
        const r0 = w0 - aw0;
        const r1 = w1 - aw1;
        const lw = aw0 + aw1;
        const rw = r0 + r1;
        if (lw > 0 && rw > 0) {
          const score = (aw0 * aw0 + aw1 * aw1) / lw + (r0 * r0 + r1 * r1) / rw;
          if (score > best.score) {
            best.score = score;
            best.feature = f;
            best.bin = b;
            best.missingLeft = true;
            best.l0 = a0;
            best.l1 = a1;
            best.lc = ac;
          }
        }
      }
    }
  }
  for (let t = 0; t < k; t++) {
    const b = touched[t]!;
    hc[b] = 0;
    h01[2 * b] = 0;
    h01[2 * b + 1] = 0;
  }
  return k;
}

/**
 * Moves the rows going left (and their packed draws) to the front of [start, end), keeping both sides
 * in ascending row order (later gathers then read each column forwards); returns the first right
 * position.
 */
export function partition(
  data: GrowData,
  s: GrowScratch,
  f: number,
  start: number,
  end: number,
  bin: number,
  missingLeft: boolean,
): number {
  const { rows, packed, spareRows, sparePacked } = s;
  const missing = data.valueBins[f]!;
  const nF = data.codes.length;
  const byRow = data.rowCodes !== null && rowMajor(end - start, nF);
  const code = byRow ? data.rowCodes! : data.codes[f]!;
  const stride = byRow ? nF : 1;
  const offset = byRow ? f : 0;
  let i = start;
  let j = 0;
  for (let p = start; p < end; p++) {
    const r = rows[p]!;
    const b = code[r * stride + offset]!;
    if (b === missing ? missingLeft : b <= bin) {
      rows[i] = r;
      packed[i++] = packed[p]!;
    } else {
      spareRows[j] = r;
      sparePacked[j++] = packed[p]!;
    }
  }
  rows.set(spareRows.subarray(0, j), i);
  packed.set(sparePacked.subarray(0, j), i);
  return i;
}
