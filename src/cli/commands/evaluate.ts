/** `retain evaluate <scored DIR> <next month's billing>`: how the scores and lists of a month turned out. */
import { join, resolve } from 'node:path';
import { formatMonth, parseMonth } from '../../calendar.js';
import { InputError } from '../../errors.js';
import { csvTextValue, loadConfig, readBilling, readRawTable, writeJsonAtomic } from '../../io/index.js';
import { evaluateScores, type ScoredRows } from '../../pipeline/evaluate.js';
import type { CommandContext } from '../context.js';

export interface EvaluateOptions {
  scored: string;
  next: string;
  out: string | null;
  config: string | undefined;
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
  const text = (name: string) => at(name).map((v) => (v === null ? '' : csvTextValue(v)));
  return {
    month,
    rows: {
      ids: text('subscriber_id'),
      probability: Float64Array.from(at('churn_probability'), (v) => (v === null ? Number.NaN : Number(v))),
      eligible: Uint8Array.from(at('eligible'), (v) => (v === '1' ? 1 : 0)),
      control: Uint8Array.from(at('control'), (v) => (v === '1' ? 1 : 0)),
      stage: text('stage'),
      exclusion: text('exclusion'),
    },
  };
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(2)}%`);

export async function evaluateCommand(ctx: CommandContext, o: EvaluateOptions): Promise<void> {
  const config = await loadConfig(o.config, ctx.cwd);
  const { rows, month } = await readScores(resolve(ctx.cwd, o.scored));
  const { table } = await readBilling([resolve(ctx.cwd, o.next)], { config });
  const next = month + 1;
  const e = evaluateScores(rows, table, next, formatMonth(next));
  if (o.out !== null) await writeJsonAtomic(resolve(ctx.cwd, o.out), e);
  if (!ctx.quiet) {
    const m = e.metrics;
    ctx.stdout.write(
      `${formatMonth(month)} scored, outcome from ${e.nextMonth}: ${e.evaluated} subscribers, ${m.positives} left (${pct(m.baseRate)})\n` +
        `AUC ${m.auc.toFixed(4)}  PR-AUC ${m.prAuc.toFixed(4)}  top-decile lift ${m.topDecileLift.toFixed(2)}  Brier ${m.brier.toFixed(4)}\n` +
        `warning stage: called ${e.warningCalled.subscribers} (churn ${pct(e.warningCalled.churnRate)}), ` +
        `control ${e.warningControl.subscribers} (churn ${pct(e.warningControl.churnRate)})\n`,
    );
  }
}
