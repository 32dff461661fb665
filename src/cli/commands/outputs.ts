/** Writing a score folder (scores, lists, summary, and for a shard its merge files), all or nothing. */
import { join } from 'node:path';
import { LISTS } from '../../contract.js';
import type { Frame } from '../../frame.js';
import {
  commitOutputDir,
  type OutTable,
  out,
  writeArrow,
  writeJsonAtomic,
  writeTableSet,
} from '../../io/index.js';
import type { ShardMeta } from '../../pipeline/merge.js';
import type { Listing } from '../../pipeline/score.js';
import { scoredColumns } from '../../pipeline/shard.js';

export type OutputFormat = 'csv' | 'arrow';

/**
 * A frame as writer columns: month indices as YYYY-MM, decimals rounded to 6 places (probabilities and
 * money need no more, and it keeps ten-million-row files small), everything else as stored.
 */
export function outputTable(frame: Frame): OutTable {
  return {
    n: frame.n,
    columns: Object.entries(frame.cols).map(([name, c]) => {
      if (name === 'month' && c instanceof Int32Array) return out.month(name, c);
      if (c instanceof Float64Array) return out.number(name, (i) => Math.round(c[i]! * 1e6) / 1e6);
      return out.column(name, c);
    }),
  };
}

export interface ScoreFolder {
  readonly listing: Listing;
  readonly summary: unknown;
  /** For a shard: its settings and scored rows at full precision, which `retain merge` reads. */
  readonly shard?: ShardMeta;
}

export async function writeScoreFolder(
  outDir: string,
  folder: ScoreFolder,
  format: OutputFormat,
  bom: boolean,
): Promise<void> {
  const { listing } = folder;
  await commitOutputDir(outDir, async (tmp) => {
    const tables: [string, OutTable][] = [['scores', outputTable(listing.scores)]];
    for (const list of LISTS) tables.push([`targets/${list}`, outputTable(listing.lists.lists[list])]);
    await writeTableSet(tmp, tables, format, { bom });
    // JSON has no NaN: ratios that cannot be computed are written as null.
    await writeJsonAtomic(join(tmp, 'summary.json'), folder.summary);
    if (folder.shard) {
      await writeJsonAtomic(join(tmp, 'shard', 'shard.json'), folder.shard);
      await writeArrow(scoredColumns(listing.staged), join(tmp, 'shard', 'scored.arrow'));
    }
  });
}
