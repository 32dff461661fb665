/** Reading a run's billing and CDR files, shared by `train` and `score`. */
import { resolve } from 'node:path';
import { formatMonth, parseMonth } from '../../calendar.js';
import type { Config } from '../../config.js';
import type { BillingTable, SetAsideRows } from '../../contract.js';
import { InputError, UsageError } from '../../errors.js';
import { type CdrAggregates, monthList } from '../../features/index.js';
import { readingThreads } from '../../io/cdr/index.js';
import { readBilling } from '../../io/index.js';
import { RejectsFile } from '../../io/rejects.js';
import type { FileReport, RejectSink } from '../../io/types.js';
import { readCdrFiles } from '../../pipeline/cdr.js';
import { billedByMonth, billingUpTo, cdrUpTo, chooseMonth } from '../../pipeline/month.js';
import { type Shard, shardBilling } from '../../pipeline/shard.js';
import type { CommandContext } from '../context.js';
import { createProgress } from '../progress.js';

export interface RunInputs {
  readonly billing: BillingTable;
  readonly cdr: CdrAggregates | null;
  readonly files: FileReport[];
  /** Billing rows set aside as bad, by the subscriber and month they name. */
  readonly setAside: SetAsideRows;
  /** The run's last billing month: later rows and events were left out. */
  readonly month: number;
}

export interface InputOptions {
  readonly billing: readonly string[];
  readonly cdr: readonly string[];
  readonly config: Config;
  /** Where every bad row goes (CSV), or null. */
  readonly rejects: string | null;
  /** Keep only this shard's subscribers (billing rows and CDR events). */
  readonly shard?: Shard;
  /** Threads reading a CDR file (0 = all cores); the result does not depend on it. */
  readonly threads: number;
  /** The run's last billing month (--month); null or absent: the latest, checked against the one before. */
  readonly month?: number | null;
  /** Told the run's month once the billing files are read, before the CDRs are. */
  readonly onMonth?: (month: number) => void;
  /** Told as reading the billing files, then the CDR files, starts (the caller times the phases). */
  readonly onPhase?: (phase: 'read billing' | 'read CDRs') => void;
}

/** `--month YYYY-MM` as a month index; null when not given. */
export function parseMonthFlag(text: string | null): number | null {
  if (text === null) return null;
  const month = parseMonth(text);
  if (Number.isNaN(month)) throw new UsageError(`--month ${JSON.stringify(text)} is not a month (YYYY-MM)`);
  return month;
}

/** Logs what reading a file gave: its bad rows (a warning) or its rows, and its notices. */
export function logFile(ctx: CommandContext, f: FileReport): void {
  if (f.rejected > 0) {
    ctx.log.warn(
      { file: f.path, rows: f.rows, rejected: f.rejected, byReason: f.byReason },
      `${f.kind}: ${f.rejected} bad rows`,
    );
  } else ctx.log.info({ file: f.path, rows: f.rows }, `${f.kind}: read`);
  for (const notice of f.notices) ctx.log.info({ file: f.path }, notice);
}

export async function readRunInputs(ctx: CommandContext, o: InputOptions): Promise<RunInputs> {
  const rejectsFile: RejectsFile | null = o.rejects ? new RejectsFile(resolve(ctx.cwd, o.rejects)) : null;
  const rejects: RejectSink | null = rejectsFile;
  try {
    o.onPhase?.('read billing');
    const billingPaths = o.billing.map((p) => resolve(ctx.cwd, p));
    const billingRead = await readBilling(billingPaths, { config: o.config, rejects, threads: o.threads });
    const { files } = billingRead;
    for (const f of files) logFile(ctx, f);
    if (billingRead.table.n === 0) {
      const read = files.reduce((n, f) => n + f.rows, 0);
      throw new InputError(`${billingPaths.join(', ')}: no billing rows (${read} read, none accepted)`);
    }
    // A file of a header and no rows is an export cut short: among others, the run would quietly
    // score the month before it.
    const empty = files.filter((f) => f.rows === 0).map((f) => f.path);
    if (empty.length > 0)
      throw new InputError(
        `${empty.join(', ')}: a header and no billing rows; a billing file holds one month of subscribers (an export cut short?)`,
      );
    const month = chooseMonth(
      billedByMonth(billingRead.table),
      o.month ?? null,
      o.config.checks.min_month_share,
    );
    const cut = billingUpTo(billingRead.table, month);
    if (cut.laterRows > 0) {
      ctx.log.warn(
        { rows: cut.laterRows, months: cut.laterMonths.map(formatMonth) },
        `billing rows of months after ${formatMonth(month)} ignored: ${cut.laterRows} rows of ${monthList(cut.laterMonths)}`,
      );
    }
    const table = cut.billing;
    o.onMonth?.(month);
    let cdr: CdrAggregates | null = null;
    if (o.cdr.length > 0) {
      o.onPhase?.('read CDRs');
      const billed = table.cols.subscriber_id.dictionary.length;
      const threads = readingThreads(o.threads, o.shard ? Math.ceil(billed / o.shard.count) : billed);
      ctx.log.info({ threads, files: o.cdr.length }, 'reading CDRs');
      const progress = createProgress(ctx.stderr, ctx.stderrIsTTY, 'reading CDRs', 1);
      const read = await readCdrFiles(
        o.cdr.map((p) => resolve(ctx.cwd, p)),
        {
          config: o.config,
          rejects,
          threads,
          ...(o.shard ? { shard: o.shard } : {}),
          onProgress: (done, total) => progress.update(done, total),
          onFile(report) {
            files.push(report);
            logFile(ctx, report);
          },
        },
      );
      progress.done();
      const kept = cdrUpTo(read.aggregates, month);
      if (kept.laterEvents > 0) {
        ctx.log.warn(
          { events: kept.laterEvents, months: kept.laterMonths.map(formatMonth) },
          `CDR events of months after ${formatMonth(month)} ignored: ${kept.laterEvents} events of ${monthList(kept.laterMonths)}`,
        );
      }
      cdr = kept.cdr;
    }
    rejectsFile?.commit();
    const billing = o.shard ? shardBilling(table, o.shard) : table;
    return { billing, cdr, files, month, setAside: billingRead.setAside };
  } catch (err) {
    rejectsFile?.abort();
    throw err;
  }
}
