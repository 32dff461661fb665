/** `retain report <scored DIR> [--out FILE]`: a self-contained HTML report of a scored month. */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { checkOutputFile, listTable, openScoredFolder, readText, writeOwnedFile } from '../../io/index.js';
import { type ReportInput, type ReportRow, renderReport, type Summary } from '../../report/index.js';
import type { CommandContext } from '../context.js';

export interface ReportOptions {
  scored: string;
  out: string | null;
  /** JSON written by `retain evaluate --out`, to show the outcome beside the lists. */
  evaluation: string | null;
  top: number;
}

async function readJson<T>(path: string): Promise<T> {
  const text = await readText(
    path,
    (why, cause) => new InputError(`${path}: cannot read (${why})`, { cause }),
  );
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

export async function report(ctx: CommandContext, o: ReportOptions): Promise<void> {
  const dir = resolve(ctx.cwd, o.scored);
  const out = resolve(ctx.cwd, o.out ?? join(o.scored, 'report.html'));
  const label = o.out === null ? 'the report file' : '--out';
  checkOutputFile(out, 'report', label);
  const folder = await openScoredFolder(dir);
  const summary = await folder.readSummary<Summary>();
  const warning = await folder.readTable(listTable('warning'));
  const rows = Math.min(o.top, warning.rowCount);
  const warningTop: ReportRow[] = Array.from({ length: rows }, (_, i) =>
    Object.fromEntries(warning.names.map((name, j) => [name, warning.columns[j]![i] ?? null])),
  );
  const evaluation =
    o.evaluation === null ? null : await readJson<ReportInput['evaluation']>(resolve(ctx.cwd, o.evaluation));
  const html = renderReport({ summary, warningTop, evaluation });
  const written = await writeOwnedFile(out, 'report', label, (tmp) => writeFile(tmp, html));
  ctx.log.info({ out: written }, 'report written');
  if (!ctx.quiet) ctx.stdout.write(`report: ${written}\n`);
}
