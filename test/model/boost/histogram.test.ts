/** Gradient histograms: sums per bin, the same whichever way the features are grouped, and subtraction. */
import { describe, expect, it } from 'vitest';
import { planHistograms } from '../../../src/model/boost/bundle.js';
import { buildGroup, GROUP, type HistogramData, STRIDE } from '../../../src/model/boost/histogram.js';
import { createRandom } from '../../../src/random.js';

/** Seven features of 2 to 9 value bins (plus the missing bin), 500 rows, seeded gradients. */
function data(): HistogramData & { codes: Uint8Array[]; bins: Int32Array; n: number } {
  const random = createRandom(5, 1);
  const n = 500;
  const bins = Int32Array.of(2, 9, 3, 5, 2, 7, 4);
  const codes = Array.from(bins, (b) => Uint8Array.from({ length: n }, () => random.int(b + 1)));
  const layout = planHistograms(codes, bins, n, false);
  // Positions hold the rows in a shuffled order, as after a few partitions.
  const rows = Uint32Array.from({ length: n }, (_, i) => (i * 7) % n);
  const gh = Float64Array.from({ length: 2 * n }, (_, k) =>
    k % 2 === 0 ? random.next() - 0.5 : random.next(),
  );
  const pool = new Float64Array(3 * layout.slotBins * STRIDE);
  return { layout, valueBins: bins, codes, rows, gh, pool, bins, n };
}

/** The histogram of feature f over positions [start, end), summed the plain way. */
function direct(d: ReturnType<typeof data>, f: number, start: number, end: number): number[] {
  const out = new Array<number>((d.bins[f]! + 1) * STRIDE).fill(0);
  for (let i = start; i < end; i++) {
    const k = d.codes[f]![d.rows[i]!]! * STRIDE;
    out[k]! += d.gh[2 * i]!;
    out[k + 1]! += d.gh[2 * i + 1]!;
    out[k + 2]!++;
  }
  return out;
}

const slotOf = (d: ReturnType<typeof data>, slot: number, f: number): number[] => {
  const size = d.layout.slotBins * STRIDE;
  const base = slot * size + d.layout.offsets[f]! * STRIDE;
  return Array.from(d.pool.subarray(base, base + (d.bins[f]! + 1) * STRIDE));
};

describe('buildGroup', () => {
  const all = Int32Array.from({ length: 7 }, (_, f) => f);

  it('sums each bin exactly as a plain loop does, in a group of four and one feature at a time', () => {
    const d = data();
    expect(GROUP).toBe(4);
    buildGroup(d, all, 0, GROUP, 40, 460, 0, -1);
    buildGroup(d, all, GROUP, 7, 40, 460, 0, -1);
    for (let f = 0; f < 7; f++) expect(slotOf(d, 0, f)).toEqual(direct(d, f, 40, 460));
    // The same features one at a time (the path for a group's remainder) give the same numbers.
    for (let f = 0; f < 7; f++) buildGroup(d, all, f, f + 1, 40, 460, 1, -1);
    for (let f = 0; f < 7; f++) expect(slotOf(d, 1, f)).toEqual(slotOf(d, 0, f));
  });

  it('clears what a slot held before', () => {
    const d = data();
    d.pool.fill(3);
    buildGroup(d, all, 0, GROUP, 0, 100, 2, -1);
    for (let f = 0; f < GROUP; f++) expect(slotOf(d, 2, f)).toEqual(direct(d, f, 0, 100));
  });

  it("turns the parent's histogram into the sibling's: parent minus the built child equals the other child built", () => {
    const d = data();
    const mid = 180;
    buildGroup(d, all, 0, GROUP, 0, d.n, 0, -1);
    buildGroup(d, all, GROUP, 7, 0, d.n, 0, -1);
    buildGroup(d, all, 0, GROUP, 0, mid, 1, 0);
    buildGroup(d, all, GROUP, 7, 0, mid, 1, 0);
    for (let f = 0; f < 7; f++) {
      expect(slotOf(d, 1, f)).toEqual(direct(d, f, 0, mid));
      const sibling = direct(d, f, mid, d.n);
      const got = slotOf(d, 0, f);
      sibling.forEach((v, k) => {
        // Counts exactly, sums up to rounding.
        if (k % STRIDE === 2) expect(got[k]).toBe(v);
        else expect(got[k]).toBeCloseTo(v, 10);
      });
    }
  });
});
