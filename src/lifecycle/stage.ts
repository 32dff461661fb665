import type { Config } from '../config.js';

/** Indices into STAGES. */
export const STAGE = { onboarding: 0, growth: 1, maturity: 2, warning: 3 } as const;

/**
 * Lifecycle stage (index into STAGES). Warning wins: the risk decile in the warning band or a hard
 * trigger. Otherwise by tenure: below onboarding_months onboarding, below growth_months growth,
 * else maturity (a missing tenure counts as maturity).
 */
export function stageOf(
  tenureMonths: number,
  riskDecile: number,
  hardTrigger: boolean,
  stages: Config['stages'],
): number {
  if (hardTrigger || riskDecile <= stages.warning_deciles) return STAGE.warning;
  if (tenureMonths < stages.onboarding_months) return STAGE.onboarding;
  if (tenureMonths < stages.growth_months) return STAGE.growth;
  return STAGE.maturity;
}
