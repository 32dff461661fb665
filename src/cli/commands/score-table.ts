/** `retain score --table FILE`: a wide table scored with a `--table` model; no lists, a short summary. */
import { basename, join, resolve } from 'node:path';
import type { Config } from '../../config.js';
import {
  type ConfigSource,
  type OutputDir,
  type RunPath,
  readCellTable,
  writeScoredFiles,
} from '../../io/index.js';
import type { LoadedModel } from '../../pipeline/model.js';
import { scoreTableRows } from '../../pipeline/score-table.js';
import { NO_REFERENCE_REASON } from '../../report/index.js';
import type { CommandContext } from '../context.js';
import { driftUnavailable, measureDrift } from './drift.js';
import { claimOut, type OutputFormat, runRecord } from './outputs.js';

/** The flags of `retain score` a table run reads. */
export interface TableScoreOptions {
  readonly id: string | null;
  readonly format: OutputFormat;
  readonly bom: boolean;
  readonly config: string | undefined;
  readonly threads: number;
}

/** The model and config a run scores with. */
export interface Scoring {
  readonly model: LoadedModel;
  readonly modelPath: string;
  readonly config: Config;
  readonly configSource: ConfigSource;
}

export async function scoreWideTable(
  ctx: CommandContext,
  o: TableScoreOptions,
  table: string,
  { model, modelPath, config, configSource }: Scoring,
  given: OutputDir | null,
  protect: readonly RunPath[],
): Promise<void> {
  const path = resolve(ctx.cwd, table);
  const encodingId = (model.file.tableEncoding as { id?: string | null } | null)?.id;
  const text = [o.id, encodingId].filter((t): t is string => typeof t === 'string');
  const raw = await readCellTable(path, { text, threads: o.threads });
  const {
    scores,
    drift: counts,
    notes,
  } = await scoreTableRows(raw, model, modelPath, o.id === null ? {} : { id: o.id });
  // Cells the model cannot read as it was trained to are scored as missing: said, never silent.
  for (const n of notes)
    ctx.log.warn({ file: path, column: n.column }, `${path}: column ${n.column}: ${n.note}`);
  const drift =
    model.drift && counts
      ? measureDrift(ctx, model.drift, counts, config)
      : driftUnavailable(ctx, NO_REFERENCE_REASON);
  // No lists in table mode: the summary holds what does not depend on them.
  const summary = {
    month: null,
    model_id: model.file.id,
    inputs: [{ file: path, kind: 'table', rows: scores.n, rejects: 0 }],
    subscribers: scores.n,
    drift,
    config: { ...configSource, values: config },
  };
  const defaultOut = join('retain-out', basename(table).replace(/\.[^.]*$/, ''));
  await using fallback = given ? null : await claimOut(ctx, defaultOut, protect);
  const out = (given ?? fallback)!;
  const record = await runRecord(
    { command: 'score', month: null, model_id: model.file.id, table_format: o.format, shard: null },
    [{ path, kind: 'table' }, ...modelAndConfig(ctx, o, modelPath)],
  );
  await out.write(async (dir) => {
    await writeScoredFiles(dir, { scores, summary }, o);
    return record;
  });
  ctx.log.info({ out: out.path, rows: scores.n }, 'scores written');
  if (!ctx.quiet) ctx.stdout.write(`scored ${scores.n} rows of ${table}\nwritten to ${out.path}\n`);
}

/** The model and config file as a run record's inputs. */
export function modelAndConfig(ctx: CommandContext, o: TableScoreOptions, modelPath: string) {
  return [
    { path: modelPath, kind: 'model' },
    ...(o.config === undefined ? [] : [{ path: resolve(ctx.cwd, o.config), kind: 'config' }]),
  ];
}
