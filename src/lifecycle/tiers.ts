import type { NumericColumn } from '../frame.js';

/**
 * Value tier (index into TIERS) by ARPU, the 3-month average billed amount: below bounds[0] is
 * `<50`, below bounds[1] `50-150`, below bounds[2] `150-300`, otherwise `300+`. A bound belongs to
 * the higher tier (ARPU exactly 50 is `50-150`). A missing ARPU counts as the lowest tier.
 */
export function valueTier(arpu: number, bounds: readonly [number, number, number]): number {
  if (!(arpu >= bounds[0])) return 0;
  if (arpu < bounds[1]) return 1;
  if (arpu < bounds[2]) return 2;
  return 3;
}

export function valueTiers(arpu: NumericColumn, bounds: readonly [number, number, number]): Uint8Array {
  const out = new Uint8Array(arpu.length);
  for (let i = 0; i < arpu.length; i++) out[i] = valueTier(arpu[i]!, bounds);
  return out;
}
