/** `retain evaluate <scored DIR> <next month's billing>`: how the scores and lists of a month turned out. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatMonth } from '../../calendar.js';
import { evaluatedFolder, workOrderWarnings } from '../../effect/index.js';
import {
  checkOutputFile,
  EVALUATION_FORMAT,
  loadConfig,
  openScoredFolder,
  RejectsFile,
  readBilling,
  readOutcomes,
  uncheckedNote,
  writeOwnedFile,
} from '../../io/index.js';
import { evaluateScoredMonth } from '../../pipeline/evaluate.js';
import {
  assessScoredMonth,
  readScores,
  readWarningList,
  requireScoredMonth,
} from '../../pipeline/scored-month.js';
import { assessmentRulesOf, effectSettingsOf } from '../../pipeline/settings.js';
import { formatAssessment, formatEvaluation } from '../../report/index.js';
import type { CommandContext } from '../context.js';
import { refuseSameOutput } from '../options.js';
import { logFile } from './inputs.js';

export interface EvaluateOptions {
  scored: string;
  next: string;
  out: string | null;
  config: string | undefined;
  /** The call centre's work-order outcome files for the scored month. */
  outcomes: string[];
  rejects: string | null;
}

export async function evaluateCommand(ctx: CommandContext, o: EvaluateOptions): Promise<void> {
  refuseSameOutput(ctx.cwd, o.out, o.rejects);
  const config = await loadConfig(o.config, ctx.cwd);
  const out = o.out === null ? null : resolve(ctx.cwd, o.out);
  if (out !== null) checkOutputFile(out, 'evaluation', '--out');
  const folder = await openScoredFolder(resolve(ctx.cwd, o.scored));
  const unchecked = uncheckedNote(folder);
  if (unchecked) ctx.log.warn(unchecked);
  requireScoredMonth(folder, 'retain evaluate');
  const { rows, month } = await readScores(folder);
  const warningList = await readWarningList(folder);
  // Bad rows of the next month's billing and of the outcome files go to one rejects file, as score's do.
  const rejects = o.rejects === null ? null : new RejectsFile(resolve(ctx.cwd, o.rejects));
  const nextPath = resolve(ctx.cwd, o.next);
  let table: Awaited<ReturnType<typeof readBilling>>['table'];
  let setAside: Awaited<ReturnType<typeof readBilling>>['setAside'];
  let outcomes: Awaited<ReturnType<typeof readOutcomes>> | null = null;
  try {
    const billing = await readBilling([nextPath], { config, rejects });
    for (const f of billing.files) logFile(ctx, f);
    table = billing.table;
    setAside = billing.setAside;
    if (o.outcomes.length > 0)
      outcomes = await readOutcomes(
        o.outcomes.map((f) => resolve(ctx.cwd, f)),
        { config, rejects },
      );
    rejects?.commit();
  } catch (err) {
    rejects?.abort();
    throw err;
  }
  for (const f of outcomes?.files ?? []) for (const n of f.notices) ctx.log.info({ file: f.path }, n);
  const next = month + 1;
  const e = evaluateScoredMonth({
    scored: rows,
    warningList,
    next: table,
    nextMonth: next,
    label: formatMonth(next),
    nextFile: o.next,
    minPresentShare: config.checks.min_month_share,
    outcomes: outcomes?.table ?? null,
    settings: effectSettingsOf(config),
    setAside,
  });
  if (e.campaign.workOrders) for (const w of workOrderWarnings(e.campaign.workOrders, month)) ctx.log.warn(w);
  const assessed = await assessScoredMonth(
    folder,
    rows,
    month,
    outcomes?.table ?? null,
    assessmentRulesOf(config),
    (message) => ctx.log.info(message),
  );
  if (out !== null) {
    const record = {
      format: EVALUATION_FORMAT,
      version: 1,
      scoredFolder: evaluatedFolder(folder),
      ...e,
      assessment: assessed,
    };
    const json = `${JSON.stringify(record, null, 2)}\n`;
    await writeOwnedFile(out, 'evaluation', '--out', (tmp) => writeFile(tmp, json));
  }
  if (!ctx.quiet)
    ctx.stdout.write(formatEvaluation(e, formatMonth(month)) + (assessed ? formatAssessment(assessed) : ''));
}
