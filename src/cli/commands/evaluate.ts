/** `retain evaluate <scored DIR> <next month's billing>`: how the scores and lists of a month turned out. */
import { join, resolve } from 'node:path';
import { formatMonth, parseMonth } from '../../calendar.js';
import { workOrderWarnings } from '../../effect/index.js';
import { InputError } from '../../errors.js';
import {
  loadConfig,
  readBilling,
  readOutcomes,
  readRawTable,
  readText,
  writeJsonAtomic,
} from '../../io/index.js';
import { evaluateScores, type ScoredRows, type WarningList } from '../../pipeline/evaluate.js';
import { formatEvaluation } from '../../report/index.js';
import type { CommandContext } from '../context.js';

export interface EvaluateOptions {
  scored: string;
  next: string;
  out: string | null;
  config: string | undefined;
  /** The call centre's work-order outcome files for the scored month. */
  outcomes: string[];
  rejects: string | null;
}

/** Who was assigned to be called: `targets/warning.csv`, and whether summary.json says the capacity cut it. */
async function readWarningList(dir: string): Promise<WarningList> {
  const path = join(dir, 'targets', 'warning.csv');
  const raw = await readRawTable(path);
  const j = raw.names.indexOf('subscriber_id');
  if (j < 0) throw new InputError(`${path}: no column "subscriber_id"; is this a retain score folder?`);
  const summaryPath = join(dir, 'summary.json');
  const summary = await readText(
    summaryPath,
    (why, cause) => new InputError(`${summaryPath}: ${why}`, { cause }),
  );
  let cut: unknown;
  try {
    cut = (JSON.parse(summary) as { capacity?: { cut?: unknown } }).capacity?.cut;
  } catch (err) {
    throw new InputError(`${summaryPath}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return { ids: new Set(raw.columns[j]!.map((v) => v ?? '')), capped: typeof cut === 'number' && cut > 0 };
}

async function readScores(dir: string): Promise<{ rows: ScoredRows; month: number }> {
  const path = join(dir, 'scores.csv');
  const raw = await readRawTable(path);
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
  const text = (name: string) => at(name).map((v) => v ?? '');
  return {
    month,
    rows: {
      ids: text('subscriber_id'),
      probability: Float64Array.from(at('churn_probability'), (v) => (v === null ? Number.NaN : Number(v))),
      eligible: Uint8Array.from(at('eligible'), (v) => (v === '1' ? 1 : 0)),
      control: Uint8Array.from(at('control'), (v) => (v === '1' ? 1 : 0)),
      stage: text('stage'),
      exclusion: text('exclusion'),
      tier: text('tier'),
      segment: text('segment'),
      triggers: text('triggers'),
      revenue: Float64Array.from(at('revenue_at_risk'), (v) => (v === null ? Number.NaN : Number(v))),
    },
  };
}

export async function evaluateCommand(ctx: CommandContext, o: EvaluateOptions): Promise<void> {
  const config = await loadConfig(o.config, ctx.cwd);
  const dir = resolve(ctx.cwd, o.scored);
  const { rows, month } = await readScores(dir);
  const warningList = await readWarningList(dir);
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
  const e = evaluateScores({
    scored: rows,
    warningList,
    next: table,
    nextMonth: next,
    label: formatMonth(next),
    outcomes: outcomes?.table ?? null,
    settings: {
      alpha: config.evaluation.alpha,
      minEffect: config.evaluation.min_effect,
      power: config.evaluation.power,
    },
  });
  if (e.campaign.workOrders) for (const w of workOrderWarnings(e.campaign.workOrders, month)) ctx.log.warn(w);
  if (o.out !== null) await writeJsonAtomic(resolve(ctx.cwd, o.out), e);
  if (!ctx.quiet) ctx.stdout.write(formatEvaluation(e, formatMonth(month)));
}
