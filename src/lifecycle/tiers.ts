import { valueTier } from '../features/trigger-rules.js';
import type { NumericColumn } from '../frame.js';

export { valueTier };

/** valueTier of every ARPU (features/trigger-rules.ts holds the one rule, shared with the feature frame). */
export function valueTiers(arpu: NumericColumn, bounds: readonly [number, number, number]): Uint8Array {
  const out = new Uint8Array(arpu.length);
  for (let i = 0; i < arpu.length; i++) out[i] = valueTier(arpu[i]!, bounds);
  return out;
}
