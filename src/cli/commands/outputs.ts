/**
 * The output folder of `score` and `merge`: claimed (checked and locked) before the work, written all
 * or nothing with its manifest at the end. The layout is scored-folder.ts's; what may be replaced is
 * output-dir.ts's.
 */
import { LISTS } from '../../contract.js';
import {
  claimOutputDir,
  describeInputs,
  type OutputDir,
  type RunManifest,
  type RunPath,
  type RunRecord,
  writeScoredFiles,
} from '../../io/index.js';
import type { ShardMeta } from '../../pipeline/merge.js';
import type { Listing } from '../../pipeline/score.js';
import { scoredColumns } from '../../pipeline/shard.js';
import type { CommandContext } from '../context.js';

export type OutputFormat = 'csv' | 'arrow';

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
  return out.write(async (dir) => {
    const scored = shard ? scoredColumns(listing.staged) : null;
    await writeScoredFiles(
      dir,
      {
        scores: listing.scores,
        lists: LISTS.map((l) => [l, listing.lists.lists[l]] as const),
        summary: folder.summary,
        ...(shard && scored ? { shard: { meta: shard, scored } } : {}),
      },
      settings,
    );
    return scored && shard
      ? { ...record, shard: { index: shard.shard.index, count: shard.shard.count, subscribers: scored.n } }
      : record;
  });
}
