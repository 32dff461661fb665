/** Simulation options, resolved once from partial input. */
import { formatMonth, parseMonth } from '../../src/calendar.js';
import { UsageError } from '../../src/errors.js';
import type { CampaignPlan } from './campaign.js';

export interface GenerateOptions {
  /** Subscribers in the base at the start (before the first month's activations). */
  subscribers: number;
  months: number;
  seed: number;
  /** First billing month, `YYYY-MM`. */
  start: string;
  /** CDRs are produced for the last `cdrMonths` months only (CDR volume dominates). */
  cdrMonths: number;
  /** Call the warning list of a scored month (campaign.ts); null = no campaign. */
  campaign: CampaignPlan | null;
  /**
   * About this share of the billed base decides to leave each month (the hazard's log-odds shift by
   * logit(churn) − logit(0.02)); activations scale with it, so the base keeps its size.
   */
  churn: number;
  /** Share of leavers who show warning signs (withdrawal, care calls, silences) before going; lower is noisier. */
  signShare: number;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  subscribers: 1000,
  months: 7,
  seed: 1,
  start: '2025-01',
  cdrMonths: Number.POSITIVE_INFINITY,
  campaign: null,
  churn: 0.02,
  signShare: 0.55,
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
  const c = o.campaign;
  if (
    c !== null &&
    !Number.isNaN(startMonth) &&
    !(c.month >= startMonth && c.month + 1 < startMonth + o.months)
  )
    problems.push(
      `the campaign's list month ${formatMonth(c.month)} and the month after it must both be generated ` +
        `(${o.start} for ${o.months} months)`,
    );
  if (!(o.churn > 0 && o.churn < 0.5)) problems.push(`churn must be a share in (0, 0.5), got ${o.churn}`);
  if (!(o.signShare >= 0 && o.signShare <= 1))
    problems.push(`signShare must be a share in [0, 1], got ${o.signShare}`);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { ...o, startMonth };
}
