/**
 * The synthetic operator's tariff catalogue and service numbers. Prices are spread so that most
 * subscribers land in the `<50` and `50-150` tiers, with a thin tail above 300.
 */
export interface Plan {
  readonly id: string;
  /** Monthly fee before usage charges. */
  readonly price: number;
  /** Contract length in months; 0 for plans without a contract (no plan_end_date). */
  readonly contractMonths: number;
  /** Relative popularity among the installed base. */
  readonly weight: number;
  /** Relative popularity among new activations (cheap prepaid packs sell most). */
  readonly newWeight: number;
  /** Share of outgoing voice calls rated outside the bundle. */
  readonly overage: number;
}

export const PLANS: readonly Plan[] = [
  { id: 'PRE-8', price: 8, contractMonths: 0, weight: 6, newWeight: 12, overage: 0.9 },
  { id: 'PRE-19', price: 19, contractMonths: 0, weight: 10, newWeight: 14, overage: 0.7 },
  { id: '4G-29', price: 29, contractMonths: 0, weight: 11, newWeight: 12, overage: 0.5 },
  { id: '4G-39', price: 39, contractMonths: 12, weight: 12, newWeight: 11, overage: 0.4 },
  { id: '4G-59', price: 59, contractMonths: 12, weight: 14, newWeight: 12, overage: 0.3 },
  { id: '4G-79', price: 79, contractMonths: 12, weight: 11, newWeight: 9, overage: 0.25 },
  { id: '5G-99', price: 99, contractMonths: 24, weight: 10, newWeight: 9, overage: 0.2 },
  { id: '5G-129', price: 129, contractMonths: 24, weight: 8, newWeight: 7, overage: 0.15 },
  { id: '5G-169', price: 169, contractMonths: 24, weight: 6, newWeight: 5, overage: 0.1 },
  { id: '5G-199', price: 199, contractMonths: 24, weight: 4, newWeight: 3, overage: 0.08 },
  { id: '5G-239', price: 239, contractMonths: 24, weight: 3, newWeight: 2, overage: 0.05 },
  { id: '5G-299', price: 299, contractMonths: 24, weight: 2.5, newWeight: 1.5, overage: 0.05 },
  { id: '5G-399', price: 399, contractMonths: 24, weight: 1.5, newWeight: 1, overage: 0.02 },
  { id: '5G-599', price: 599, contractMonths: 24, weight: 0.6, newWeight: 0.4, overage: 0.01 },
];

/** Cumulative weights for drawing a plan with one uniform number. */
function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w / total;
    out[i] = acc;
  });
  out[out.length - 1] = 1;
  return out;
}

const BASE_CDF = cumulative(PLANS.map((p) => p.weight));
const NEW_CDF = cumulative(PLANS.map((p) => p.newWeight));

export function pick(cdf: Float64Array, u: number): number {
  let i = 0;
  while (i < cdf.length - 1 && u >= cdf[i]!) i++;
  return i;
}

export function drawPlan(u: number, newSubscriber: boolean): number {
  return pick(newSubscriber ? NEW_CDF : BASE_CDF, u);
}

/** A neighbouring plan: a move down is likelier for the dissatisfied, up for the rest. */
export function neighbourPlan(plan: number, down: boolean): number {
  const next = down ? plan - 1 : plan + 1;
  return Math.min(PLANS.length - 1, Math.max(0, next));
}

/** DATA-CONTRACT.md's default service numbers. */
export const OWN_CARE = '10010';
export const COMPETITOR_CARE = ['10086', '10000'] as const;

/** Card types other than `normal`, with their share of subscribers. */
export const SPECIAL_CARDS = { employee: 0.015, test: 0.005, free: 0.01, sp_only: 0.01 } as const;
