/** Reading a run's billing and CDR files, shared by `train` and `score`. */
import { basename, resolve } from 'node:path';
import type { Config } from '../../config.js';
import type { BillingTable } from '../../contract.js';
import { type CdrAggregates, createCdrAggregator } from '../../features/index.js';
import { readBilling, readCdr } from '../../io/index.js';
import { RejectsFile } from '../../io/rejects.js';
import type { FileReport, RejectSink } from '../../io/types.js';
import { type Shard, shardBilling, shardSink } from '../../pipeline/shard.js';
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
    let cdr: CdrAggregates | null = null;
    if (o.cdr.length > 0) {
      const aggregator = createCdrAggregator(o.config);
      const sink = o.shard ? shardSink(aggregator, o.shard) : aggregator;
      for (const p of o.cdr) {
        const progress = createProgress(ctx.stderr, ctx.stderrIsTTY, `reading ${basename(p)}`, 1);
        const onProgress = (read: number, size: number) => progress.update(read, size);
        const report = await readCdr(resolve(ctx.cwd, p), sink, {
          countSubscribers: false,
          config: o.config,
          rejects,
          onProgress,
        });
        progress.done();
        files.push(report);
        logFile(ctx, report);
      }
      cdr = aggregator.finish();
    }
    rejectsFile?.commit();
    return { billing: o.shard ? shardBilling(table, o.shard) : table, cdr, files };
  } catch (err) {
    rejectsFile?.abort();
    throw err;
  }
}
