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
   * About this share of the billed base decides to leave each month (the hazard's log-odds shift by
   * logit(churn) − logit(0.02)); activations scale with it, so the base keeps its size.
   */
  churn: number;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  subscribers: 1000,
  months: 7,
  seed: 1,
  start: '2025-01',
  cdrMonths: Number.POSITIVE_INFINITY,
  churn: 0.02,
};

export interface ResolvedGenerateOptions extends GenerateOptions {
  /** Month index of `start`. */
  startMonth: number;
}

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
  if (!(o.churn > 0 && o.churn < 0.5)) problems.push(`churn must be a share in (0, 0.5), got ${o.churn}`);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { ...o, startMonth };
}
