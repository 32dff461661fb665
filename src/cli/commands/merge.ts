/** `retain merge <shard dirs...> --out DIR`: shard outputs into the lists one process would have written. */
import { resolve } from 'node:path';
import { formatMonth } from '../../calendar.js';
import { LISTS } from '../../contract.js';
import { openScoredFolder } from '../../io/index.js';
import { mergeShards, type ShardMeta, type ShardPart } from '../../pipeline/merge.js';
import { mergedSummary } from '../../pipeline/score-summary.js';
import { NO_REFERENCE_REASON } from '../../report/index.js';
import type { CommandContext } from '../context.js';
import { driftUnavailable, measureDrift } from './drift.js';
import { claimOut, type OutputFormat, writeScoreFolder } from './outputs.js';

export interface MergeOptions {
  shards: string[];
  out: string;
  format: OutputFormat;
  bom: boolean;
}

export async function merge(ctx: CommandContext, o: MergeOptions): Promise<void> {
  const dirs = o.shards.map((d) => resolve(ctx.cwd, d));
  await using out = await claimOut(
    ctx,
    o.out,
    dirs.map((path) => ({ path, what: 'shard folder' })),
  );
  const parts: ShardPart[] = [];
  const inputs: { path: string; kind: string; bytes: number; sha256: string }[] = [];
  for (const dir of dirs) {
    const folder = await openScoredFolder(dir, 'a shard folder');
    const shard = await folder.readShard<ShardMeta>();
    parts.push({ source: dir, meta: shard.meta, scored: shard.scored, recorded: shard.recorded });
    const bytes = folder.manifest!.files.reduce((sum, f) => sum + f.bytes, 0);
    inputs.push({ path: dir, kind: 'shard', bytes, sha256: shard.manifestSha256 });
  }
  const merged = mergeShards(parts);
  const drift =
    merged.drift === undefined
      ? driftUnavailable(ctx, 'a shard was scored by a retain that did not count drift; score it again')
      : merged.drift === null
        ? driftUnavailable(ctx, NO_REFERENCE_REASON)
        : measureDrift(ctx, merged.drift.reference, merged.drift.counts, merged.meta.config);
  const summary = mergedSummary(merged, parts, drift);
  const m = merged.meta;
  const month = formatMonth(merged.month);
  await writeScoreFolder(out, { listing: merged, summary }, o, {
    command: 'merge',
    month,
    model_id: m.modelId,
    table_format: o.format,
    inputs,
    shard: null,
  });
  ctx.log.info({ out: out.path, shards: parts.length, subscribers: merged.scores.n }, 'shards merged');
  if (!ctx.quiet) {
    const counts = LISTS.map((l) => `${l} ${merged.lists.lists[l].n}`).join(', ');
    ctx.stdout.write(
      `merged ${parts.length} shards: ${merged.scores.n} subscribers for ${month}\n` +
        `lists: ${counts}\nwritten to ${out.path}\n`,
    );
  }
}
