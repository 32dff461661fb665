/**
 * What calling a subscriber is worth: the revenue a call saves, expected from the uplift model,
 * less what the call costs. `retain score --target-by uplift` ranks the warning list by it and does
 * not call a subscriber whose expected saving is negative (a sleeping dog, or a call that costs more
 * than it keeps).
 */

export interface SavingSettings {
  /** Months of revenue a kept subscriber brings (config uplift.horizon_months). */
  readonly horizonMonths: number;
  /** Cost of one call, in the ARPU's currency (config uplift.contact_cost). */
  readonly contactCost: number;
}

/** uplift × ARPU × horizon − contact cost, per subscriber; NaN where uplift or ARPU is unknown. */
export function expectedSaving(
  uplift: Float64Array,
  arpu: ArrayLike<number>,
  s: SavingSettings,
): Float64Array {
  return Float64Array.from(uplift, (u, i) => u * arpu[i]! * s.horizonMonths - s.contactCost);
}

/** Targeting orders of the warning list: by revenue at risk (the default) or by expected saving. */
export type TargetBy = 'risk' | 'uplift';
export const TARGET_BY: readonly TargetBy[] = ['risk', 'uplift'];
