/** Simulation options, resolved once from partial input. */
import { parseMonth } from '../../src/calendar.js';
import { UsageError } from '../../src/errors.js';

export interface GenerateOptions {
  /** Subscribers in the base at the start (before the first month's activations). */
  subscribers: number;
  months: number;
  seed: number;
  /** First billing month, `YYYY-MM`. */
  start: string;
  /** CDRs are produced for the last `cdrMonths` months only (CDR volume dominates). */
  cdrMonths: number;
  /**
   * About this share of the billed base decides to leave each month (the hazard's odds are scaled,
   * so the realised rate is near it, not equal); activations grow with it so the base keeps its size.
   */
  churnRate: number;
  /** Share of leavers who show warning signs (withdrawal, care calls, silences) before going. */
  signShare: number;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  subscribers: 1000,
  months: 7,
  seed: 1,
  start: '2025-01',
  cdrMonths: Number.POSITIVE_INFINITY,
  churnRate: 0.02,
  signShare: 0.55,
};

export interface ResolvedGenerateOptions extends GenerateOptions {
  /** Month index of `start`. */
  startMonth: number;
  /** Added to the hazard's logit: 0 at the default churn rate. */
  hazardShift: number;
  /** Added to the monthly activation rate, to replace the extra leavers (0 at the default churn rate). */
  extraActivations: number;
}

const logit = (p: number): number => Math.log(p / (1 - p));

export function resolveGenerateOptions(input: Partial<GenerateOptions>): ResolvedGenerateOptions {
  const o = { ...DEFAULT_GENERATE_OPTIONS, ...input };
  const problems: string[] = [];
  if (!Number.isInteger(o.subscribers) || o.subscribers < 1)
    problems.push(`subscribers must be a positive integer, got ${o.subscribers}`);
  if (!Number.isInteger(o.months) || o.months < 1)
    problems.push(`months must be a positive integer, got ${o.months}`);
  if (!Number.isInteger(o.seed) || o.seed < 0) problems.push(`seed must be an integer >= 0, got ${o.seed}`);
  const startMonth = parseMonth(o.start);
  if (Number.isNaN(startMonth)) problems.push(`start must be YYYY-MM, got "${o.start}"`);
  if (!(o.cdrMonths >= 0)) problems.push(`cdrMonths must be >= 0, got ${o.cdrMonths}`);
  if (!(o.churnRate > 0 && o.churnRate < 0.5))
    problems.push(`churnRate must be above 0 and below 0.5, got ${o.churnRate}`);
  if (!(o.signShare >= 0 && o.signShare <= 1))
    problems.push(`signShare must be in [0, 1], got ${o.signShare}`);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const base = DEFAULT_GENERATE_OPTIONS.churnRate;
  return {
    ...o,
    startMonth,
    hazardShift: logit(o.churnRate) - logit(base),
    extraActivations: o.churnRate - base,
  };
}
