/** `retain merge <shard dirs...> --out DIR`: shard outputs into the lists one process would have written. */
import { join, resolve } from 'node:path';
import { formatMonth } from '../../calendar.js';
import { LISTS } from '../../contract.js';
import { InputError } from '../../errors.js';
import { readFrameArrow, readText } from '../../io/index.js';
import { controlSizingOf } from '../../lifecycle/index.js';
import { addCoverageFigures, coverageRecord, judgeCoverage } from '../../pipeline/coverage.js';
import { mergeShards, type ShardMeta, type ShardPart } from '../../pipeline/merge.js';
import { summarize } from '../../report/index.js';
import type { CommandContext } from '../context.js';
import { type OutputFormat, writeScoreFolder } from './outputs.js';

export interface MergeOptions {
  shards: string[];
  out: string;
  format: OutputFormat;
  bom: boolean;
}

async function readShard(dir: string): Promise<ShardPart> {
  const metaPath = join(dir, 'shard', 'shard.json');
  const text = await readText(
    metaPath,
    (why, cause) =>
      new InputError(`${dir}: not a shard folder of retain score --shard (${metaPath}: ${why})`, { cause }),
  );
  let meta: ShardMeta;
  try {
    meta = JSON.parse(text) as ShardMeta;
  } catch (err) {
    throw new InputError(`${metaPath}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return { source: dir, meta, scored: await readFrameArrow(join(dir, 'shard', 'scored.arrow')) };
}

export async function merge(ctx: CommandContext, o: MergeOptions): Promise<void> {
  const parts: ShardPart[] = [];
  for (const dir of o.shards) parts.push(await readShard(resolve(ctx.cwd, dir)));
  const merged = mergeShards(parts);
  const m = merged.meta;
  const figures = parts.map((p) => p.meta.coverage);
  const coverage = figures.every((f) => f !== undefined)
    ? coverageRecord(judgeCoverage(addCoverageFigures(figures), m.config.checks))
    : {};
  const summary = summarize({
    staged: merged.staged,
    targets: merged.lists,
    kpis: merged.kpis,
    segmentNames: m.segmentNames,
    modelId: m.modelId,
    inputs: m.inputs,
    extra: {
      ...coverage,
      control_sizing: controlSizingOf(merged.staged, m.config, m.capacity),
      shards: m.shard.count,
    },
  });
  const outDir = resolve(ctx.cwd, o.out);
  await writeScoreFolder(outDir, { listing: merged, summary }, o.format, o.bom);
  ctx.log.info({ out: outDir, shards: parts.length, subscribers: merged.scores.n }, 'shards merged');
  if (!ctx.quiet) {
    const counts = LISTS.map((l) => `${l} ${merged.lists.lists[l].n}`).join(', ');
    ctx.stdout.write(
      `merged ${parts.length} shards: ${merged.scores.n} subscribers for ${formatMonth(merged.month)}\n` +
        `lists: ${counts}\nwritten to ${outDir}\n`,
    );
  }
}
