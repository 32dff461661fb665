/** Seeded subscriber-months drawn from planted behavioural blobs, for the segment tests. */
import { createRandom, type Frame, makeFrame } from '../../src/index.js';

type Spec = readonly [mean: number, sd: number];
interface Blob {
  readonly size: number;
  readonly churnRate: number;
  /** Volumes: [mean, sd] of the natural log; others: [mean, sd] in their own units. */
  readonly f: Readonly<Record<string, Spec>>;
}

const LOG_FEATURES = new Set([
  'voice_out_minutes',
  'voice_in_minutes',
  'sms_out',
  'data_mb',
  'arpu',
  'distinct_contacts',
]);
const L = Math.log;

// biome-ignore format: a case table reads best aligned
export const BLOBS: readonly Blob[] = [
  {
    size: 1200,
    churnRate: 0.1,
    f: {
      // heavy data, high value
      voice_out_minutes: [L(60), 0.25],
      voice_in_minutes: [L(50), 0.25],
      sms_out: [L(10), 0.25],
      data_mb: [L(20000), 0.25],
      arpu: [L(70), 0.2],
      distinct_contacts: [L(15), 0.25],
      active_days: [28, 2],
      night_share: [0.15, 0.04],
      weekend_share: [0.3, 0.04],
      tenure_months: [30, 5],
    },
  },
  {
    size: 800,
    churnRate: 0.05,
    f: {
      // heavy voice, long tenure
      voice_out_minutes: [L(900), 0.25],
      voice_in_minutes: [L(700), 0.25],
      sms_out: [L(20), 0.25],
      data_mb: [L(300), 0.25],
      arpu: [L(45), 0.2],
      distinct_contacts: [L(80), 0.25],
      active_days: [29, 1.5],
      night_share: [0.1, 0.03],
      weekend_share: [0.25, 0.04],
      tenure_months: [80, 10],
    },
  },
  {
    size: 600,
    churnRate: 0.3,
    f: {
      // new, light, low value
      voice_out_minutes: [L(30), 0.3],
      voice_in_minutes: [L(20), 0.3],
      sms_out: [L(5), 0.3],
      data_mb: [L(150), 0.3],
      arpu: [L(10), 0.2],
      distinct_contacts: [L(6), 0.3],
      active_days: [8, 2],
      night_share: [0.1, 0.04],
      weekend_share: [0.3, 0.05],
      tenure_months: [2, 1],
    },
  },
  {
    size: 400,
    churnRate: 0.15,
    f: {
      // night, weekend, heavy SMS
      voice_out_minutes: [L(200), 0.25],
      voice_in_minutes: [L(150), 0.25],
      sms_out: [L(400), 0.25],
      data_mb: [L(4000), 0.25],
      arpu: [L(25), 0.2],
      distinct_contacts: [L(40), 0.25],
      active_days: [25, 2],
      night_share: [0.6, 0.05],
      weekend_share: [0.5, 0.05],
      tenure_months: [12, 3],
    },
  },
];

export interface Blobs {
  readonly frame: Frame;
  /** Planted blob of each row. */
  readonly truth: Int32Array;
}

export interface BlobOptions {
  readonly seed: number;
  /** Multiplies every volume (a later, busier month). */
  readonly volumeFactor?: number;
  readonly tenureShift?: number;
  /** Share of feature values set to NaN. */
  readonly missingShare?: number;
}

export function makeBlobs(o: BlobOptions): Blobs {
  const r = createRandom(o.seed);
  const n = BLOBS.reduce((s, b) => s + b.size, 0);
  const names = Object.keys(BLOBS[0]!.f);
  const cols: Record<string, Float64Array> = Object.fromEntries(names.map((f) => [f, new Float64Array(n)]));
  const truth = new Int32Array(n);
  const labelled = new Uint8Array(n);
  const churned = new Uint8Array(n);
  let i = 0;
  BLOBS.forEach((b, bi) => {
    for (let row = 0; row < b.size; row++, i++) {
      truth[i] = bi;
      for (const f of names) {
        const [m, sd] = b.f[f]!;
        let v = m + sd * r.normal();
        if (LOG_FEATURES.has(f)) v = Math.exp(v) * (o.volumeFactor ?? 1);
        else if (f === 'tenure_months') v = Math.max(0, Math.round(v) + (o.tenureShift ?? 0));
        else if (f === 'active_days') v = Math.min(31, Math.max(0, Math.round(v)));
        else v = Math.min(1, Math.max(0, v));
        cols[f]![i] = r.next() < (o.missingShare ?? 0) ? Number.NaN : v;
      }
      labelled[i] = r.next() < 0.9 ? 1 : 0;
      churned[i] = labelled[i] === 1 && r.next() < b.churnRate ? 1 : 0;
    }
  });
  return { frame: makeFrame({ ...cols, labelled, churned_next: churned }), truth };
}

/** Adjusted Rand index of two labellings (1 = same partition). */
export function adjustedRand(a: Int32Array, b: Int32Array): number {
  const n = a.length;
  const ka = Math.max(...a) + 1;
  const kb = Math.max(...b) + 1;
  const table = new Float64Array(ka * kb);
  for (let i = 0; i < n; i++) table[a[i]! * kb + b[i]!]!++;
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let sumCells = 0;
  for (const v of table) sumCells += c2(v);
  const rows = new Float64Array(ka);
  const colsSum = new Float64Array(kb);
  for (let x = 0; x < ka; x++) for (let y = 0; y < kb; y++) rows[x]! += table[x * kb + y]!;
  for (let x = 0; x < ka; x++) for (let y = 0; y < kb; y++) colsSum[y]! += table[x * kb + y]!;
  const sa = rows.reduce((s, v) => s + c2(v), 0);
  const sb = colsSum.reduce((s, v) => s + c2(v), 0);
  const expected = (sa * sb) / c2(n);
  const max = (sa + sb) / 2;
  return (sumCells - expected) / (max - expected);
}

/** The segment most rows of each planted blob fell into. */
export function majoritySegment(truth: Int32Array, assignment: Int32Array, k: number): number[] {
  return BLOBS.map((_, b) => {
    const counts = new Int32Array(k);
    for (let i = 0; i < truth.length; i++) if (truth[i] === b) counts[assignment[i]!]!++;
    return counts.indexOf(Math.max(...counts));
  });
}

/** n rows of d overlapping normal clouds (the hard case for bounds), optionally rounded to create ties. */
export function overlappingRows(n: number, d: number, seed: number, round: boolean) {
  const r = createRandom(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = r.normal() + 0.8 * ((i * 7 + j) % 4);
      data[i * d + j] = round ? Math.round(v) : v;
    }
  return { n, d, data };
}
