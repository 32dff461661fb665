/**
 * The synthetic operator, month by month: activations, each subscriber's month (billing row, ground
 * truth, CDRs), all streamed into sinks so memory grows with subscribers, never with events.
 */
import { formatMonth } from '../../src/calendar.js';
import { UsageError } from '../../src/errors.js';
import { createRandom } from '../../src/random.js';
import { CampaignRun } from './campaign.js';
import { CdrGenerator } from './cdr.js';
import { activeBase, emptySignals, hazardShift, monthContext, STEP, stepSubscriber } from './dynamics.js';
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions, resolveGenerateOptions } from './options.js';
import { activate, addActivations, seedPopulation } from './population.js';
import type { BillingRecord, OperatorSinks, TruthRecord } from './sinks.js';

export interface MonthStats {
  month: string;
  /** Rows in the billing file, `closed` rows included. */
  billingRows: number;
  closedRows: number;
  /** Billed, not-closed subscribers that have churned at the next month (DATA-CONTRACT.md §3). */
  churnedNext: number;
  newActivations: number;
  cdrEvents: number;
}

export interface GenerateStats {
  months: MonthStats[];
  /** Subscribers ever created (starting base plus all activations). */
  subscribers: number;
}

/** Labelled churn rate of a month: churned at the next month over billed, not-closed rows. */
export function churnRate(m: MonthStats): number {
  const labelled = m.billingRows - m.closedRows;
  return labelled > 0 ? m.churnedNext / labelled : 0;
}

/** How often the loop yields to the sinks for backpressure (a power of two minus one). */
const DRAIN_MASK = 1023;
/**
 * Months simulated before the first written month, so that it starts in steady state (leavers
 * already in their warning months, closed rows, recent activations).
 */
const BURN_IN_MONTHS = 3;

export async function generateOperator(
  options: Partial<GenerateOptions>,
  sinks: OperatorSinks,
): Promise<GenerateStats> {
  const o = resolveGenerateOptions(options);
  // Separate streams keep billing identical whether or not CDRs are produced.
  const rng = createRandom(o.seed, 1);
  // Activations grow with churn, so a high-churn operator keeps its base.
  const growth = o.churn / DEFAULT_GENERATE_OPTIONS.churn;
  const capacity = Math.ceil(o.subscribers * (1 + 0.045 * growth * (o.months + BURN_IN_MONTHS))) + 16;
  const pop = seedPopulation(o.subscribers, o.startMonth - BURN_IN_MONTHS, rng, capacity);
  const cdr = new CdrGenerator(o.seed);
  const bill = {} as BillingRecord;
  const truth = {} as TruthRecord;
  const sig = emptySignals();
  const months: MonthStats[] = [];
  const campaign = o.campaign === null ? null : new CampaignRun(o.campaign, o.seed);

  // During burn-in, activations only replace leavers, so the base is about `subscribers` at the start.
  let replace = Math.round(o.subscribers * o.churn);
  const shift = hazardShift(o.churn);
  for (let month = o.startMonth - BURN_IN_MONTHS; month < o.startMonth; month++) {
    const ctx = monthContext(month, shift, o.signShare);
    addActivations(pop, rng, month, replace);
    const before = activeBase(pop);
    for (let i = 0; i < pop.n; i++) stepSubscriber(pop, i, ctx, rng, bill, truth, sig);
    replace = before - activeBase(pop);
  }

  for (let m = 0; m < o.months; m++) {
    const month = o.startMonth + m;
    const ctx = monthContext(month, shift, o.signShare);
    const stats: MonthStats = {
      month: formatMonth(month),
      billingRows: 0,
      closedRows: 0,
      churnedNext: 0,
      newActivations: activate(pop, rng, month, Math.round(activeBase(pop) * growth)),
      cdrEvents: 0,
    };
    const withCdr = m >= o.months - o.cdrMonths;
    const out = await sinks.openMonth(month, withCdr);
    const cdrSink = withCdr ? out.cdr : undefined;
    const cdrRng = createRandom(o.seed, 1000 + m);
    const campaignMonth = campaign !== null && campaign.plan.month === month;
    if (campaign !== null && campaign.plan.month + 1 === month) campaign.apply(pop);
    for (let i = 0; i < pop.n; i++) {
      const step = stepSubscriber(pop, i, ctx, rng, bill, truth, sig);
      if (step === STEP.none) continue;
      if (campaignMonth && step === STEP.billed) campaign.observe(pop, i, ctx, sig);
      out.billing.add(bill);
      stats.billingRows++;
      if (step === STEP.closed) stats.closedRows++;
      else {
        stats.churnedNext += truth.churnedNext;
        out.truth?.add(truth);
      }
      if (cdrSink) stats.cdrEvents += cdr.generate(pop, i, ctx, sig, cdrRng, cdrSink);
      if ((i & DRAIN_MASK) === DRAIN_MASK && out.drain) await out.drain();
    }
    await out.close();
    if (campaignMonth) await writeCampaign(campaign, month, sinks);
    months.push(stats);
  }
  return { months, subscribers: pop.n };
}

async function writeCampaign(campaign: CampaignRun, month: number, sinks: OperatorSinks): Promise<void> {
  const missing = campaign.missing();
  if (missing > 0)
    throw new UsageError(
      `${missing} subscribers of the ${formatMonth(month)} warning list and control group are not billed in this ` +
        'simulation: generate with the --seed, --subscribers and --start of the data that was scored',
    );
  if (!sinks.openCampaign) return;
  const out = await sinks.openCampaign(month);
  const { workOrders, truth } = campaign.records();
  for (const w of workOrders) out.workOrders.add(w);
  if (out.truth) for (const t of truth) out.truth.add(t);
  await out.close();
}
