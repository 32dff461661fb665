/**
 * One subscriber's month: latent drift, contract renewal, the decision to leave, and what shows in
 * billing (status, suspensions, spend, plan and ownership changes) plus the signals CDRs will carry.
 * Leavers show warning signs noisily in the month or two before they go, and some show none.
 */
import { daysInMonth, monthEndDay, monthOfDay, monthStartDay } from '../../src/calendar.js';
import { CARD, CUSTOMER, STATUS } from '../../src/contract.js';
import type { Random } from '../../src/random.js';
import { neighbourPlan, PLANS } from './plans.js';
import { contractEnd, EXIT, type Population } from './population.js';
import type { BillingRecord, TruthRecord } from './sinks.js';

/** Calibrated so about 2% of the billed base churns each month. */
const HAZARD_INTERCEPT = -4.6;
const LATENT_EFFECT = 0.9;
const LATENT_PERSISTENCE = 0.9;

export interface MonthContext {
  month: number;
  /** Added to every subscriber's hazard log-odds (0 = the calibrated 2%). */
  hazardShift: number;
  /** Share of leavers who show warning signs before going (0.55 by default). */
  signShare: number;
  monthStart: number;
  monthEnd: number;
  days: number;
}

/** The hazard log-odds shift that moves the calibrated 2% monthly churn to about `churn`. */
export function hazardShift(churn: number): number {
  const logit = (p: number) => Math.log(p / (1 - p));
  return logit(churn) - logit(0.02);
}

export function monthContext(month: number, shift = 0, signShare = 0.55): MonthContext {
  return {
    month,
    hazardShift: shift,
    signShare,
    monthStart: monthStartDay(month),
    monthEnd: monthEndDay(month),
    days: daysInMonth(month),
  };
}

/** What this subscriber-month's CDRs should look like (day offsets are 0-based within the month). */
export interface MonthSignals {
  /** Multiplier on expected event counts. */
  activity: number;
  careOwn: number;
  careCompetitor: number;
  silentStart: number;
  /** Days in a row without outgoing voice (0 = no forced run). */
  silentLength: number;
  firstDay: number;
  lastDay: number;
  /** From this day on, outgoing usage is barred (arrears). */
  barredFrom: number;
}

export function emptySignals(): MonthSignals {
  return {
    activity: 1,
    careOwn: 0,
    careCompetitor: 0,
    silentStart: 0,
    silentLength: 0,
    firstDay: 0,
    lastDay: 0,
    barredFrom: 0,
  };
}

export const STEP = { none: 0, billed: 1, closed: 2 } as const;
export type StepResult = (typeof STEP)[keyof typeof STEP];

