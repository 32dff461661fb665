/**
 * The subscriber base as parallel typed arrays (one slot per subscriber ever activated), and the
 * draws that create subscribers: the starting base with its tenure mix, and each month's activations.
 */
import { daysInMonth, monthStartDay } from '../../src/calendar.js';
import { CARD, CUSTOMER } from '../../src/contract.js';
import type { Random } from '../../src/random.js';
import { drawPlan, PLANS, SPECIAL_CARDS } from './plans.js';

/** How a leaver goes (chosen when the decision to leave is drawn). */
export const EXIT = { vanish: 0, closed: 1, cancel: 2, arrears: 3 } as const;
export type ExitPath = (typeof EXIT)[keyof typeof EXIT];

export interface Population {
  /** Slots in use. */
  n: number;
  id: string[];
  activationDay: Int32Array;
  plan: Uint8Array;
  /** NaN when the plan has no contract. */
  planEndDay: Float64Array;
  /** 1 when the operator's export leaves plan_end_date blank although there is a contract. */
  endBlank: Uint8Array;
  cardType: Uint8Array;
  customerType: Uint8Array;
  doNotDisturb: Uint8Array;
  /** Latent dissatisfaction, AR(1) with a standard normal stationary law. */
  latent: Float64Array;
  /** Usage level (mean about 1) scaling every kind of event. */
  usage: Float64Array;
  /** Propensity to use mobile data. */
  dataUse: Float64Array;
  /** Month index at which the subscriber has churned (no row, or a closed row); -1 while staying. */
  leaveMonth: Int32Array;
  exitPath: Uint8Array;
  /** 1 when the leaver shows warning signs before going (some leave without any). */
  showsSigns: Uint8Array;
  /** 1 once the subscriber is no longer billed. */
  gone: Uint8Array;
  /** Months left in a temporary (recovering) arrears or voluntary suspension. */
  pause: Uint8Array;
  pauseStatus: Uint8Array;
}

export function emptyPopulation(capacity: number): Population {
  return {
    n: 0,
    id: [],
    activationDay: new Int32Array(capacity),
    plan: new Uint8Array(capacity),
    planEndDay: new Float64Array(capacity),
    endBlank: new Uint8Array(capacity),
    cardType: new Uint8Array(capacity),
    customerType: new Uint8Array(capacity),
    doNotDisturb: new Uint8Array(capacity),
    latent: new Float64Array(capacity),
    usage: new Float64Array(capacity),
    dataUse: new Float64Array(capacity),
    leaveMonth: new Int32Array(capacity),
    exitPath: new Uint8Array(capacity),
    showsSigns: new Uint8Array(capacity),
    gone: new Uint8Array(capacity),
    pause: new Uint8Array(capacity),
    pauseStatus: new Uint8Array(capacity),
  };
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

function ensureCapacity(p: Population, need: number): void {
  if (need <= p.activationDay.length) return;
  const size = Math.max(need, Math.ceil(p.activationDay.length * 1.5));
  p.activationDay = grow(p.activationDay, size);
  p.plan = grow(p.plan, size);
  p.planEndDay = grow(p.planEndDay, size);
  p.endBlank = grow(p.endBlank, size);
  p.cardType = grow(p.cardType, size);
  p.customerType = grow(p.customerType, size);
  p.doNotDisturb = grow(p.doNotDisturb, size);
  p.latent = grow(p.latent, size);
  p.usage = grow(p.usage, size);
  p.dataUse = grow(p.dataUse, size);
  p.leaveMonth = grow(p.leaveMonth, size);
  p.exitPath = grow(p.exitPath, size);
  p.showsSigns = grow(p.showsSigns, size);
  p.gone = grow(p.gone, size);
  p.pause = grow(p.pause, size);
  p.pauseStatus = grow(p.pauseStatus, size);
}

/** Ids are strings with leading zeros, so a reader that parses them as numbers breaks visibly. */
export function subscriberId(slot: number): string {
  return String(slot + 1).padStart(10, '0');
}

function drawCard(u: number): number {
  let acc = SPECIAL_CARDS.employee;
  if (u < acc) return CARD.employee;
  acc += SPECIAL_CARDS.test;
  if (u < acc) return CARD.test;
  acc += SPECIAL_CARDS.free;
  if (u < acc) return CARD.free;
  acc += SPECIAL_CARDS.sp_only;
  if (u < acc) return CARD.sp_only;
  return CARD.normal;
}

/** Contract expiry: the first end of a contract period after `afterMonth`, anchored on activation. */
export function contractEnd(
  activationDay: number,
  activationMonth: number,
  months: number,
  afterMonth: number,
) {
  const periods = Math.max(1, Math.ceil((afterMonth - activationMonth + 1) / months));
  const endMonth = activationMonth + periods * months;
  const dom = Math.min(activationDay - monthStartDay(activationMonth) + 1, daysInMonth(endMonth));
  return monthStartDay(endMonth) + dom - 1;
}

/** Adds one subscriber activated on a day of `activationMonth`; returns its slot. */
function addSubscriber(
  p: Population,
  rng: Random,
  activationMonth: number,
  firstMonth: number,
  fresh: boolean,
) {
  ensureCapacity(p, p.n + 1);
  const i = p.n++;
  p.id.push(subscriberId(i));
  const day = monthStartDay(activationMonth) + rng.int(daysInMonth(activationMonth));
  p.activationDay[i] = day;
  const plan = drawPlan(rng.next(), fresh);
  p.plan[i] = plan;
  const months = PLANS[plan]!.contractMonths;
  p.planEndDay[i] = months > 0 ? contractEnd(day, activationMonth, months, firstMonth) : Number.NaN;
  p.endBlank[i] = months > 0 && rng.next() < 0.12 ? 1 : 0;
  p.cardType[i] = drawCard(rng.next());
  p.customerType[i] = rng.next() < 0.07 ? CUSTOMER.group : CUSTOMER.individual;
  p.doNotDisturb[i] = rng.next() < 0.03 ? 1 : 0;
  p.latent[i] = rng.normal();
  p.usage[i] = Math.exp(0.6 * rng.normal() - 0.18);
  p.dataUse[i] = rng.next() < 0.15 ? 0.1 : Math.exp(0.5 * rng.normal() - 0.125);
  p.leaveMonth[i] = -1;
  return i;
}

/** Tenure mix of an established operator: a few recent joiners, most customers years old. */
function drawTenure(rng: Random): number {
  const u = rng.next();
  if (u < 0.14) return 1 + rng.int(11);
  if (u < 0.42) return 12 + rng.int(36);
  return Math.min(300, 48 + Math.floor(-60 * Math.log(1 - rng.next())));
}

export function seedPopulation(subscribers: number, startMonth: number, rng: Random, capacity: number) {
  const p = emptyPopulation(Math.max(capacity, subscribers));
  for (let k = 0; k < subscribers; k++)
    addSubscriber(p, rng, startMonth - drawTenure(rng), startMonth, false);
  return p;
}

/** This month's activations, about 3-4% of the active base; returns how many were added. */
export function activate(p: Population, rng: Random, month: number, activeBase: number): number {
  const rate = 0.03 + 0.01 * rng.next();
  return addActivations(
    p,
    rng,
    month,
    Math.round(activeBase * rate + Math.sqrt(activeBase * rate) * rng.normal()),
  );
}

/** Adds `count` subscribers activated in `month`. */
export function addActivations(p: Population, rng: Random, month: number, count: number): number {
  const n = Math.max(0, count);
  for (let k = 0; k < n; k++) addSubscriber(p, rng, month, month, true);
  return n;
}
