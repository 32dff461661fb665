/**
 * A scored folder read back as typed rows: the scores, who was on the warning list, each list's
 * subscribers, and the assessment of the month from summary.json. `retain evaluate` and
 * `retain train --uplift` start from these. A folder of `retain score --table` holds scores alone (no
 * month, no call lists): the commands that read a scored month say so rather than miss a list file.
 */
import { join } from 'node:path';
import { parseMonth } from '../calendar.js';
import { LISTS, type OutcomesTable } from '../contract.js';
import { type ListedSubscribers, returnRates } from '../effect/index.js';
import { InputError } from '../errors.js';
import { csvTextValue, type ScoredFolder, SUMMARY_FILE } from '../io/index.js';
import {
  type AssessmentReport,
  type AssessmentRules,
  assessment,
  checkScoredMonthSummary,
  type ScoredMonthSummary,
} from '../report/index.js';
import type { ScoredRows, WarningList } from './evaluate.js';

/** Each folder's summary.json as read and checked once (the warning list and the assessment both read it). */
const summaries = new WeakMap<ScoredFolder, Promise<ScoredMonthSummary>>();

/** summary.json of the folder, checked for what evaluate and train --uplift read of it. */
function readMonthSummary(folder: ScoredFolder): Promise<ScoredMonthSummary> {
  let read = summaries.get(folder);
  if (!read) {
    read = folder
      .readSummary<unknown>()
      .then((json) => checkScoredMonthSummary(json, join(folder.dir, SUMMARY_FILE)));
    summaries.set(folder, read);
  }
  return read;
}

/** Who was assigned to be called: the warning list, and whether summary.json says the capacity cut it. */
export async function readWarningList(folder: ScoredFolder): Promise<WarningList> {
  const raw = await folder.readTable('targets/warning');
  const j = raw.names.indexOf('subscriber_id');
  const path = join(folder.dir, `targets/warning.${folder.format}`);
  if (j < 0) throw new InputError(`${path}: no column "subscriber_id"; is this a retain score folder?`);
  const { cut } = (await readMonthSummary(folder)).capacity;
  return { ids: new Set(raw.columns[j]!.map((v) => v ?? '')), capped: cut > 0 };
}

/** The scores of the folder as typed columns, with the scored month from the first row. */
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

/** Each list's subscribers as handed out, with their units from the scores. */
export async function listedSubscribers(
  folder: ScoredFolder,
  scored: ScoredRows,
): Promise<ListedSubscribers[]> {
  const unitOf = new Map<string, string>();
  const units = scored.unit ?? [];
  for (let i = 0; i < units.length; i++) unitOf.set(scored.ids[i]!, units[i]!);
  const out: ListedSubscribers[] = [];
  for (const list of LISTS) {
    const raw = await folder.readTable(`targets/${list}`);
    const j = raw.names.indexOf('subscriber_id');
    if (j < 0) continue; // readWarningList has refused a list without ids; others are not assessed
    const ids = raw.columns[j]!.map((v) => (v === null ? '' : csvTextValue(v)));
    out.push({ list, ids, units: ids.map((id) => unitOf.get(id) ?? '') });
  }
  return out;
}

/**
 * The assessment of the scored month, from summary.json's KPI cohorts (null, with a notice, for a
 * folder of an older retain that has none) and, with outcomes, the return rate of its lists.
 */
export async function assessScoredMonth(
  folder: ScoredFolder,
  scored: ScoredRows,
  month: number,
  outcomes: OutcomesTable | null,
  rules: AssessmentRules,
  notice: (message: string) => void,
): Promise<AssessmentReport | null> {
  const kpis = (await readMonthSummary(folder)).kpi_cohorts;
  if (kpis === undefined) {
    notice(
      `${join(folder.dir, SUMMARY_FILE)} holds no KPI cohorts (written by an older retain): no assessment`,
    );
    return null;
  }
  if (outcomes === null) return assessment(kpis, rules);
  const rates = returnRates(await listedSubscribers(folder, scored), outcomes, month);
  return assessment(kpis, rules, { overall: rates.overall, byUnit: rates.byUnit });
}

/** The wide table a folder was scored from, as its manifest records it; null for a scored month. */
function scoredTable(folder: ScoredFolder): string | null {
  return folder.manifest?.inputs.find((input) => input.kind === 'table')?.path ?? null;
}

/**
 * Refuses (exit 3) a folder of `retain score --table` given to `use` (e.g. "retain report"), which
 * needs a billing month scored with its lists.
 */
export function requireScoredMonth(folder: ScoredFolder, use: string): void {
  // One shard holds part of the base: its KPIs, lists and control group are not the month's.
  const shard = folder.manifest?.shard;
  if (shard)
    throw new InputError(
      `${folder.dir}: written by retain score --shard ${shard.index}/${shard.count}, a part of the month's ` +
        `subscribers; ${use} needs the whole month: merge the shards first (retain merge)`,
    );
  const table = scoredTable(folder);
  if (table === null) return;
  throw new InputError(
    `${folder.dir}: scored from the wide table ${table} (retain score --table): it holds scores, ` +
      `but no billing month and no call lists; ${use} needs a month scored from billing files (retain score BILLING...)`,
  );
}
