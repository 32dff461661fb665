/**
 * What the simulation hands to its outputs. File writers, in-process benchmarks and tests all
 * implement these; records are reused objects, so a sink must copy what it keeps.
 */
import type { CdrSink } from '../../src/contract.js';
import type { CampaignTruthRecord, WorkOrderRecord } from './campaign.js';

/** One billing row (DATA-CONTRACT.md §1) with enums as indices into the contract's lists. */
export interface BillingRecord {
  subscriberId: string;
  /** Month index (calendar.ts). */
  month: number;
  /** Day number of the activation date. */
  activationDay: number;
  planId: string;
  /** Day number of the contract expiry; NaN when blank. */
  planEndDay: number;
  billedAmount: number;
  /** Index into STATUSES. */
  status: number;
  suspensionCount: number;
  /** Index into CARD_TYPES. */
  cardType: number;
  /** Index into CUSTOMER_TYPES. */
  customerType: number;
  ownershipChange: number;
  planChange: number;
  doNotDisturb: number;
}

/**
 * The simulation's ground truth for one billed, not-closed subscriber-month. Not part of the data
 * contract: it exists so analyses can measure how well the pipeline recovers what was simulated.
 */
export interface TruthRecord {
  subscriberId: string;
  month: number;
  /** 1 when the subscriber has churned at month + 1 by DATA-CONTRACT.md §3. */
  churnedNext: number;
  /** The latent dissatisfaction this month (standard normal across the base). */
  latent: number;
  /** The monthly hazard of deciding to leave that the simulation drew against. */
  hazard: number;
}

export interface RecordSink<T> {
  add(record: Readonly<T>): void;
}

export interface MonthSinks {
  readonly billing: RecordSink<BillingRecord>;
  /** Absent when no CDRs are wanted for this month. */
  readonly cdr?: CdrSink;
  readonly truth?: RecordSink<TruthRecord>;
  /** Waits for buffered output to be taken up (backpressure); called between subscribers. */
  drain?(): Promise<void>;
  close(): Promise<void>;
}

/** A campaign's files: the work orders the call centre returns and the potential outcomes. */
export interface CampaignSinks {
  readonly workOrders: RecordSink<WorkOrderRecord>;
  readonly truth?: RecordSink<CampaignTruthRecord>;
  close(): Promise<void>;
}

export interface OperatorSinks {
  /** `withCdr` is false for months outside `--cdr-months`. */
  openMonth(month: number, withCdr: boolean): MonthSinks | Promise<MonthSinks>;
  /** For a run with a campaign: the files of the list month `month`. */
  openCampaign?(month: number): CampaignSinks | Promise<CampaignSinks>;
}