export function poisson(rng: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function hazard(p: Population, i: number, tenure: number, ctx: MonthContext): number {
  let logit = HAZARD_INTERCEPT + ctx.hazardShift + LATENT_EFFECT * p.latent[i]!;
  if (tenure === 0) logit += 1.7;
  else if (tenure < 3) logit += 1.2;
  else if (tenure < 6) logit += 0.6;
  else if (tenure < 12) logit += 0.25;
  const end = p.planEndDay[i]!;
  if (end >= ctx.monthEnd - 15 && end <= ctx.monthEnd + 45) logit += 1.1;
  if (p.customerType[i] === CUSTOMER.group) logit -= 0.6;
  if (p.cardType[i] !== CARD.normal) logit -= 1.2;
  if (PLANS[p.plan[i]!]!.price < 20) logit += 0.3;
  return 1 / (1 + Math.exp(-logit));
}

function decideToLeave(p: Population, i: number, month: number, rng: Random, signShare: number): void {
  p.leaveMonth[i] = month + (rng.next() < 0.65 ? 1 : 2);
  const u = rng.next();
  p.exitPath[i] = u < 0.55 ? EXIT.vanish : u < 0.75 ? EXIT.closed : u < 0.84 ? EXIT.cancel : EXIT.arrears;
  p.showsSigns[i] = rng.next() < signShare ? 1 : 0;
}

/** The final `closed` row some leavers get in the month they are gone. */
function closedRow(
  p: Population,
  i: number,
  ctx: MonthContext,
  rng: Random,
  bill: BillingRecord,
  sig: MonthSignals,
) {
  fillCommon(p, i, ctx, bill);
  bill.status = STATUS.closed;
  bill.billedAmount = round2(PLANS[p.plan[i]!]!.price * 0.4 * rng.next());
  Object.assign(sig, emptySignals());
  sig.activity = 0.6;
  sig.lastDay = rng.int(Math.ceil(ctx.days / 3));
  sig.barredFrom = ctx.days;
}

function fillCommon(p: Population, i: number, ctx: MonthContext, bill: BillingRecord): void {
  bill.subscriberId = p.id[i]!;
  bill.month = ctx.month;
  bill.activationDay = p.activationDay[i]!;
  bill.planId = PLANS[p.plan[i]!]!.id;
  bill.planEndDay = p.endBlank[i] ? Number.NaN : p.planEndDay[i]!;
  bill.suspensionCount = 0;
  bill.cardType = p.cardType[i]!;
  bill.customerType = p.customerType[i]!;
  bill.ownershipChange = 0;
  bill.planChange = 0;
  bill.doNotDisturb = p.doNotDisturb[i]!;
}

function renewContract(p: Population, i: number, ctx: MonthContext, rng: Random): boolean {
  const end = p.planEndDay[i]!;
  if (!(end < ctx.monthStart)) return false;
  // A renewal is the natural moment to move plan; the dissatisfied move down.
  const change = rng.next() < 0.15;
  if (change) p.plan[i] = neighbourPlan(p.plan[i]!, p.latent[i]! > 0.3);
  const months = PLANS[p.plan[i]!]!.contractMonths;
  const act = p.activationDay[i]!;
  p.planEndDay[i] = months > 0 ? contractEnd(act, monthOfDay(act), months, ctx.month) : Number.NaN;
  return change;
}

function chooseStatus(p: Population, i: number, pre: number, rng: Random): number {
  if (pre === 1) {
    switch (p.exitPath[i]) {
      case EXIT.vanish:
        return rng.next() < 0.1 ? STATUS.suspended : STATUS.active;
      case EXIT.closed:
        return rng.next() < 0.3 ? STATUS.pending_cancel : STATUS.active;
      case EXIT.cancel:
        return STATUS.pending_cancel;
      default:
        return STATUS.arrears_suspended;
    }
  }
  if (pre === 2 && p.exitPath[i] === EXIT.arrears && rng.next() < 0.5) return STATUS.arrears_suspended;
  if (p.pause[i]! > 0) {
    p.pause[i]!--;
    return p.pauseStatus[i]!;
  }
  // Stayers, too, fall into arrears, suspend the line for a while, or file and withdraw a cancellation.
  const u = rng.next();
  if (u >= 0.0115) return STATUS.active;
  if (u < 0.006) {
    p.pause[i] = rng.int(2);
    p.pauseStatus[i] = STATUS.arrears_suspended;
    return STATUS.arrears_suspended;
  }
  if (u < 0.0105) {
    p.pause[i] = rng.int(3);
    p.pauseStatus[i] = STATUS.suspended;
    return STATUS.suspended;
  }
  return STATUS.pending_cancel;
}

/**
 * Advances subscriber `i` through `ctx.month`. Fills `bill`, `truth` and `sig` when it returns
 * STEP.billed (truth is only meaningful then) or STEP.closed.
 */
export function stepSubscriber(
  p: Population,
  i: number,
  ctx: MonthContext,
  rng: Random,
  bill: BillingRecord,
  truth: TruthRecord,
  sig: MonthSignals,
): StepResult {
  if (p.gone[i]) return STEP.none;
  const month = ctx.month;
  if (p.leaveMonth[i] === month) {
    p.gone[i] = 1;
    const path = p.exitPath[i];
    const closed = path === EXIT.closed || (path === EXIT.arrears && rng.next() < 0.5);
    if (!closed) return STEP.none;
    closedRow(p, i, ctx, rng, bill, sig);
    return STEP.closed;
  }
  const tenure = month - monthOfDay(p.activationDay[i]!);
  if (tenure > 0) {
    const rho = LATENT_PERSISTENCE;
    p.latent[i] = rho * p.latent[i]! + Math.sqrt(1 - rho * rho) * rng.normal();
  }
  let planChange = renewContract(p, i, ctx, rng);
  const h = hazard(p, i, tenure, ctx);
  if (p.leaveMonth[i]! < 0 && rng.next() < h) decideToLeave(p, i, month, rng, ctx.signShare);
  const leave = p.leaveMonth[i]!;
  const pre = leave > 0 ? leave - month : 0;
  const strength = p.showsSigns[i] ? (pre === 1 ? 1 : pre === 2 ? 0.5 : 0) : 0;
  const z = p.latent[i]!;

  if (rng.next() < 0.01 + 0.12 * strength) {
    p.plan[i] = neighbourPlan(p.plan[i]!, strength > 0 || z > 0 ? rng.next() < 0.75 : rng.next() < 0.4);
    planChange = true;
  }
  fillCommon(p, i, ctx, bill);
  const status = chooseStatus(p, i, pre, rng);
  bill.status = status;
  bill.planChange = planChange ? 1 : 0;
  bill.ownershipChange = rng.next() < 0.003 + 0.04 * strength ? 1 : 0;
  const paused = status === STATUS.suspended || status === STATUS.arrears_suspended;
  bill.suspensionCount =
    p.cardType[i] === CARD.test
      ? 0
      : (paused ? 1 : 0) +
        poisson(rng, 0.02 + 0.02 * Math.max(0, z) + (paused ? 0.3 : 0) + 0.45 * strength) +
        (rng.next() < 0.001 + 0.08 * strength ? 3 + rng.int(4) : 0); // a burst of stop/start

  Object.assign(sig, emptySignals());
  sig.lastDay = ctx.days - 1;
  sig.barredFrom = ctx.days;
  sig.firstDay = tenure === 0 ? p.activationDay[i]! - ctx.monthStart : 0;
  const withdrawn = strength > 0 && rng.next() < 0.7 ? 1 - strength * (0.2 + 0.5 * rng.next()) : 1;
  sig.activity = Math.max(0.15, Math.exp(-0.12 * z) * withdrawn * (1 + 0.12 * rng.normal()));
  if (status === STATUS.suspended) sig.lastDay = rng.int(ctx.days);
  if (status === STATUS.arrears_suspended) sig.barredFrom = rng.int(ctx.days);
  const silent = strength > 0 ? 0.45 * strength : 0.02 * Math.max(0, z);
  if (rng.next() < silent) {
    sig.silentLength = Math.min(ctx.days, (strength > 0 ? 4 : 3) + rng.int(strength > 0 ? 9 : 3));
    sig.silentStart = rng.int(ctx.days - sig.silentLength + 1);
  }
  sig.careOwn = poisson(rng, 0.3 * Math.exp(0.5 * z) + 0.9 * strength + (paused ? 0.6 : 0));
  sig.careCompetitor = poisson(rng, 0.006 * Math.exp(0.6 * z) + 0.4 * strength);

  bill.billedAmount = billedAmount(p, i, status, strength, sig.activity, rng);
  truth.subscriberId = bill.subscriberId;
  truth.month = month;
  truth.churnedNext = leave === month + 1 ? 1 : 0;
  truth.latent = z;
  truth.hazard = h;
  return STEP.billed;
}

function billedAmount(
  p: Population,
  i: number,
  status: number,
  strength: number,
  activity: number,
  rng: Random,
) {
  const price = PLANS[p.plan[i]!]!.price;
  const card = p.cardType[i];
  if (card === CARD.test || card === CARD.free) return 0;
  if (card === CARD.sp_only) return round2(3 + 12 * rng.next());
  let base = price * (1 + 0.03 * rng.normal()) * (card === CARD.employee ? 0.3 : 1);
  let extra = price * 0.12 * p.usage[i]! * activity * Math.exp(0.4 * rng.normal());
  if (rng.next() < 0.03) extra += 20 * Math.exp(rng.normal()); // roaming, content purchases
  if (strength > 0 && rng.next() < 0.4 * strength) {
    base *= 0.3 + 0.5 * rng.next();
    extra *= 0.3;
  }
  if (status === STATUS.suspended) return round2(price * 0.2);
  if (status === STATUS.arrears_suspended) base *= 0.5 + 0.5 * rng.next();
  return Math.max(0, round2(base + extra));
}

/** Share of the active (not gone) base, used to size activations. */
export function activeBase(p: Population): number {
  let n = 0;
  for (let i = 0; i < p.n; i++) if (!p.gone[i]) n++;
  return n;
}
