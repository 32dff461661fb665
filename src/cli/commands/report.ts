/**
 * `retain report <scored DIR> [--out FILE] [--history DIR...] [--evaluation FILE] [--model FILE]`:
 * the monthly report of a scored month, one self-contained HTML file with its charts inline.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatMonth, parseMonth } from '../../calendar.js';
import { checkEvaluation, type EvaluationFile, matchEvaluatedFolder } from '../../effect/index.js';
import { InputError, UsageError } from '../../errors.js';
import {
  checkOutputFile,
  listTable,
  loadConfig,
  openScoredFolder,
  readText,
  type ScoredFolder,
  SUMMARY_FILE,
  uncheckedNote,
  writeOwnedFile,
} from '../../io/index.js';
import { type ModelFile, parseModel } from '../../model/persist.js';
import { DEFAULT_MODEL_PATH } from '../../paths.js';
import { requireScoredMonth } from '../../pipeline/scored-month.js';
import {
  buildReport,
  checkHistory,
  checkSummary,
  checkTrendSummary,
  type FolderSummary,
  topRows,
} from '../../report/index.js';
import type { CommandContext } from '../context.js';
import { readModelFile } from './score-options.js';

export interface ReportOptions {
  scored: string;
  out: string | null;
  /** JSON written by `retain evaluate --out`, to show the outcome beside the lists. */
  evaluation: string | null;
  /** Scored folders of earlier months, for the KPI trend. */
  history: readonly string[];
  /** The model that scored the folder; null: the shipped default model, when it is that model. */
  model: string | null;
  config: string | undefined;
  top: number;
}

async function readJson(path: string): Promise<unknown> {
  const text = await readText(
    path,
    (why, cause) => new InputError(`${path}: cannot read (${why})`, { cause }),
  );
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/** The evaluation at `path` of the reported folder's month, and a note when it cannot be matched to the folder. */
async function readEvaluation(
  path: string,
  month: string | null,
  folder: ScoredFolder,
): Promise<{ evaluation: EvaluationFile; note: string | null }> {
  const json = checkEvaluation(await readJson(path), path);
  const next = month === null ? null : formatMonth(parseMonth(month) + 1);
  if (next !== null && json.nextMonth !== next)
    throw new UsageError(
      `--evaluation ${path}: measures the outcome in ${json.nextMonth}, but the scored month ${month} is followed by ${next}`,
    );
  return { evaluation: json, note: matchEvaluatedFolder(json, path, folder) };
}

/** The model file, or null with why its parts of the report are left out. */
async function readModel(
  path: string | null,
  modelId: string,
): Promise<{ model: ModelFile | null; note: string | null }> {
  const file = path ?? DEFAULT_MODEL_PATH;
  const model = parseModel(await readModelFile(file), file);
  if (model.id === modelId) return { model, note: null };
  if (path !== null)
    throw new UsageError(
      `--model ${path}: is model ${model.id}, but the folder was scored with model ${modelId}`,
    );
  return {
    model: null,
    note: `The month was scored with model ${modelId}, not the shipped default model: give it with --model to show its validation, segments and feature importances.`,
  };
}

export async function report(ctx: CommandContext, o: ReportOptions): Promise<void> {
  const dir = resolve(ctx.cwd, o.scored);
  const out = resolve(ctx.cwd, o.out ?? join(o.scored, 'report.html'));
  const label = o.out === null ? 'the report file' : '--out';
  checkOutputFile(out, 'report', label);
  const config = await loadConfig(o.config, ctx.cwd);
  const folder = await openScoredFolder(dir);
  const unchecked = uncheckedNote(folder);
  if (unchecked) ctx.log.warn(unchecked);
  requireScoredMonth(folder, 'retain report');
  const summary = checkSummary(await folder.readSummary<unknown>(), join(dir, SUMMARY_FILE));
  const history: FolderSummary[] = [];
  for (const h of o.history) {
    const earlier = await openScoredFolder(resolve(ctx.cwd, h), 'a --history folder');
    const uncheckedEarlier = uncheckedNote(earlier);
    if (uncheckedEarlier) ctx.log.warn(uncheckedEarlier);
    requireScoredMonth(earlier, 'retain report --history');
    const path = join(earlier.dir, SUMMARY_FILE);
    history.push({
      folder: earlier.dir,
      summary: checkTrendSummary(await earlier.readSummary<unknown>(), path),
    });
  }
  checkHistory({ folder: dir, summary }, history);
  const warningTop = topRows(await folder.readTable(listTable('warning')), o.top);
  const read =
    o.evaluation === null
      ? null
      : await readEvaluation(resolve(ctx.cwd, o.evaluation), summary.month, folder);
  if (read?.note) ctx.log.warn(read.note);
  const evaluation = read?.evaluation ?? null;
  const { model, note } = await readModel(
    o.model === null ? null : resolve(ctx.cwd, o.model),
    summary.model_id,
  );
  const built = await buildReport({
    summary,
    history: history.map((h) => h.summary),
    model,
    modelNote: note,
    evaluation,
    warningTop,
    currency: config.report.currency,
  });
  for (const w of built.warnings) ctx.log.warn({ chart: w }, 'chart rendering warned');
  if (note !== null) ctx.log.warn(note);
  const written = await writeOwnedFile(out, 'report', label, (tmp) => writeFile(tmp, built.html));
  ctx.log.info({ out: written, charts: built.charts }, 'report written');
  if (!ctx.quiet) ctx.stdout.write(`report: ${written}\n`);
}
