/** `retain report <scored DIR> [--out FILE]`: a self-contained HTML report of a scored month. */
import { join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { readRawTable, readText, writeTextAtomic } from '../../io/index.js';
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
  const summary = await readJson<Summary>(join(dir, 'summary.json'));
  const warning = await readRawTable(join(dir, 'targets', 'warning.csv'));
  const rows = Math.min(o.top, warning.rowCount);
  const warningTop: ReportRow[] = Array.from({ length: rows }, (_, i) =>
    Object.fromEntries(warning.names.map((name, j) => [name, warning.columns[j]![i] ?? null])),
  );
  const evaluation =
    o.evaluation === null ? null : await readJson<ReportInput['evaluation']>(resolve(ctx.cwd, o.evaluation));
  const out = resolve(ctx.cwd, o.out ?? join(o.scored, 'report.html'));
  await writeTextAtomic(out, renderReport({ summary, warningTop, evaluation }));
  ctx.log.info({ out }, 'report written');
  if (!ctx.quiet) ctx.stdout.write(`report: ${out}\n`);
}
