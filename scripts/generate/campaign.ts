/**
 * A retention campaign with a known effect. The subscribers `retain score` put on a month's warning
 * list are called early the next month; the control group it held out is not. Each subscriber of
 * both groups has two potential outcomes for the churn label of that month (DATA-CONTRACT §3):
 * without a call (the simulation as it runs) and with one, which makes them one of
 *
 * - persuadable: leaves without a call, stays with one;
 * - sure thing: stays either way;
 * - lost cause: leaves either way;
 * - sleeping dog: stays without a call, leaves with one (the call reminds them they could go).
 *
 * Which, depends on what drives them (the generator's counterparts of retain's triggers and
 * segments) and on the offer the call centre allots at random. A call reaches some subscribers and
 * not others; only the reached get the outcome with a call. Every draw comes from its own stream,
 * so the months up to the list's month are exactly those of a run without the campaign.
 */
import { monthStartDay } from '../../src/calendar.js';
import { createRandom, type Random } from '../../src/random.js';
import type { MonthContext, MonthSignals } from './dynamics.js';
import { EXIT, type Population } from './population.js';

/** Offers the call centre allots at random, one per work order. */
export const OFFERS = ['discount', 'bundle', 'care_check'] as const;
export const RESPONSE_TYPES = ['persuadable', 'sure_thing', 'lost_cause', 'sleeping_dog'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

/** What was scored: the list's month and who was assigned to be called or held out. */
export interface CampaignPlan {
  /** Month index of the scored (list) month. */
  readonly month: number;
  /** Subscribers on the warning list. */
  readonly listed: ReadonlySet<string>;
  /** The control group held out of it. */
  readonly control: ReadonlySet<string>;
}

/** One work order as the call centre returns it (DATA-CONTRACT: work-order outcomes). */
export interface WorkOrderRecord {
  subscriberId: string;
  month: number;
  contacted: number;
  /** Day number; NaN when not reached. */
  contactDay: number;
  action: string;
  /** 0, 1, or NaN when not reached. */
  accepted: number;
}

/** One subscriber of the campaign with both potential outcomes: the truth estimates are checked against. */
export interface CampaignTruthRecord {
  subscriberId: string;
  month: number;
  /** 1 on the warning list, 0 in the control group. */
  assigned: number;
  /** 1 when a call would reach the subscriber (drawn for the control group too). */
  reachable: number;
  action: string;
  /** The churn label at month + 1 without a call, and with a call that reaches. */
  churnWithout: number;
  churnWith: number;
  type: ResponseType;
}

/** Chance a leaver (without a call) is kept by a call that reaches. */
function persuadeChance(p: Population, i: number, sig: Readonly<MonthSignals>, offer: number): number {
  const exit = p.exitPath[i];
  if (exit === EXIT.cancel || exit === EXIT.arrears) return 0.05; // already cancelling or in arrears
  const serviceTrouble = sig.careOwn >= 2;
  let q = 0.2;
  if (sig.careCompetitor > 0)
    q = 0.45; // shopping around: a counter-offer keeps them
  else if (serviceTrouble) q = 0.4; // trouble a call can fix
  const factor =
    OFFERS[offer] === 'discount' ? 1.25 : OFFERS[offer] === 'bundle' ? 1 : serviceTrouble ? 1.2 : 0.5;
  return Math.min(0.9, q * factor);
}

/** Chance a stayer (without a call) is driven away by a call that reaches. */
function provokeChance(
  p: Population,
  i: number,
  ctx: MonthContext,
  sig: Readonly<MonthSignals>,
  offer: number,
): number {
  const end = p.planEndDay[i]!;
  let q = 0.01;
  if (end >= ctx.monthEnd - 15 && end <= ctx.monthEnd + 45)
    q = 0.1; // reminded that the contract ends
  else if (sig.activity < 0.6) q = 0.06; // reminded of a line they hardly use
  const factor = OFFERS[offer] === 'discount' ? 0.6 : OFFERS[offer] === 'bundle' ? 1.4 : 1;
  return q * factor;
}

interface Member {
  slot: number;
  truth: CampaignTruthRecord;
}

/** The campaign over one run: observe at the list's month, write its files, apply at the next. */
export class CampaignRun {
  private readonly rng: Random;
  private readonly members: Member[] = [];

  constructor(
    readonly plan: CampaignPlan,
    seed: number,
  ) {
    this.rng = createRandom(seed, 5000);
  }

  /** Called after subscriber `i` was stepped through the list's month (billed, not closed). */
  observe(p: Population, i: number, ctx: MonthContext, sig: Readonly<MonthSignals>): void {
    const id = p.id[i]!;
    const listed = this.plan.listed.has(id);
    if (!listed && !this.plan.control.has(id)) return;
    const rng = this.rng;
    const offer = rng.int(OFFERS.length);
    const reachable = rng.next() < (sig.activity < 0.6 ? 0.45 : 0.75) ? 1 : 0;
    const without = p.leaveMonth[i] === ctx.month + 1 ? 1 : 0;
    const u = rng.next();
    const type: ResponseType = without
      ? u < persuadeChance(p, i, sig, offer)
        ? 'persuadable'
        : 'lost_cause'
      : u < provokeChance(p, i, ctx, sig, offer)
        ? 'sleeping_dog'
        : 'sure_thing';
    const churnWith = type === 'lost_cause' || type === 'sleeping_dog' ? 1 : 0;
    this.members.push({
      slot: i,
      truth: {
        subscriberId: id,
        month: ctx.month,
        assigned: listed ? 1 : 0,
        reachable,
        action: OFFERS[offer]!,
        churnWithout: without,
        churnWith,
        type,
      },
    });
  }

  /** Subscribers of the plan the simulation did not bill in the list's month (a different run). */
  missing(): number {
    return this.plan.listed.size + this.plan.control.size - this.members.length;
  }

  /** The work orders of the listed subscribers, and every member's truth, in slot order. */
  records(): { workOrders: WorkOrderRecord[]; truth: CampaignTruthRecord[] } {
    const callStart = monthStartDay(this.plan.month + 1);
    const rng = this.rng;
    const workOrders: WorkOrderRecord[] = [];
    for (const { truth: t } of this.members) {
      if (t.assigned === 0) continue;
      const reached = t.reachable === 1;
      const acceptChance = t.type === 'persuadable' ? 0.8 : t.type === 'sleeping_dog' ? 0.05 : 0.3;
      const day = callStart + rng.int(7);
      const accepted = rng.next() < acceptChance ? 1 : 0;
      workOrders.push({
        subscriberId: t.subscriberId,
        month: t.month,
        contacted: reached ? 1 : 0,
        contactDay: reached ? day : Number.NaN,
        action: t.action,
        accepted: reached ? accepted : Number.NaN,
      });
    }
    return { workOrders, truth: this.members.map((m) => m.truth) };
  }

  /** Before the month after the list's is simulated: reached subscribers get their outcome with a call. */
  apply(p: Population): void {
    const next = this.plan.month + 1;
    for (const { slot, truth: t } of this.members) {
      if (t.assigned === 0 || t.reachable === 0 || t.churnWith === t.churnWithout) continue;
      if (t.type === 'persuadable') p.leaveMonth[slot] = -1;
      else {
        p.leaveMonth[slot] = next;
        p.exitPath[slot] = EXIT.vanish;
      }
    }
  }
}
