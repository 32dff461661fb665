/**
 * Sinks that write one billing, CDR and truth file per month into a folder:
 * `billing-YYYY-MM.csv|.arrow`, `cdr-YYYY-MM.csv[.gz]|.arrow`, `truth-YYYY-MM.csv`; with a
 * campaign, `outcomes-YYYY-MM.csv` and `campaign-truth-YYYY-MM.csv` for its list month.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatMonth } from '../../src/calendar.js';
import type { CdrSink } from '../../src/contract.js';
import { billingArrowSink, cdrArrowSink } from './arrow-sinks.js';
import {
  billingCsvSink,
  campaignTruthCsvSink,
  cdrCsvSink,
  truthCsvSink,
  workOrderCsvSink,
} from './csv-sinks.js';
import type {
  BillingRecord,
  CampaignSinks,
  MonthSinks,
  OperatorSinks,
  RecordSink,
  TruthRecord,
} from './sinks.js';
import { TextWriter } from './text-writer.js';

export type OutputFormat = 'csv' | 'arrow';

export interface FileSinkOptions {
  out: string;
  format: OutputFormat;
  /** Gzip CDR CSV files (`.csv.gz`); billing stays plain. */
  gzip: boolean;
  /** Write CDR files at all. */
  cdr: boolean;
  /** Write the ground-truth files (not part of the data contract). */
  truth: boolean;
  /** Folder for the ground-truth files; `out` when not given. */
  truthOut?: string;
}

export const DEFAULT_FILE_SINK_OPTIONS: FileSinkOptions = {
  out: 'generated',
  format: 'csv',
  gzip: false,
  cdr: true,
  truth: true,
};

export interface WrittenFile {
  path: string;
  kind: 'billing' | 'cdr' | 'truth' | 'outcomes';
}

interface Closable {
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** File sinks; `files` lists every file written, in order. */
export function createFileSinks(options: Partial<FileSinkOptions>): OperatorSinks & { files: WrittenFile[] } {
  const o = { ...DEFAULT_FILE_SINK_OPTIONS, ...options };
  const truthOut = o.truthOut ?? o.out;
  mkdirSync(o.out, { recursive: true });
  if (o.truth) mkdirSync(truthOut, { recursive: true });
  const files: WrittenFile[] = [];
  const file = (kind: WrittenFile['kind'], name: string): string => {
    const path = join(kind === 'truth' ? truthOut : o.out, name);
    files.push({ path, kind });
    return path;
  };
  return {
    files,
    openCampaign(month: number): CampaignSinks {
      const tag = formatMonth(month);
      const orders = new TextWriter(file('outcomes', `outcomes-${tag}.csv`), false);
      const truth = o.truth ? new TextWriter(file('truth', `campaign-truth-${tag}.csv`), false) : null;
      return {
        workOrders: workOrderCsvSink(orders),
        ...(truth ? { truth: campaignTruthCsvSink(truth) } : {}),
        close: async () => {
          await Promise.all([orders.close(), truth?.close()]);
        },
      };
    },
    openMonth(month: number, withCdr: boolean): MonthSinks {
      const tag = formatMonth(month);
      const open: Closable[] = [];
      let billing: RecordSink<BillingRecord>;
      let cdr: CdrSink | undefined;
      let truth: RecordSink<TruthRecord> | undefined;
      if (o.format === 'arrow') {
        const b = billingArrowSink(file('billing', `billing-${tag}.arrow`));
        open.push(b);
        billing = b;
        if (o.cdr && withCdr) {
          const c = cdrArrowSink(file('cdr', `cdr-${tag}.arrow`));
          open.push(c);
          cdr = c;
        }
      } else {
        const b = new TextWriter(file('billing', `billing-${tag}.csv`), false);
        open.push(b);
        billing = billingCsvSink(b);
        if (o.cdr && withCdr) {
          const c = new TextWriter(file('cdr', `cdr-${tag}.csv${o.gzip ? '.gz' : ''}`), o.gzip);
          open.push(c);
          cdr = cdrCsvSink(c);
        }
      }
      if (o.truth) {
        const t = new TextWriter(file('truth', `truth-${tag}.csv`), false);
        open.push(t);
        truth = truthCsvSink(t);
      }
      return {
        billing,
        cdr,
        truth,
        drain: async () => {
          for (const w of open) await w.drain();
        },
        close: async () => {
          await Promise.all(open.map((w) => w.close()));
        },
      };
    },
  };
}
