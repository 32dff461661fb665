/** CSV lines for billing, CDR and ground-truth records, in the data contract's column order. */
import { formatDate, formatMonth } from '../../src/calendar.js';
import {
  BILLING_FIELDS,
  CARD_TYPES,
  CDR_FIELDS,
  type CdrEvent,
  type CdrSink,
  CUSTOMER_TYPES,
  DIRECTION,
  EVENT,
  EVENT_TYPES,
  OUTCOME_FIELDS,
  STATUSES,
} from '../../src/contract.js';
import type { CampaignTruthRecord, WorkOrderRecord } from './campaign.js';
import type { BillingRecord, RecordSink, TruthRecord } from './sinks.js';
import type { TextWriter } from './text-writer.js';

export const TRUTH_COLUMNS = ['subscriber_id', 'month', 'churned_next', 'latent', 'hazard'] as const;

const TWO = Array.from({ length: 60 }, (_, k) => String(k).padStart(2, '0'));

/** Formats dates with a small cache: a month of rows shares a handful of distinct days. */
class DateCache {
  private readonly days = new Map<number, string>();
  private readonly months = new Map<number, string>();
  day(d: number): string {
    let s = this.days.get(d);
    if (s === undefined) {
      s = formatDate(d);
      this.days.set(d, s);
    }
    return s;
  }
  month(m: number): string {
    let s = this.months.get(m);
    if (s === undefined) {
      s = formatMonth(m);
      this.months.set(m, s);
    }
    return s;
  }
}

const amount = (x: number): string => (Number.isNaN(x) ? '' : String(x));

export function billingCsvSink(out: TextWriter): RecordSink<BillingRecord> {
  out.write(`${BILLING_FIELDS.map((f) => f.name).join(',')}\n`);
  const dates = new DateCache();
  return {
    add(r) {
      const end = Number.isNaN(r.planEndDay) ? '' : dates.day(r.planEndDay);
      out.write(
        `${r.subscriberId},${dates.month(r.month)},${dates.day(r.activationDay)},${r.planId},${end},` +
          `${r.billedAmount},${STATUSES[r.status]},${r.suspensionCount},${CARD_TYPES[r.cardType]},` +
          `${CUSTOMER_TYPES[r.customerType]},${r.ownershipChange},${r.planChange},${r.doNotDisturb}\n`,
      );
    },
  };
}

export function cdrCsvSink(out: TextWriter): CdrSink {
  out.write(`${CDR_FIELDS.map((f) => f.name).join(',')}\n`);
  const dates = new DateCache();
  return {
    add(e: Readonly<CdrEvent>) {
      const day = Math.floor(e.startTime / 86_400);
      let s = e.startTime - day * 86_400;
      const h = Math.floor(s / 3600);
      s -= h * 3600;
      const m = Math.floor(s / 60);
      const time = `${dates.day(day)}T${TWO[h]}:${TWO[m]}:${TWO[s - m * 60]}`;
      const voice = e.eventType === EVENT.voice;
      const data = e.eventType === EVENT.data;
      out.write(
        `${e.subscriberId},${time},${EVENT_TYPES[e.eventType]},${data ? '' : e.direction === DIRECTION.in ? 'in' : 'out'},` +
          `${voice ? e.durationS : ''},${data ? e.bytes : ''},${e.otherParty},${amount(e.charge)}\n`,
      );
    },
  };
}

export function truthCsvSink(out: TextWriter): RecordSink<TruthRecord> {
  out.write(`${TRUTH_COLUMNS.join(',')}\n`);
  const dates = new DateCache();
  return {
    add(r) {
      out.write(
        `${r.subscriberId},${dates.month(r.month)},${r.churnedNext},${r.latent.toFixed(4)},${r.hazard.toFixed(5)}\n`,
      );
    },
  };
}

/** Work-order outcomes (DATA-CONTRACT: work-order outcomes) of the warning list, reached by call. */
export function workOrderCsvSink(out: TextWriter): RecordSink<WorkOrderRecord> {
  out.write(`${OUTCOME_FIELDS.map((f) => f.name).join(',')}\n`);
  const dates = new DateCache();
  return {
    add(r) {
      const day = Number.isNaN(r.contactDay) ? '' : dates.day(r.contactDay);
      const accepted = Number.isNaN(r.accepted) ? '' : String(r.accepted);
      out.write(
        `${r.subscriberId},${dates.month(r.month)},warning,${r.contacted},${day},${r.action},${accepted},call\n`,
      );
    },
  };
}

export const CAMPAIGN_TRUTH_COLUMNS = [
  'subscriber_id',
  'month',
  'assigned',
  'reachable',
  'action',
  'churn_without_call',
  'churn_with_call',
  'type',
] as const;

export function campaignTruthCsvSink(out: TextWriter): RecordSink<CampaignTruthRecord> {
  out.write(`${CAMPAIGN_TRUTH_COLUMNS.join(',')}\n`);
  const dates = new DateCache();
  return {
    add(r) {
      out.write(
        `${r.subscriberId},${dates.month(r.month)},${r.assigned},${r.reachable},${r.action},` +
          `${r.churnWithout},${r.churnWith},${r.type}\n`,
      );
    },
  };
}
