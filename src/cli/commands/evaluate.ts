/** `retain evaluate <scored DIR> <next month's billing>`: how the scores and lists of a month turned out. */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatMonth, parseMonth } from '../../calendar.js';
import { workOrderWarnings } from '../../effect/index.js';
import { InputError } from '../../errors.js';
import {
  checkOutputFile,
  csvTextValue,
  EVALUATION_FORMAT,
  loadConfig,
  openScoredFolder,
  readBilling,
  readOutcomes,
  type ScoredFolder,
  writeOwnedFile,
} from '../../io/index.js';
import { evaluateScoredMonth, type ScoredRows, type WarningList } from '../../pipeline/evaluate.js';
import { assessmentRulesOf, effectSettingsOf } from '../../pipeline/settings.js';
import { formatAssessment, formatEvaluation } from '../../report/index.js';
import type { CommandContext } from '../context.js';
import { assessScoredMonth } from './assessment.js';

export interface EvaluateOptions {
  scored: string;
  next: string;
  out: string | null;
  config: string | undefined;
  /** The call centre's work-order outcome files for the scored month. */
  outcomes: string[];
  rejects: string | null;
}

/** Who was assigned to be called: the warning list, and whether summary.json says the capacity cut it. */
export async function readWarningList(folder: ScoredFolder): Promise<WarningList> {
  const raw = await folder.readTable('targets/warning');
  const j = raw.names.indexOf('subscriber_id');
  const path = join(folder.dir, `targets/warning.${folder.format}`);
  if (j < 0) throw new InputError(`${path}: no column "subscriber_id"; is this a retain score folder?`);
  const cut = (await folder.readSummary<{ capacity?: { cut?: unknown } }>()).capacity?.cut;
  return { ids: new Set(raw.columns[j]!.map((v) => v ?? '')), capped: typeof cut === 'number' && cut > 0 };
}

export async function readScores(folder: ScoredFolder): Promise<{ rows: ScoredRows; month: number }> {
  const path = join(folder.dir, `scores.${folder.format}`);
  const raw = await folder.readTable('scores');
  const at = (name: string) => {
    const j = raw.names.indexOf(name);
    if (j < 0)
      throw new InputError(
        `${path}: no column "${name}" (columns: ${raw.names.join(', ')}); is this a retain score folder?`,
      );
    return raw.columns[j]!;
  };
  const month = parseMonth(at('month')[0] ?? '');
  if (Number.isNaN(month)) throw new InputError(`${path}: no scored month in the first row`);
  const text = (name: string) => at(name).map((v) => (v === null ? '' : csvTextValue(v)));
  const number = (name: string) => Float64Array.from(at(name), (v) => (v === null ? Number.NaN : Number(v)));
  // Present when the list was ordered by the uplift model (retain score --target-by uplift).
  const saving = raw.names.includes('expected_saving') ? number('expected_saving') : null;
  return {
    month,
    rows: {
      ids: text('subscriber_id'),
      probability: number('churn_probability'),
      eligible: Uint8Array.from(at('eligible'), (v) => (v === '1' ? 1 : 0)),
      control: Uint8Array.from(at('control'), (v) => (v === '1' ? 1 : 0)),
      stage: text('stage'),
      exclusion: text('exclusion'),
      tier: text('tier'),
      segment: text('segment'),
      triggers: text('triggers'),
      revenue: number('revenue_at_risk'),
      saving,
      ...(raw.names.includes('unit') ? { unit: text('unit') } : {}),
    },
  };
}

export async function evaluateCommand(ctx: CommandContext, o: EvaluateOptions): Promise<void> {
  const config = await loadConfig(o.config, ctx.cwd);
  const out = o.out === null ? null : resolve(ctx.cwd, o.out);
  if (out !== null) checkOutputFile(out, 'evaluation', '--out');
  const folder = await openScoredFolder(resolve(ctx.cwd, o.scored));
  const { rows, month } = await readScores(folder);
  const warningList = await readWarningList(folder);
  const { table } = await readBilling([resolve(ctx.cwd, o.next)], { config });
  const outcomes =
    o.outcomes.length === 0
      ? null
      : await readOutcomes(
          o.outcomes.map((f) => resolve(ctx.cwd, f)),
          { config, rejects: o.rejects === null ? null : resolve(ctx.cwd, o.rejects) },
        );
  for (const f of outcomes?.files ?? []) for (const n of f.notices) ctx.log.info({ file: f.path }, n);
  const next = month + 1;
  const e = evaluateScoredMonth({
    scored: rows,
    warningList,
    next: table,
    nextMonth: next,
    label: formatMonth(next),
    outcomes: outcomes?.table ?? null,
    settings: effectSettingsOf(config),
  });
  if (e.campaign.workOrders) for (const w of workOrderWarnings(e.campaign.workOrders, month)) ctx.log.warn(w);
  const assessed = await assessScoredMonth(
    ctx,
    folder,
    rows,
    month,
    outcomes?.table ?? null,
    assessmentRulesOf(config),
  );
  if (out !== null) {
    const record = { format: EVALUATION_FORMAT, version: 1, ...e, assessment: assessed };
    const json = `${JSON.stringify(record, null, 2)}\n`;
    await writeOwnedFile(out, 'evaluation', '--out', (tmp) => writeFile(tmp, json));
  }
  if (!ctx.quiet)
    ctx.stdout.write(formatEvaluation(e, formatMonth(month)) + (assessed ? formatAssessment(assessed) : ''));
}
