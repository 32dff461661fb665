/** Reading a run's billing and CDR files, shared by `train` and `score`. */
import { resolve } from 'node:path';
import type { Config } from '../../config.js';
import type { BillingTable } from '../../contract.js';
import { InputError } from '../../errors.js';
import type { CdrAggregates } from '../../features/index.js';
import { readBilling } from '../../io/index.js';
import { RejectsFile } from '../../io/rejects.js';
import type { FileReport, RejectSink } from '../../io/types.js';
import { readCdrFiles, readingThreads } from '../../pipeline/cdr-read.js';
import { type Shard, shardBilling } from '../../pipeline/shard.js';
import type { CommandContext } from '../context.js';
import { createProgress } from '../progress.js';

export interface RunInputs {
  readonly billing: BillingTable;
  readonly cdr: CdrAggregates | null;
  readonly files: FileReport[];
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
}

function logFile(ctx: CommandContext, f: FileReport): void {
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
    const billingPaths = o.billing.map((p) => resolve(ctx.cwd, p));
    const { table, files } = await readBilling(billingPaths, { config: o.config, rejects });
    for (const f of files) logFile(ctx, f);
    if (table.n === 0) {
      const read = files.reduce((n, f) => n + f.rows, 0);
      throw new InputError(`${billingPaths.join(', ')}: no billing rows (${read} read, none accepted)`);
    }
    let cdr: CdrAggregates | null = null;
    if (o.cdr.length > 0) {
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
      cdr = read.aggregates;
    }
    rejectsFile?.commit();
    return { billing: o.shard ? shardBilling(table, o.shard) : table, cdr, files };
  } catch (err) {
    rejectsFile?.abort();
    throw err;
  }
}
