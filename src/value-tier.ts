/**
 * The value tier rule, decided here once: the feature frame's `tier` column (features/build.ts)
 * and the lifecycle's tiers of a scored frame that has none (lifecycle/tiers.ts) both apply it. It
 * sits at the top of src/, beside the tier names of contract.ts, because the feature frame is built
 * before the lifecycle in the flow and may not import from lifecycle/.
 */

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
