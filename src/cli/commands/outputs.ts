/**
 * The output folder of `score` and `merge`: claimed (checked and locked) before the work, written all
 * or nothing with its manifest at the end. The layout is scored-folder.ts's; what may be replaced is
 * output-dir.ts's.
 */
import { type BillingTable, LISTS, type OwnerField } from '../../contract.js';
import { InputError, UsageError } from '../../errors.js';
import {
  claimOutputDir,
  describeInputs,
  type OutputDir,
  type RunManifest,
  type RunPath,
  type RunRecord,
  type TableFormat,
  writeScoredFiles,
} from '../../io/index.js';
import type { ShardMeta } from '../../pipeline/merge.js';
import type { Listing } from '../../pipeline/score.js';
import { scoredColumns } from '../../pipeline/shard.js';
import { splitListsBy } from '../../targets/index.js';
import type { CommandContext } from '../context.js';

export type OutputFormat = TableFormat;

export interface OutputSettings {
  readonly format: OutputFormat;
  readonly bom: boolean;
}

/** Checks and locks `--out` for a run reading `protect`; notices (stale locks, temporaries) are warnings. */
export function claimOut(ctx: CommandContext, out: string, protect: readonly RunPath[]): Promise<OutputDir> {
  return claimOutputDir(out, {
    label: '--out',
    cwd: ctx.cwd,
    protect,
    onNotice: (message) => ctx.log.warn(message),
  });
}

/** What the manifest records of a run, with the inputs' sizes read now. */
export async function runRecord(
  r: Omit<RunRecord, 'inputs'>,
  inputs: readonly { path: string; kind: string }[],
): Promise<RunRecord> {
  return { ...r, inputs: await describeInputs(inputs) };
}

export interface ScoreFolder {
  readonly listing: Listing;
  /** `--split-by`: also write each owner's lists. */
  readonly splitBy?: OwnerField | null;
  readonly summary: unknown;
  /** For a shard: its settings, which `retain merge` reads with its scored rows. */
  readonly shard?: ShardMeta;
}

export async function writeScoreFolder(
  out: OutputDir,
  folder: ScoreFolder,
  settings: OutputSettings,
  record: RunRecord,
): Promise<RunManifest> {
  const { listing, shard } = folder;
  return out.write(async (dir, hashed) => {
    const scored = shard ? scoredColumns(listing.staged) : null;
    await writeScoredFiles(
      dir,
      {
        scores: listing.scores,
        lists: LISTS.map((l) => [l, listing.lists.lists[l], listing.lists.rows[l]] as const),
        summary: folder.summary,
        ...(shard && scored ? { shard: { meta: shard, scored } } : {}),
        ...(folder.splitBy
          ? { split: { by: folder.splitBy, owners: splitListsBy(listing.lists.lists, folder.splitBy) } }
          : {}),
      },
      { ...settings, hashed },
    );
    return scored && shard
      ? { ...record, shard: { index: shard.shard.index, count: shard.shard.count, subscribers: scored.n } }
      : record;
  });
}

/** `--split-by` needs a whole run over billing files: a shard holds only part of each list (exit 2). */
export function checkSplitUsage(by: OwnerField | null, table: boolean, sharded: boolean): void {
  if (by === null) return;
  if (table) throw new UsageError('--split-by applies to billing files, not to --table');
  if (sharded)
    throw new UsageError(
      '--split-by cannot be used with --shard: a shard holds only part of each list; split a whole run',
    );
}

/** `--split-by` needs the owner column in the billing files read (exit 3 without it). */
export function checkSplitColumn(by: OwnerField | null, billing: BillingTable): void {
  if (by === null || billing.cols[by] !== undefined) return;
  throw new InputError(
    `--split-by ${by}: the billing files have no ${by} column; ` +
      `name it in the config (columns.billing.${by}: "<the column's name>") or score without --split-by`,
  );
}
